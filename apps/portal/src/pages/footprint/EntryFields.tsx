// The fields of the two entries the API works out itself: a flight (airports or distance, class,
// return, passengers; priced as DESNZ does: great circle + 8 %) and a fuel bought by money (amount,
// currency, price per litre; litres = amount ÷ price).
import type { ChangeEvent } from 'react';
import { Field, Select } from '../../components/form';
import { useApiQuery } from '../../lib/api-query';
import { AirportPicker } from './AirportPicker';
import { CABIN_CLASSES } from './categories';
import type { Draft } from './draft';

type Set = (k: keyof Draft) => (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => void;
type Put = (k: keyof Draft, v: string) => void;

export function FlightFields({
  d,
  set,
  put,
  err,
}: {
  d: Draft;
  set: Set;
  put: Put;
  err: (f: string) => string | undefined;
}) {
  const airports = useApiQuery('/api/v1/airports', {});
  const byDistance = d.byDistance === 'yes';
  return (
    <>
      <Select
        label="Route by"
        value={d.byDistance}
        onChange={set('byDistance')}
        options={[
          { value: '', label: 'Airports' },
          { value: 'yes', label: 'Distance (km one way)' },
        ]}
      />
      {byDistance ? (
        <Field
          label="Distance one way (km)"
          inputMode="decimal"
          value={d.distanceKm}
          onChange={set('distanceKm')}
          error={err('flight.distanceKm')}
          hint="Great-circle distance; the DESNZ 8 % uplift is added."
          required
        />
      ) : (
        <>
          <AirportPicker
            label="From airport"
            value={d.from}
            onChange={(v) => put('from', v)}
            airports={airports.data}
            error={err('flight.from')}
          />
          <AirportPicker
            label="To airport"
            value={d.to}
            onChange={(v) => put('to', v)}
            airports={airports.data}
            error={err('flight.to')}
          />
        </>
      )}
      <Select label="Class" value={d.cabinClass} onChange={set('cabinClass')} options={CABIN_CLASSES} />
      <Select
        label="Return or one way"
        value={d.returnTrip}
        onChange={set('returnTrip')}
        options={[
          { value: 'yes', label: 'Return (two legs)' },
          { value: '', label: 'One way' },
        ]}
      />
      <Field
        label="Passengers"
        inputMode="numeric"
        value={d.passengers}
        onChange={set('passengers')}
        error={err('flight.passengers')}
        required
      />
    </>
  );
}

export function MoneyFields({ d, set, err }: { d: Draft; set: Set; err: (f: string) => string | undefined }) {
  return (
    <>
      <Field
        label="Amount paid"
        inputMode="decimal"
        value={d.amount}
        onChange={set('amount')}
        error={err('fuelSpend.amount')}
        required
      />
      <Field
        label="Currency"
        value={d.currency}
        onChange={set('currency')}
        error={err('fuelSpend.currency')}
        maxLength={3}
      />
      <Field
        label="Price per litre"
        inputMode="decimal"
        value={d.pricePerLitre}
        onChange={set('pricePerLitre')}
        error={err('fuelSpend.pricePerLitre')}
        hint="From the receipt. Empty: a stated default (diesel and petrol in GBP only), marked unverified."
      />
      {d.pricePerLitre.trim() ? (
        <Field
          label="Price source"
          value={d.priceSource}
          onChange={set('priceSource')}
          hint="Receipt or statement the price is from."
        />
      ) : null}
    </>
  );
}
