// Entries the API works out itself: a flight picked by airports (searched by code, city or name) and a
// fuel entered by the money paid; what is sent, and how the preview shows the working.
import { describe, expect, it, jest } from '@jest/globals';
import { screen, waitFor, within } from '@testing-library/react';
import type { ActivityPricing } from '../../api/types';
import { mockFetch, renderPage, user, type SentRequest } from '../../test/render';
import { ActivityForm } from './ActivityForm';
import { searchAirports, type Airport } from './AirportPicker';

const BASE = '/api/v1/orgs/org-1/activities';
const AIRPORTS: Airport[] = [
  {
    iata: 'LHR',
    icao: 'EGLL',
    name: 'London Heathrow Airport',
    city: 'London',
    country: 'GB',
    lat: 51.47,
    lon: -0.46,
  },
  {
    iata: 'LGW',
    icao: 'EGKK',
    name: 'London Gatwick Airport',
    city: 'London',
    country: 'GB',
    lat: 51.15,
    lon: -0.19,
  },
  {
    iata: 'JFK',
    icao: 'KJFK',
    name: 'John F. Kennedy International Airport',
    city: 'New York',
    country: 'US',
    lat: 40.64,
    lon: -73.78,
  },
  {
    iata: 'MAD',
    icao: 'LEMD',
    name: 'Adolfo Suárez Madrid–Barajas Airport',
    city: 'Madrid',
    country: 'ES',
    lat: 40.5,
    lon: -3.56,
  },
];
const FACTOR = {
  id: 'desnz-2024:business_travel_air.long_haul.economy_class.with_rf:GB:2024:passenger_km',
  value: '0.20011',
  unit: 'passenger.km',
  year: 2024,
  region: 'GB',
  source: 'UK DESNZ GHG conversion factors for company reporting',
  edition: '2024 v1.1',
};

/** The API's answer for a LHR–JFK economy flight: 5,539.6 km × 1.08 × legs × passengers. */
function flightPricing(req: SentRequest): ActivityPricing {
  const f = (req.body as { flight: { returnTrip: boolean; passengers: number } }).flight;
  const pkm = 5539.6 * 1.08 * (f.returnTrip ? 2 : 1) * f.passengers;
  return {
    scope: 3,
    scope3Category: 6,
    quantity: String(pkm),
    unit: 'passenger.km',
    region: 'GB',
    factor: FACTOR,
    kgCo2e: Math.round(pkm * 0.20011 * 1000) / 1000,
    warnings: [],
    fuelSpend: null,
    flight: {
      from: 'LHR',
      to: 'JFK',
      greatCircleKm: '5539.6',
      upliftedKm: '5982.768',
      uplift: '1.08',
      haul: 'long_haul',
      cabinClass: 'economy',
      factorClass: 'economy',
      returnTrip: f.returnTrip,
      passengers: f.passengers,
      radiativeForcing: true,
      passengerKm: String(pkm),
      variant: 'long_haul.economy_class.with_rf',
      note: null,
    },
  };
}

describe('searchAirports', () => {
  it('finds by code first, then by city or name, ignoring case and accents', () => {
    expect(searchAirports(AIRPORTS, 'lhr').map((a) => a.iata)).toEqual(['LHR']);
    expect(searchAirports(AIRPORTS, 'london').map((a) => a.iata)).toEqual(['LHR', 'LGW']);
    expect(searchAirports(AIRPORTS, 'suarez').map((a) => a.iata)).toEqual(['MAD']);
    expect(searchAirports(AIRPORTS, 'l')).toEqual([]);
  });
});

describe('ActivityForm: a flight by airports', () => {
  it('picks the airports from the list by city and code, sends the flight, and shows the DESNZ working', async () => {
    const { requests } = mockFetch((r) => {
      if (r.url === '/api/v1/airports') return { status: 200, body: AIRPORTS };
      if (r.url === `${BASE}/preview`) return { status: 200, body: flightPricing(r) };
      if (r.method === 'POST' && r.url === BASE) return { status: 201, body: { id: 'f-1' } };
      return undefined;
    });
    const onDone = jest.fn();
    renderPage(<ActivityForm year={2024} category="travel" onDone={onDone} />);
    const u = user();
    expect((screen.getByLabelText('Trip') as HTMLSelectElement).value).toBe('flight');
    await u.type(screen.getByLabelText('From airport'), 'heath');
    const options = await screen.findByRole('listbox', { name: /From airport/ });
    await u.click(within(options).getByRole('button', { name: /LHR · London Heathrow Airport/ }));
    expect((screen.getByLabelText('From airport') as HTMLInputElement).value).toBe('LHR');
    expect(screen.getByText('LHR · London Heathrow Airport, London (GB)')).toBeTruthy();
    await u.type(screen.getByLabelText('To airport'), 'jfk');
    await u.type(screen.getByLabelText(/Passengers/), '{Backspace}2');
    const expectedKg = Math.round(5539.6 * 1.08 * 2 * 2 * 0.20011 * 1000) / 1000;
    await screen.findByText(`${expectedKg.toLocaleString('en-GB', { maximumFractionDigits: 3 })} kg CO₂e`);
    expect(screen.getByTestId('flight-detail').textContent).toContain('× 1.08 (DESNZ uplift)');
    expect(screen.getByTestId('flight-detail').textContent).toContain('2 legs × 2 passengers');
    const body = {
      activity: 'business_travel_air',
      flight: { from: 'LHR', to: 'JFK', cabinClass: 'economy', returnTrip: true, passengers: 2 },
      periodFrom: '2024-01-01',
      periodTo: '2025-01-01',
      dataQuality: 2,
    };
    expect(requests.filter((r) => r.url === `${BASE}/preview`).at(-1)?.body).toEqual(body);
    await u.click(screen.getByRole('button', { name: 'Add entry' }));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith({ id: 'f-1' }));
    expect(requests.find((r) => r.method === 'POST' && r.url === BASE)?.body).toEqual(body);
  });

  it('says when a typed code is not a listed airport, and sends nothing for it', async () => {
    const { requests } = mockFetch((r) =>
      r.url === '/api/v1/airports' ? { status: 200, body: AIRPORTS } : undefined,
    );
    renderPage(<ActivityForm year={2024} category="travel" onDone={jest.fn()} />);
    const u = user();
    await screen.findByLabelText('From airport');
    await waitFor(() => expect(requests.some((r) => r.url === '/api/v1/airports')).toBe(true));
    await u.type(screen.getByLabelText('From airport'), 'QQQ');
    expect(await screen.findByText(/Not a listed airport/)).toBeTruthy();
    expect(requests.some((r) => r.url === `${BASE}/preview`)).toBe(false);
  });
});

describe('ActivityForm: a fuel by money', () => {
  it('sends the amount, currency and price, and shows the litres worked out', async () => {
    const { requests } = mockFetch((r) => {
      if (r.url !== `${BASE}/preview`) return undefined;
      const m = (r.body as { fuelSpend: { amount: string; pricePerLitre: string } }).fuelSpend;
      const litres = Number(m.amount) / Number(m.pricePerLitre);
      return {
        status: 200,
        body: {
          scope: 1,
          scope3Category: null,
          quantity: String(litres),
          unit: 'litre',
          region: 'GB',
          factor: { ...FACTOR, id: 'desnz-2024:diesel:GB:2024:litre', value: '2.51279', unit: 'litre' },
          kgCo2e: Math.round(litres * 2.51279 * 1000) / 1000,
          warnings: [],
          flight: null,
          fuelSpend: {
            amount: m.amount,
            currency: 'GBP',
            pricePerLitre: m.pricePerLitre,
            priceSource: 'Receipt 9',
            priceEntered: true,
            litres: String(litres),
          },
        } satisfies ActivityPricing,
      };
    });
    renderPage(<ActivityForm year={2024} category="fuels" onDone={jest.fn()} />);
    const u = user();
    await u.selectOptions(screen.getByLabelText('Fuel'), 'diesel');
    await u.selectOptions(screen.getByLabelText('Unit'), 'money');
    expect(screen.queryByLabelText(/Quantity/)).toBeNull();
    await u.type(screen.getByLabelText(/Amount paid/), '91.80');
    await u.type(screen.getByLabelText('Price per litre'), '1.53');
    await u.type(screen.getByLabelText('Price source'), 'Receipt 9');
    await screen.findByText('150.767 kg CO₂e'); // 60 litres × 2.51279
    expect(screen.getByTestId('money-detail').textContent).toContain(
      'GBP 91.80 ÷ 1.53 per litre = 60 litres',
    );
    expect(requests.filter((r) => r.url === `${BASE}/preview`).at(-1)?.body).toEqual({
      activity: 'diesel',
      fuelSpend: { amount: '91.80', currency: 'GBP', pricePerLitre: '1.53', priceSource: 'Receipt 9' },
      periodFrom: '2024-01-01',
      periodTo: '2025-01-01',
      dataQuality: 2,
    });
  });
});
