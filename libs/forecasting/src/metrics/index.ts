export * from './metrics';
export * from './normal-distribution';
