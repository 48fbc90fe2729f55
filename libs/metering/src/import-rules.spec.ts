import type { MeterEntity, SiteEntity } from './entities/metering.entities';
import { FileRejectedError } from './import/file-rejected-error';
import {
  NonRetryableImportError,
  classifyImportFailure,
  splitJobError,
  succeededFields,
  wideImportOptions,
  wideTargets,
} from './import-rules';
import { UnitConversionError } from './units/units';
import { WeatherFileError } from './weather';

const site = (id: string, timezone: string) => ({ id, timezone }) as SiteEntity;
const meter = (id: string, siteId: string, sourceColumn: string | null) =>
  ({
    id,
    siteId,
    sourceColumn,
    kind: 'electricity_import',
    unit: 'kWh',
    intervalMinutes: 15,
    register: 'interval',
  }) as MeterEntity;

describe('import rules', () => {
  it('classifies a failed attempt: refusals keep their code, a unit error is WRONG_UNIT, anything else is retried', () => {
    expect(classifyImportFailure(new FileRejectedError('EMPTY_FILE', 'empty'))).toEqual({
      refused: true,
      code: 'EMPTY_FILE',
      message: 'empty',
    });
    expect(classifyImportFailure(new NonRetryableImportError('METER_DELETED', 'gone')).code).toBe(
      'METER_DELETED',
    );
    expect(classifyImportFailure(new WeatherFileError('BINARY', 'binary')).code).toBe('BINARY');
    expect(classifyImportFailure(new UnitConversionError('no', 'm3', 'kWh'))).toEqual({
      refused: true,
      code: 'WRONG_UNIT',
      message: 'no',
    });
    expect(classifyImportFailure(new Error('connection reset'))).toEqual({
      refused: false,
      code: 'IMPORT_FAILED',
      message: 'connection reset',
    });
  });

  it("splits a job's reason into the import's code and message", () => {
    expect(splitJobError('TOO_LARGE: over 200 MB')).toEqual({ code: 'TOO_LARGE', message: 'over 200 MB' });
    expect(splitJobError('the worker died')).toEqual({ code: 'IMPORT_FAILED', message: 'the worker died' });
  });

  it("maps a wide upload's columns to meters: the upload's mapping, else the meters' sourceColumn", () => {
    const sites = [site('s1', 'Europe/Berlin'), site('s2', 'Europe/London')];
    const meters = [meter('m1', 's1', 'Main'), meter('m2', 's2', null)];
    expect(wideTargets({}, meters, sites).map((t) => [t.column, t.meter.id, t.site.id])).toEqual([
      ['Main', 'm1', 's1'],
    ]);
    const targets = wideTargets({ columns: { A: 'm2', B: 'm1' } }, meters, sites);
    const options = wideImportOptions({}, targets);
    expect(options.timezone).toBe('Europe/London');
    expect(options.columns.B).toMatchObject({ meterId: 'm1', timezone: 'Europe/Berlin' });
    expect(() => wideTargets({}, [meter('m2', 's2', null)], sites)).toThrow(
      expect.objectContaining({ code: 'NO_COLUMNS' }),
    );
    expect(() => wideTargets({ columns: { A: 'nope' } }, meters, sites)).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_METER' }),
    );
  });

  it('sums what the meters of an import stored into its report', () => {
    const tally = {
      rowsRead: 10,
      rowsMissing: 1,
      rowsRejected: 2,
      rowsDuplicate: 0,
      readings: 7,
      errors: [],
      warnings: [],
    };
    const fields = succeededFields(tally, [
      { meterId: 'a', stored: 3, updated: 1, firstTs: new Date(2000), lastTs: new Date(5000) },
      { meterId: 'b', stored: 2, updated: 0, firstTs: new Date(1000), lastTs: new Date(3000) },
    ]);
    expect(fields).toMatchObject({ rowsStored: 5, rowsUpdated: 1, rowsUnchanged: 1, status: 'succeeded' });
    expect(fields.firstTs).toEqual(new Date(1000));
    expect(fields.lastTs).toEqual(new Date(5000));
    expect(succeededFields(tally, [])).toMatchObject({ rowsStored: 0, firstTs: null, lastTs: null });
  });
});
