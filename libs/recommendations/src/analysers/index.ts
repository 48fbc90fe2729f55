export * from './types';
export {
  type HourPoint,
  type Occupancy,
  hourlySeries,
  inferOccupancy,
  siteElectricityHourly,
  quantile,
} from './common';
export * from './baseload';
export * from './after-hours';
export * from './peak-demand';
export * from './load-shifting';
export * from './pv-sizing';
export * from './peer-benchmarks';
export * from './weather-sensitivity';
export * from './anomalies';
export * from './tariff-comparison';
export * from './run-analysers';
export * from './combined';
export * from './grid-intensity';
