export * from './import-types';
export * from './file-rejected-error';
export {
  parseMeterFile,
  selectGreenButtonSeries,
  greenButtonEvents,
  SUPPORTED_INTERVAL_MINUTES,
  checkMeterOptions,
} from './parse-meter-file';
export {
  parseWideCsv,
  type WideImportOptions,
  type WideColumnMeter,
  type MeterEvents,
} from './parse-wide-csv';
export {
  parseGreenButton,
  describeSeries,
  type GreenButtonFeed,
  type GreenButtonSeries,
  type GreenButtonReading,
} from './green-button';
export * from './espi';
export { sniffHead, type ByteInput } from './byte-source';
export { createZoneResolver, type ZoneResolver, type LocalResolution } from './zone-resolver';
export { SeriesValidator, type SeriesRow, type SeriesValidatorOptions } from './series-validator';
