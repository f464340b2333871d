export * from './session-schedule';
export * from './schedule-at';
export * from './settings';
export * from './fast-path';
