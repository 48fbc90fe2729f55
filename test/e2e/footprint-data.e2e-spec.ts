import Decimal from 'decimal.js';
import { SignedUp, TestApp, serverMode, signup, startApp } from '../support/harness';

/**
 * Footprint data entered by hand (issue 18): the preview answers the factor and kg CO2e that create
 * records, an edit selects the factor again and is audited, a delete too. Golden numbers are worked
 * out here from the DESNZ 2024 v1.1 values in libs/carbon/data/emission-factors.csv:
 *   desnz-2024:diesel:GB:2024:litre = 2.51279 kg CO2e per litre
 *   desnz-2024:business_travel_air.long_haul.economy_class.with_rf:GB:2024:passenger_km = 0.20011
 *   desnz-2024:business_travel_air.long_haul.business_class.with_rf:GB:2024:passenger_km = 0.58028
 */
const D = (v: string | number) => new Decimal(v);
const kg = (v: Decimal) => v.toDecimalPlaces(3, Decimal.ROUND_HALF_UP).toNumber();

describe(`footprint data (${serverMode().database}, ${serverMode().queue})`, () => {
  let t: TestApp;
  let o: SignedUp;
  beforeAll(async () => {
    t = await startApp();
    o = await signup(t, 'footprint');
  });
  afterAll(() => t?.close());

  const url = (path: string) => `/api/v1/orgs/${o.orgId}/activities${path}`;
  const diesel = {
    activity: 'diesel',
    quantity: '1250.5',
    unit: 'litre',
    periodFrom: '2024-03-01',
    periodTo: '2024-04-01',
    dataQuality: 1,
    description: 'Fuel card, March',
  };
  // a return flight of 2 × 5,541 km, the distance as entered (the factor applies per passenger.km)
  const flight = {
    activity: 'business_travel_air',
    variant: 'long_haul.economy_class.with_rf',
    quantity: '11082',
    unit: 'passenger.km',
    periodFrom: '2024-05-10',
    periodTo: '2024-05-17',
    dataQuality: 2,
  };

  it('previews a UK diesel litre figure at the DESNZ 2024 factor, storing nothing, and records exactly that', async () => {
    const preview = await t.http.post(url('/preview')).set(o.auth).send(diesel).expect(200);
    const expected = kg(D('1250.5').times('2.51279')); // 3142.243895 → 3142.244
    expect(preview.body).toMatchObject({
      scope: 1,
      unit: 'litre',
      region: 'GB',
      kgCo2e: expected,
      factor: {
        id: 'desnz-2024:diesel:GB:2024:litre',
        value: '2.51279',
        unit: 'litre',
        edition: '2024 v1.1',
      },
    });
    expect((await t.http.get(url('')).set(o.auth).expect(200)).body).toHaveLength(0);

    const created = await t.http.post(url('')).set(o.auth).send(diesel).expect(201);
    expect(created.body.factor).toEqual(preview.body.factor);
    expect(created.body.kgCo2e).toBe(expected);
    expect(created.body.scope).toBe(1);
  });

  it('prices a long-haul flight by distance and class, and the inventory counts the same kg', async () => {
    const preview = await t.http.post(url('/preview')).set(o.auth).send(flight).expect(200);
    const expected = kg(D(11082).times('0.20011')); // 2217.61902 → 2217.619
    expect(preview.body).toMatchObject({ scope: 3, scope3Category: 6, kgCo2e: expected });
    const created = await t.http.post(url('')).set(o.auth).send(flight).expect(201);
    expect(created.body.kgCo2e).toBe(expected);
    const inv = await t.http
      .get(`/api/v1/orgs/${o.orgId}/inventory?from=2024-01-01&to=2025-01-01`)
      .set(o.auth)
      .expect(200);
    const line = inv.body.lines.find(
      (l: { lineId?: string; scope: number }) => l.lineId === `activity:${created.body.id}` && l.scope === 3,
    );
    expect(line.kgCo2e).toBe(expected);
  });

  it('edits the flight to business class: the factor is selected again, the kg changes, an audit event keeps before and after', async () => {
    const list = (await t.http.get(url('/priced?from=2024-01-01&to=2025-01-01')).set(o.auth).expect(200))
      .body as { id: string; activity: string; kgCo2e: number }[];
    const trip = list.find((a) => a.activity === 'business_travel_air') as { id: string };
    const edited = await t.http
      .patch(url(`/${trip.id}`))
      .set(o.auth)
      .send({ variant: 'long_haul.business_class.with_rf' })
      .expect(200);
    const expected = kg(D(11082).times('0.58028')); // 6430.66296 → 6430.663
    expect(edited.body).toMatchObject({
      id: trip.id,
      variant: 'long_haul.business_class.with_rf',
      quantity: '11082',
      kgCo2e: expected,
      factor: { id: 'desnz-2024:business_travel_air.long_haul.business_class.with_rf:GB:2024:passenger_km' },
    });
    const priced = (await t.http.get(url('/priced')).set(o.auth).expect(200)).body as {
      id: string;
      kgCo2e: number;
    }[];
    expect(priced.find((a) => a.id === trip.id)?.kgCo2e).toBe(expected);

    const events = (
      await t.http.get(`/api/v1/orgs/${o.orgId}/audit-events?limit=200`).set(o.auth).expect(200)
    ).body as { action: string; entityId: string; summary: Record<string, Record<string, unknown>> }[];
    const update = events.find((e) => e.action === 'activity.updated' && e.entityId === trip.id);
    expect(update?.summary.before).toMatchObject({ variant: 'long_haul.economy_class.with_rf' });
    expect(update?.summary.after).toMatchObject({ variant: 'long_haul.business_class.with_rf' });

    // an edit that contradicts itself is refused and changes nothing
    await t.http
      .patch(url(`/${trip.id}`))
      .set(o.auth)
      .send({ periodTo: '2024-01-01' })
      .expect(400);
    await t.http.patch(url('/00000000-0000-4000-8000-000000000000')).set(o.auth).send({}).expect(404);
  });

  it('deletes an entry (audited) and the list no longer has it', async () => {
    const list = (await t.http.get(url('/priced')).set(o.auth).expect(200)).body as {
      id: string;
      activity: string;
    }[];
    const fuel = list.find((a) => a.activity === 'diesel') as { id: string };
    await t.http
      .delete(url(`/${fuel.id}`))
      .set(o.auth)
      .expect(204);
    const after = (await t.http.get(url('/priced')).set(o.auth).expect(200)).body as { id: string }[];
    expect(after.map((a) => a.id)).not.toContain(fuel.id);
    const events = (
      await t.http.get(`/api/v1/orgs/${o.orgId}/audit-events?limit=200`).set(o.auth).expect(200)
    ).body as { action: string; entityId: string }[];
    expect(events.filter((e) => e.entityId === fuel.id).map((e) => e.action)).toEqual(
      expect.arrayContaining(['activity.created', 'activity.deleted']),
    );
  });

  it('prices a flight entered by airports as DESNZ does (great circle + 8 %, legs, passengers) and keeps the route', async () => {
    const airports = (await t.http.get('/api/v1/airports').set(o.auth).expect(200)).body as {
      iata: string;
      country: string;
    }[];
    expect(airports.find((a) => a.iata === 'LHR')).toMatchObject({ country: 'GB' });
    const trip = {
      activity: 'business_travel_air',
      periodFrom: '2024-06-03',
      periodTo: '2024-06-08',
      dataQuality: 2,
      flight: { from: 'LHR', to: 'JFK', cabinClass: 'economy', returnTrip: true, passengers: 1 },
    };
    const preview = await t.http.post(url('/preview')).set(o.auth).send(trip).expect(200);
    const gc = D(preview.body.flight.greatCircleKm);
    expect(gc.toNumber()).toBeGreaterThan(5530); // LHR–JFK ≈ 5,540 km
    expect(gc.toNumber()).toBeLessThan(5560);
    const passengerKm = gc.times('1.08').times(2);
    expect(preview.body).toMatchObject({
      unit: 'passenger.km',
      quantity: passengerKm.toFixed(),
      kgCo2e: kg(passengerKm.times('0.20011')),
      flight: { haul: 'long_haul', variant: 'long_haul.economy_class.with_rf', uplift: '1.08' },
    });
    const created = await t.http.post(url('')).set(o.auth).send(trip).expect(201);
    expect(created.body).toMatchObject({
      quantity: passengerKm.toFixed(),
      flight: { from: 'LHR', to: 'JFK' },
    });

    // two passengers: the route is kept, the passenger.km and kg double
    const two = await t.http
      .patch(url(`/${created.body.id}`))
      .set(o.auth)
      .send({ flight: { ...trip.flight, passengers: 2 } })
      .expect(200);
    expect(two.body.quantity).toBe(passengerKm.times(2).toFixed());
    expect(two.body.kgCo2e).toBe(kg(passengerKm.times(2).times('0.20011')));
    const priced = (await t.http.get(url('/priced')).set(o.auth).expect(200)).body as {
      id: string;
      kgCo2e: number;
      flight: { passengers: number } | null;
    }[];
    expect(priced.find((a) => a.id === created.body.id)).toMatchObject({
      kgCo2e: two.body.kgCo2e,
      flight: { passengers: 2 },
    });

    // a distance stated directly replaces the route
    const direct = await t.http
      .patch(url(`/${created.body.id}`))
      .set(o.auth)
      .send({ quantity: '1000', unit: 'passenger.km' })
      .expect(200);
    expect(direct.body).toMatchObject({ quantity: '1000', flight: null });

    const bad = await t.http
      .post(url('/preview'))
      .set(o.auth)
      .send({ ...trip, flight: { ...trip.flight, to: 'QQQ' } })
      .expect(400);
    expect(bad.body.errors).toEqual([{ field: 'flight.to', message: "unknown airport 'QQQ'" }]);
  });

  it('converts a fuel bought by money to litres at the price entered, and keeps money, price and litres', async () => {
    const receipt = {
      activity: 'diesel',
      periodFrom: '2024-07-01',
      periodTo: '2024-07-02',
      dataQuality: 1,
      fuelSpend: { amount: '91.80', currency: 'GBP', pricePerLitre: '1.53', priceSource: 'Receipt 77' },
    };
    const created = await t.http.post(url('')).set(o.auth).send(receipt).expect(201);
    expect(created.body).toMatchObject({
      quantity: '60',
      unit: 'litre',
      kgCo2e: kg(D(60).times('2.51279')),
      fuelSpend: { amount: '91.8', currency: 'GBP', pricePerLitre: '1.53', litres: '60', priceEntered: true },
    });
    const got = await t.http
      .get(url(`/${created.body.id}`))
      .set(o.auth)
      .expect(200);
    expect(got.body.fuelSpend).toMatchObject({ priceSource: 'Receipt 77', litres: '60' });
    const noPrice = await t.http
      .post(url('/preview'))
      .set(o.auth)
      .send({ ...receipt, fuelSpend: { amount: '10', currency: 'EUR' } })
      .expect(400);
    expect(noPrice.body.errors).toEqual([{ field: 'fuelSpend.pricePerLitre', message: 'required' }]);
  });
});
