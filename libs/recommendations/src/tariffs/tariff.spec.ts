import {
  type Tariff,
  billingDemandKw,
  billingDemandKwFromReadings,
  capPowerKw,
  demandCharge,
  demandShavingSaving,
  energyCharge,
  estimateBill,
  peakCapSaving,
  powerKwFromEnergyKwh,
  validateTariff,
} from './tariff';

const HOUR_MS = 3_600_000;

/** Peak 08:00–18:00 on weekdays, otherwise the default off-peak price. */
const touTariff: Tariff = {
  type: 'time_of_use',
  currency: 'EUR',
  pricePerKwh: 0.12,
  bands: [{ days: [1, 2, 3, 4, 5], fromHour: 8, toHour: 18, pricePerKwh: 0.3, name: 'peak' }],
  demandChargePerKw: 16,
};

describe('energy charge — DOMAIN.md §8 vector 51', () => {
  it('TOU: 300 kWh at 0.30 + 700 kWh at 0.12 = 174', () => {
    // Monday 2024-01-01 in Europe/Paris (UTC+1): 10 peak hours × 30 kWh, 14 off-peak hours × 50 kWh.
    const start = Date.parse('2024-01-01T00:00:00+01:00');
    const readings = Array.from({ length: 24 }, (_, h) => ({
      start: new Date(start + h * HOUR_MS),
      energyKwh: h >= 8 && h < 18 ? 30 : 50,
    }));
    const result = energyCharge(touTariff, readings, 'Europe/Paris');
    expect(result.cost).toBeCloseTo(174, 10);
    expect(result.energyKwh).toBeCloseTo(1000, 10);
    expect(result.periods).toEqual([
      { bandIndex: 0, name: 'peak', pricePerKwh: 0.3, energyKwh: 300, cost: expect.closeTo(90, 10) },
      { bandIndex: null, name: null, pricePerKwh: 0.12, energyKwh: 700, cost: expect.closeTo(84, 10) },
    ]);
  });

  it('uses the local clock: the same instants in UTC fall in different bands', () => {
    const readings = [{ start: new Date('2024-01-01T07:30:00Z'), energyKwh: 10 }]; // 08:30 Paris, 07:30 UTC
    expect(energyCharge(touTariff, readings, 'Europe/Paris').cost).toBeCloseTo(3, 10);
    expect(energyCharge(touTariff, readings, 'UTC').cost).toBeCloseTo(1.2, 10);
  });

  it('weekends are off-peak; bands can wrap past midnight; flat tariffs ignore the clock', () => {
    const saturdayNoon = [{ start: new Date('2024-01-06T12:00:00Z'), energyKwh: 10 }];
    expect(energyCharge(touTariff, saturdayNoon, 'UTC').cost).toBeCloseTo(1.2, 10);
    const night: Tariff = {
      type: 'time_of_use',
      currency: 'GBP',
      bands: [
        { days: [1, 2, 3, 4, 5, 6, 7], fromHour: 23.5, toHour: 7.5, pricePerKwh: 0.08 },
        { days: [1, 2, 3, 4, 5, 6, 7], fromHour: 7.5, toHour: 23.5, pricePerKwh: 0.25 },
      ],
    };
    const at = (iso: string) => energyCharge(night, [{ start: new Date(iso), energyKwh: 1 }], 'UTC').cost;
    expect(at('2024-07-01T23:30:00Z')).toBeCloseTo(0.08, 12);
    expect(at('2024-07-01T03:00:00Z')).toBeCloseTo(0.08, 12);
    expect(at('2024-07-01T07:00:00Z')).toBeCloseTo(0.08, 12);
    expect(at('2024-07-01T07:30:00Z')).toBeCloseTo(0.25, 12);
    const flat: Tariff = { type: 'flat', currency: 'USD', pricePerKwh: 0.2 };
    expect(energyCharge(flat, [{ start: new Date(), energyKwh: 5 }], 'UTC').cost).toBeCloseTo(1, 12);
  });

  it('throws when an hour is unpriced or the tariff is malformed', () => {
    const noDefault: Tariff = {
      type: 'time_of_use',
      currency: 'EUR',
      bands: [{ days: [1], fromHour: 0, toHour: 24, pricePerKwh: 0.1 }],
    };
    expect(() =>
      energyCharge(noDefault, [{ start: new Date('2024-01-02T00:00:00Z'), energyKwh: 1 }], 'UTC'),
    ).toThrow(RangeError);
    expect(() => validateTariff({ type: 'flat', currency: 'EUR' })).toThrow(RangeError);
    expect(() =>
      validateTariff({
        type: 'time_of_use',
        currency: 'EUR',
        bands: [{ days: [0], fromHour: 0, toHour: 1, pricePerKwh: 1 }],
      }),
    ).toThrow(RangeError);
    expect(() =>
      validateTariff({
        type: 'time_of_use',
        currency: 'EUR',
        bands: [{ days: [1], fromHour: 5, toHour: 5, pricePerKwh: 1 }],
      }),
    ).toThrow(RangeError);
  });
});

describe('demand — DOMAIN.md §8 vectors 49 and 50', () => {
  it('kW = kWh × 60 / interval minutes', () => {
    expect(powerKwFromEnergyKwh(10, 5)).toBe(120);
    expect(powerKwFromEnergyKwh(50, 15)).toBe(200);
    expect(() => powerKwFromEnergyKwh(1, 0)).toThrow(RangeError);
  });

  it('vector 50: 5-min kWh [10,10,20,20,20,10] → fixed 15-min blocks 160 / 200 kW, rolling max 240 kW', () => {
    const energyKwh = [10, 10, 20, 20, 20, 10];
    expect(powerKwFromEnergyKwh(10 + 10 + 20, 15)).toBeCloseTo(160, 12);
    expect(billingDemandKw(energyKwh, 5, 15, 'fixed')).toBeCloseTo(200, 12);
    expect(billingDemandKw(energyKwh, 5, 15, 'rolling')).toBeCloseTo(240, 12);
    expect(() => billingDemandKw(energyKwh, 5, 12)).toThrow(RangeError);

    const start = Date.parse('2024-03-04T09:00:00Z');
    const readings = energyKwh.map((e, i) => ({ start: new Date(start + i * 300_000), energyKwh: e }));
    expect(billingDemandKwFromReadings(readings, 5, 15, 'fixed')).toBeCloseTo(200, 12);
    expect(billingDemandKwFromReadings(readings, 5, 15, 'rolling')).toBeCloseTo(240, 12);
    // Clock alignment: shifted 5 minutes, the fixed blocks become [10,10] [20,20,20] [10] → 240 kW.
    const shifted = energyKwh.map((e, i) => ({ start: new Date(start + (i + 1) * 300_000), energyKwh: e }));
    expect(billingDemandKwFromReadings(shifted, 5, 15, 'fixed')).toBeCloseTo(240, 12);
    // A gap breaks rolling windows: no window spans it.
    const gapped = readings.map((r, i) =>
      i >= 3 ? { ...r, start: new Date(r.start.getTime() + 3_600_000) } : r,
    );
    expect(billingDemandKwFromReadings(gapped, 5, 15, 'rolling')).toBeCloseTo(200, 12);
  });

  it('vector 49: 15-min kW [200,250,230,215] at $16/kW → $4000; shave the 250 by 40 → $320; cap at 210 → $640', () => {
    const powerKw = [200, 250, 230, 215];
    const energyKwh = powerKw.map((p) => (p * 15) / 60);
    const demandKw = billingDemandKw(energyKwh, 15, 15);
    expect(demandKw).toBeCloseTo(250, 12);
    expect(demandCharge(demandKw, 16)).toBeCloseTo(4000, 10);
    const shaved = demandShavingSaving(powerKw, [200, 210, 230, 215], 16);
    expect(shaved.demandAfterKw).toBe(230);
    expect(shaved.saving).toBeCloseTo(320, 10);
    const capped = peakCapSaving(powerKw, 210, 16, 15);
    expect(capped.saving).toBeCloseTo(640, 10);
    expect(capped.demandAfterKw).toBe(210);
    expect(capped.intervalsAboveCap).toBe(3);
    expect(capped.shavedEnergyKwh).toBeCloseTo(((40 + 20 + 5) * 15) / 60, 12);
    expect(capPowerKw(powerKw, 210)).toEqual([200, 210, 210, 210]);
  });
});

describe('estimateBill', () => {
  it('adds the energy and the demand charge', () => {
    const start = Date.parse('2024-01-01T00:00:00Z'); // Monday
    // 15-min readings over one day: 5 kWh each, one 62.5 kWh spike at 10:00 (250 kW).
    const readings = Array.from({ length: 96 }, (_, i) => ({
      start: new Date(start + i * 900_000),
      energyKwh: i === 40 ? 62.5 : 5,
    }));
    const bill = estimateBill(touTariff, readings, { zone: 'UTC', intervalMinutes: 15 });
    expect(bill.billingDemandKw).toBeCloseTo(250, 12);
    expect(bill.demandCost).toBeCloseTo(4000, 10);
    const peakKwh = 39 * 5 + 62.5; // 40 peak intervals 08:00–18:00
    const offPeakKwh = 56 * 5;
    expect(bill.energy.cost).toBeCloseTo(peakKwh * 0.3 + offPeakKwh * 0.12, 10);
    expect(bill.totalCost).toBeCloseTo(bill.energy.cost + 4000, 10);
    // Hourly data with a 15-min demand block falls back to the hourly average.
    const hourly = Array.from({ length: 24 }, (_, h) => ({
      start: new Date(start + h * HOUR_MS),
      energyKwh: h === 12 ? 100 : 20,
    }));
    expect(estimateBill(touTariff, hourly, { zone: 'UTC', intervalMinutes: 60 }).billingDemandKw).toBeCloseTo(
      100,
      12,
    );
  });
});
