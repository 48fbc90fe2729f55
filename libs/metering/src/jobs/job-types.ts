/** The job type metering owns: importing an uploaded meter or weather file (ImportsService). */
export const METER_IMPORT_JOB = 'meter-import';
