import { promotes, versionRow } from './model-registry';
import { TrainedVersion } from './renewables-training';
import { seriesFromRows } from './series';

const trained = (method: 'model' | 'baseline', cvRmse?: number): TrainedVersion => ({
  method,
  baselineName: method === 'baseline' ? 'seasonalNaive' : null,
  artifact: null,
  hyperParameters: {},
  metrics: (cvRmse === undefined ? undefined : { cvRmse }) as TrainedVersion['metrics'],
  baselines: {},
  backtest: {},
  reason: 'trained',
  trainedFrom: new Date(0),
  trainedTo: new Date(3_600_000),
  trainSeconds: 1.5,
});
const active = (method: 'model' | 'baseline', cvRmse?: number) => ({
  method,
  metrics: cvRmse === undefined ? {} : { cvRmse },
});

describe('promotes', () => {
  it('promotes anything when no version is active', () => {
    expect(promotes(trained('baseline', 0.5), null)).toBe(true);
    expect(promotes(trained('model', 0.5), null)).toBe(true);
  });

  it('promotes a model only with a strictly lower CV(RMSE) than an active model', () => {
    expect(promotes(trained('model', 0.1), active('model', 0.12))).toBe(true);
    expect(promotes(trained('model', 0.12), active('model', 0.12))).toBe(false);
    expect(promotes(trained('model', 0.13), active('model', 0.12))).toBe(false);
    // a model without a score counts as +∞
    expect(promotes(trained('model'), active('model', 0.3))).toBe(false);
  });

  it('lets a model replace an active baseline or an unscored version whatever its score; a baseline never replaces', () => {
    expect(promotes(trained('model', 0.9), active('baseline', 0.05))).toBe(true);
    expect(promotes(trained('model', 0.9), active('model'))).toBe(true);
    expect(promotes(trained('baseline', 0.01), active('model', 0.5))).toBe(false);
  });
});

describe('versionRow', () => {
  const at = {
    tenantId: 't',
    meterId: 'm',
    version: 4,
    jobId: 'forecast-train-m-x',
    backend: 'wasm',
    now: new Date(5),
  };

  it('is active from now when promoted', () => {
    const row = versionRow(at, trained('model', 0.1), { version: 3 }, true);
    expect(row).toEqual(
      expect.objectContaining({
        version: 4,
        status: 'active',
        activatedAt: new Date(5),
        reason: 'trained',
        jobId: 'forecast-train-m-x',
      }),
    );
  });

  it('is a candidate that says which version beat it when not promoted', () => {
    const row = versionRow(at, trained('model', 0.2), { version: 3 }, false);
    expect(row).toEqual(
      expect.objectContaining({
        status: 'candidate',
        activatedAt: null,
        reason: 'trained; not promoted: the active version 3 scores better',
      }),
    );
  });
});

describe('seriesFromRows', () => {
  it('puts readings on the grid (NaN where none, outside ones dropped) and temperature by UTC hour', () => {
    const h = 3_600_000;
    const series = seriesFromRows(
      { startMs: 0, n: 4, intervalMinutes: 60, timeZone: 'UTC', countryCode: 'GB' },
      [
        { ts: new Date(0), value: 1 },
        { ts: new Date(2 * h), value: 3 },
        { ts: new Date(4 * h), value: 9 },
      ],
      [
        { ts: new Date(0), temperatureC: 10 },
        { ts: new Date(h), temperatureC: null },
        { ts: new Date(3 * h), temperatureC: 12 },
      ],
    );
    expect(series.valuesKwh).toEqual([1, NaN, 3, NaN]);
    expect(series.temperatureC).toEqual([10, NaN, NaN, 12]);
    expect({
      startMs: series.startMs,
      intervalMinutes: series.intervalMinutes,
      timeZone: series.timeZone,
      countryCode: series.countryCode,
    }).toEqual({
      startMs: 0,
      intervalMinutes: 60,
      timeZone: 'UTC',
      countryCode: 'GB',
    });
  });

  it('has no temperature when the weather has none', () => {
    const series = seriesFromRows(
      { startMs: 0, n: 2, intervalMinutes: 30, timeZone: 'UTC' },
      [],
      [{ ts: new Date(0), temperatureC: null }],
    );
    expect(series.temperatureC).toBeUndefined();
    expect(series.valuesKwh).toEqual([NaN, NaN]);
  });
});
