export * from './units';
export * from './unit-table';
