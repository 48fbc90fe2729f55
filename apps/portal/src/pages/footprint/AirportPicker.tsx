// An airport by its IATA code, name or city: the listed airports (GET /api/v1/airports, OurAirports,
// public domain) are searched as the person types and one is picked; the code is what the form keeps.
import { useId } from 'react';
import type { components } from '../../api/schema';
import { Field } from '../../components/form';

export type Airport = components['schemas']['AirportView'];

const norm = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .trim();

/** Up to `max` airports whose code, name or city contains the text (an exact code first). */
export function searchAirports(list: Airport[], text: string, max = 8): Airport[] {
  const q = norm(text);
  if (q.length < 2) return [];
  const hit = (a: Airport) =>
    norm(a.iata).startsWith(q) || norm(a.name).includes(q) || norm(a.city).includes(q);
  const exact = list.filter((a) => norm(a.iata) === q);
  return [...exact, ...list.filter((a) => hit(a) && !exact.includes(a))].slice(0, max);
}

export const airportText = (a: Airport) => `${a.iata} · ${a.name}, ${a.city} (${a.country})`;

export function AirportPicker({
  label,
  value,
  onChange,
  airports,
  error,
}: {
  label: string;
  value: string;
  onChange: (code: string) => void;
  airports: Airport[] | undefined;
  error?: string;
}) {
  const listId = useId();
  const picked = airports?.find((a) => a.iata === value.trim().toUpperCase());
  const matches = picked ? [] : searchAirports(airports ?? [], value);
  const unknown = !picked && value.trim().length >= 3 && !matches.length;
  return (
    <div>
      <Field
        label={label}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        autoComplete="off"
        aria-controls={matches.length ? listId : undefined}
        hint={picked ? airportText(picked) : 'IATA code, city or airport name'}
        error={
          error ?? (unknown ? 'Not a listed airport: enter the distance instead (“By distance”).' : undefined)
        }
      />
      {matches.length ? (
        <ul className="plain small" id={listId} role="listbox" aria-label={`${label}: matching airports`}>
          {matches.map((a) => (
            <li key={a.iata} role="option" aria-selected={false}>
              <button type="button" className="btn link small" onClick={() => onChange(a.iata)}>
                {airportText(a)}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
