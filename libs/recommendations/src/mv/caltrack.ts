/**
 * CalTRACK 2.0 baseline models (DOMAIN.md §3; ✔ openeemeter/caltrack docs/methods.rst):
 * temperature-bin features and the hourly TOWT (time-of-week-and-temperature) model, degree
 * days and the daily model. Temperatures enter in °C and are converted to °F internally,
 * because CalTRACK's bins and balance-point grid are defined in °F.
 *
 * Hour of week: 0 = Monday 00:00–01:00 local time … 167 = Sunday 23:00–24:00 (CalTRACK's
 * "1 = Monday 00:00–01:00", zero-based). RMV2.0 and nmecr start on Sunday: convert before
 * comparing coefficients with them.
 */
export * from './caltrack-temperature';
export * from './caltrack-daily';
export * from './caltrack-hourly';
