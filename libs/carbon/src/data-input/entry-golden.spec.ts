import Decimal from 'decimal.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CreateActivityDto } from '../dto/carbon.dto';
import { findCarbonDataDir, loadEmissionFactors } from '../factors/factor-library';
import { activityKgCo2e } from './activity-estimate';
import { activityPricing, checkActivityInput, classifyActivity } from './activity-input';
import { airports, type Airport } from './airports';
import { deriveEntry } from './entry-detail';
import { flightDetail } from './flight';

/**
 * Golden tests of issue 18 item 1 (flights by airports, fuels by litres and by money), worked out here
 * from the shipped DESNZ 2024 rows of libs/carbon/data/emission-factors.csv read independently of the
 * code under test (own line lookup, decimal.js), and the DESNZ flight method written out again:
 * great circle (haversine, R = 6371 km) × 1.08 uplift × legs × passengers × the factor of haul and class.
 */
const dataDir = findCarbonDataDir();
const P = Decimal.clone({ precision: 40 });
const kg = (v: Decimal) => v.toDecimalPlaces(3, Decimal.ROUND_HALF_UP).toNumber();

/** kgCo2ePerUnit of the CSV row with this id. */
function csvFactor(id: string): string {
  const lines = readFileSync(join(dataDir, 'emission-factors.csv'), 'utf8').split(/\r?\n/);
  const header = lines[0].split(',');
  const row = lines.find((l) => l.startsWith(`${id},`));
  if (!row) throw new Error(`no row ${id}`);
  return row.split(',')[header.indexOf('kgCo2ePerUnit')];
}

const LHR = { lat: 51.47, lon: -0.4543 };
const JFK = { lat: 40.6413, lon: -73.7781 };
function haversineKm(a: typeof LHR, b: typeof LHR): number {
  const r = Math.PI / 180;
  const h =
    Math.sin(((b.lat - a.lat) * r) / 2) ** 2 +
    Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.sin(((b.lon - a.lon) * r) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

const at = (iata: string, country: string, p: typeof LHR): Airport => ({
  iata,
  icao: '',
  name: iata,
  city: '',
  country,
  ...p,
});
const testAirports = new Map([
  ['LHR', at('LHR', 'GB', LHR)],
  ['JFK', at('JFK', 'US', JFK)],
]);
const library = loadEmissionFactors({ dataDir });

/** The whole pure path of recording an activity: derive, check, classify, price. */
function price(entered: CreateActivityDto, table = testAirports) {
  const { dto, detail } = deriveEntry(entered, () => table);
  const unit = checkActivityInput(dto);
  const c = classifyActivity(dto, activityPricing(dto, unit), {
    unit,
    region: 'GB',
    year: 2024,
    factors: { library, tenantFactors: [] },
  });
  return { dto, detail, c, kgCo2e: activityKgCo2e(dto, unit, c) };
}

const base = { periodFrom: '2024-05-01', periodTo: '2024-05-08', dataQuality: 2 };

describe('flight by airports (DESNZ 2024)', () => {
  it('LHR–JFK economy return: great circle × 1.08 × 2 legs × the long-haul economy factor with RF', () => {
    const gc = new P(haversineKm(LHR, JFK).toFixed(3)); // ≈ 5,539.6 km
    expect(gc.toNumber()).toBeGreaterThan(5530);
    expect(gc.toNumber()).toBeLessThan(5550);
    const factor = csvFactor(
      'desnz-2024:business_travel_air.long_haul.economy_class.with_rf:GB:2024:passenger_km',
    );
    expect(factor).toBe('0.20011');
    const passengerKm = gc.times('1.08').times(2);
    const expected = kg(passengerKm.times(factor)); // ≈ 2,394 kg CO2e

    const r = price({
      ...base,
      activity: 'business_travel_air',
      flight: { from: 'LHR', to: 'JFK', cabinClass: 'economy', returnTrip: true, passengers: 1 },
    } as CreateActivityDto);
    expect(r.detail?.flight).toMatchObject({
      haul: 'long_haul',
      greatCircleKm: gc.toFixed(),
      passengerKm: passengerKm.toFixed(),
      variant: 'long_haul.economy_class.with_rf',
    });
    expect(r.dto).toMatchObject({ unit: 'passenger.km', quantity: passengerKm.toFixed() });
    expect(r.c.factor?.id).toBe(
      'desnz-2024:business_travel_air.long_haul.economy_class.with_rf:GB:2024:passenger_km',
    );
    expect(r.c).toMatchObject({ scope: 3, scope3Category: 6 });
    expect(r.kgCo2e).toBe(expected);
    expect(expected).toBeGreaterThan(2380);
    expect(expected).toBeLessThan(2400);
  });

  it('the shipped airport table puts LHR–JFK within 0.3 % of the reference coordinates', () => {
    const shipped = flightDetail(
      { from: 'lhr', to: 'JFK', cabinClass: 'economy', returnTrip: false, passengers: 1 },
      airports(),
    );
    const ref = haversineKm(LHR, JFK);
    expect(Math.abs(Number(shipped.greatCircleKm) - ref) / ref).toBeLessThan(0.003);
  });

  it('bands by DESNZ haul: UK–UK domestic, to/from the UK up to 3,700 km short haul, non-UK pairs international', () => {
    const t = airports();
    const f = (from: string, to: string, cabinClass: 'economy' | 'first' = 'economy') =>
      flightDetail({ from, to, cabinClass, returnTrip: false, passengers: 1 }, t);
    expect(f('LHR', 'EDI')).toMatchObject({ haul: 'domestic', factorClass: 'average' });
    expect(f('LHR', 'EDI').note).toMatch(/average passenger/);
    expect(f('LHR', 'MAD')).toMatchObject({
      haul: 'short_haul',
      variant: 'short_haul.economy_class.with_rf',
    });
    expect(f('LHR', 'MAD', 'first')).toMatchObject({ factorClass: 'average' });
    expect(f('LHR', 'DXB')).toMatchObject({ haul: 'long_haul' });
    expect(f('CDG', 'FRA')).toMatchObject({ haul: 'international' });
  });

  it('3 passengers one way by a distance entered: 1,000 km × 1.08 × 3 at the short-haul business factor', () => {
    const factor = csvFactor(
      'desnz-2024:business_travel_air.short_haul.business_class.with_rf:GB:2024:passenger_km',
    );
    const r = price({
      ...base,
      activity: 'business_travel_air',
      flight: { distanceKm: '1000', cabinClass: 'business', returnTrip: false, passengers: 3 },
    } as CreateActivityDto);
    expect(r.dto.quantity).toBe('3240');
    expect(r.kgCo2e).toBe(kg(new P(3240).times(factor)));
  });

  it('refuses an unknown airport naming the field', () => {
    expect(() =>
      price({
        ...base,
        activity: 'business_travel_air',
        flight: { from: 'LHR', to: 'XXX', cabinClass: 'economy', returnTrip: false, passengers: 1 },
      } as CreateActivityDto),
    ).toThrow(
      expect.objectContaining({ fields: [{ field: 'flight.to', message: "unknown airport 'XXX'" }] }),
    );
  });
});

describe('fuels by litres and by money (DESNZ 2024)', () => {
  const diesel = csvFactor('desnz-2024:diesel:GB:2024:litre');

  it('100 litres of diesel (average biofuel blend) = 100 × the DESNZ 2024 kg CO2e per litre', () => {
    expect(diesel).toBe('2.51279');
    const r = price({ ...base, activity: 'diesel', quantity: '100', unit: 'litre' });
    expect(r.c.factor?.id).toBe('desnz-2024:diesel:GB:2024:litre');
    expect(r.kgCo2e).toBe(kg(new P(100).times(diesel))); // 251.279
  });

  it('£76.50 at £1.53 a litre = 50 litres, priced as 50 litres; money, price and litres kept', () => {
    const r = price({
      ...base,
      activity: 'diesel',
      fuelSpend: { amount: '76.50', currency: 'gbp', pricePerLitre: '1.53', priceSource: 'receipt 42' },
    } as CreateActivityDto);
    expect(r.detail?.fuelSpend).toEqual({
      amount: '76.5',
      currency: 'GBP',
      pricePerLitre: '1.53',
      priceSource: 'receipt 42',
      priceEntered: true,
      litres: '50',
    });
    expect(r.dto).toMatchObject({ quantity: '50', unit: 'litre' });
    expect(r.kgCo2e).toBe(kg(new P(50).times(diesel)));
  });

  it('rounds litres to 3 decimals; the default price is used only when stated and is marked unverified', () => {
    const r = price({
      ...base,
      activity: 'petrol',
      fuelSpend: { amount: '100', currency: 'GBP' },
    } as CreateActivityDto);
    expect(r.detail?.fuelSpend).toMatchObject({
      pricePerLitre: '1.45',
      priceEntered: false,
      litres: '68.966',
    });
    expect(r.detail?.fuelSpend?.priceSource).toMatch(/^✘ unverified/);
    expect(() =>
      price({
        ...base,
        activity: 'diesel',
        fuelSpend: { amount: '100', currency: 'EUR' },
      } as CreateActivityDto),
    ).toThrow(
      expect.objectContaining({ fields: [{ field: 'fuelSpend.pricePerLitre', message: 'required' }] }),
    );
  });
});
