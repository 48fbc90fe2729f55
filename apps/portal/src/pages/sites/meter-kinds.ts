import type { MeterKind } from '../../api/types';
import { humanize } from '../../lib/format';

export const METER_KINDS: { value: MeterKind; label: string; units: string[] }[] = [
  { value: 'electricity_import', label: 'Electricity (bought from the grid)', units: ['kWh'] },
  { value: 'electricity_export', label: 'Electricity exported to the grid', units: ['kWh'] },
  { value: 'pv_generation', label: 'Solar PV generation', units: ['kWh'] },
  { value: 'wind_generation', label: 'Wind generation', units: ['kWh'] },
  { value: 'natural_gas', label: 'Natural gas', units: ['kWh', 'm3', 'therm', 'ft3'] },
  { value: 'fuel_oil', label: 'Heating oil / diesel', units: ['L', 'kWh', 'gal'] },
  { value: 'district_heat', label: 'District heat', units: ['kWh'] },
  { value: 'water', label: 'Water', units: ['m3', 'L'] },
];
export const kindLabel = (kind: string) => METER_KINDS.find((k) => k.value === kind)?.label ?? humanize(kind);

export const INTERVALS = [
  { value: '15', label: '15 minutes' },
  { value: '30', label: '30 minutes' },
  { value: '60', label: 'Hourly' },
  { value: '5', label: '5 minutes' },
  { value: '1440', label: 'Daily' },
  { value: 'bill', label: 'Monthly / bill periods' },
];
export const intervalLabel = (m: number | null) =>
  m === null ? 'Bill periods' : m === 1440 ? 'Daily' : m === 60 ? 'Hourly' : `${m} min`;
