export * from './test-services';
export * from './service-harness';
