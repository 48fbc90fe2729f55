// Public API of @halve/carbon (pure calculation; the Nest module comes later).
export * from './factors/decimal';
export * from './factors/errors';
export * from './factors/emission-factor';
export * from './factors/units';
export * from './factors/regions';
export * from './factors/factor-library';
export * from './factors/select-factor';
export * from './factors/grid-intensity';
export * from './ghg/gwp';
export * from './ghg/scope2';
export * from './ghg/td-losses';
export * from './ghg/targets';
export * from './ghg/cfe';
export * from './ghg/base-year';
export * from './inventory/inventory.types';
export * from './inventory/compute-inventory';
