export * from './test-services';
export * from './service-harness';
export * from './private-database';
