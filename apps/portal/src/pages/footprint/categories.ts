// The kinds of footprint data a person enters, in the factor library's vocabulary
// (libs/carbon/data/emission-factors.csv: activity, variant, unit). A form picks a category, then a
// kind (activity and variant prefix), an optional second choice appended to the variant (a flight's
// class, a waste route), a quantity and a unit; the API selects the factor for the organisation's
// region and the entry's year, and says so when none exists.

export interface Choice {
  value: string;
  label: string;
}

export interface Kind {
  /** `activity` or `activity:variant`. */
  value: string;
  label: string;
  units: string[];
  /** The detail choices DESNZ 2024 has a factor for with this kind (all of the category's when absent). */
  details?: string[];
}

export interface Category {
  key: string;
  label: string;
  /** Where it counts, for people. */
  scope: string;
  kindLabel: string;
  kinds: Kind[];
  /** A second choice appended to the kind's variant with a dot (flight class, waste route). */
  detail?: { label: string; options: Choice[] };
  /** Free activity, variant and unit (anything in the factor library). */
  free?: boolean;
}

const k = (value: string, label: string, units: string[], details?: string[]): Kind => ({
  value,
  label,
  units,
  ...(details ? { details } : {}),
});
// routes and classes with a DESNZ 2024 factor (libs/carbon/data/emission-factors.csv, GB 2024)
const RF = (classes: string[]) => classes.map((c) => `${c}.with_rf`);
const LANDFILL_BURN = ['landfill', 'combustion'];
const RECYCLABLE = ['landfill', 'combustion', 'closed_loop', 'open_loop'];
const ORGANIC = ['landfill', 'combustion', 'composting', 'anaerobic_digestion'];
const PAPER = ['landfill', 'combustion', 'closed_loop', 'composting'];
/** The unit of a fuel entered by what it cost (litres = amount ÷ price per litre, worked out by the API). */
export const MONEY = 'money';
/** The kind of a flight entered by airports or distance (priced as DESNZ does, by the API). */
export const FLIGHT = 'flight';
const LITRE_FUEL_UNITS = ['litre', MONEY, 'kWh', 'tonne'];
const CAR = (size: string, label: string) =>
  ['diesel', 'petrol', 'hybrid', 'phev', 'bev', 'unknown'].map((fuel) =>
    k(`company_car:${size}.${fuel}`, `${label}, ${fuel === 'bev' ? 'battery electric' : fuel}`, [
      'km',
      'mile',
    ]),
  );

export const CATEGORIES: Category[] = [
  {
    key: 'fuels',
    label: 'Fuels',
    scope: 'Scope 1 · burnt on site',
    kindLabel: 'Fuel',
    kinds: [
      k('natural_gas', 'Natural gas', ['kWh', 'm3', 'tonne']),
      k('burning_oil', 'Heating oil (kerosene)', LITRE_FUEL_UNITS),
      k('gas_oil', 'Gas oil (red diesel)', LITRE_FUEL_UNITS),
      k('lpg', 'LPG', LITRE_FUEL_UNITS),
      k('propane', 'Propane', LITRE_FUEL_UNITS),
      k('diesel', 'Diesel (average biofuel blend)', LITRE_FUEL_UNITS),
      k('petrol', 'Petrol (average biofuel blend)', LITRE_FUEL_UNITS),
      k('biomass:wood_pellets', 'Wood pellets', ['tonne', 'kWh']),
    ],
  },
  {
    key: 'vehicles',
    label: 'Company vehicles',
    scope: 'Scope 1 · vehicles you own or lease',
    kindLabel: 'Vehicle or fuel',
    kinds: [
      ...CAR('average_car', 'Car'),
      ...CAR('small_car', 'Small car'),
      ...CAR('large_car', 'Large car'),
      k('company_van:average_up_to_3_5_tonnes.diesel', 'Van up to 3.5 t, diesel', ['km', 'mile']),
      k('company_van:average_up_to_3_5_tonnes.petrol', 'Van up to 3.5 t, petrol', ['km', 'mile']),
      k('company_van:average_up_to_3_5_tonnes.bev', 'Van up to 3.5 t, battery electric', ['km', 'mile']),
      k('company_motorbike:average', 'Motorbike', ['km', 'mile']),
      k('diesel', 'Diesel bought (fuel card)', ['litre', MONEY]),
      k('petrol', 'Petrol bought (fuel card)', ['litre', MONEY]),
    ],
  },
  {
    key: 'refrigerants',
    label: 'Refrigerants',
    scope: 'Scope 1 · gas topped up (= leaked)',
    kindLabel: 'Gas',
    kinds: [
      k('refrigerant:r410a', 'R-410A', ['kg']),
      k('refrigerant:r404a', 'R-404A', ['kg']),
      k('refrigerant:r407c', 'R-407C', ['kg']),
      k('refrigerant:hfc_134a', 'R-134a (HFC-134a)', ['kg']),
      k('refrigerant:hfc_32', 'R-32 (HFC-32)', ['kg']),
      k('refrigerant:r507a', 'R-507A', ['kg']),
      k('refrigerant:hcfc_22_r22_chlorodifluoromethane', 'R-22 (HCFC-22)', ['kg']),
    ],
  },
  {
    key: 'heat',
    label: 'Purchased heat',
    scope: 'Scope 2 · heat or steam bought',
    kindLabel: 'Heat',
    kinds: [
      k('heat_steam:district_heat', 'District heating', ['kWh']),
      k('heat_steam:onsite_heat', 'Heat or steam generated on site by a supplier', ['kWh']),
    ],
  },
  {
    key: 'travel',
    label: 'Business travel',
    scope: 'Scope 3 · category 6',
    kindLabel: 'Trip',
    kinds: [
      k(FLIGHT, 'Flight by airports or distance', []),
      k('business_travel_air:domestic', 'Flight, domestic', ['passenger.km'], RF(['average_passenger'])),
      k(
        'business_travel_air:short_haul',
        'Flight, short haul (< 3,700 km)',
        ['passenger.km'],
        RF(['economy_class', 'business_class', 'average_passenger']),
      ),
      k('business_travel_air:long_haul', 'Flight, long haul', ['passenger.km']),
      k('business_travel_air:international', 'Flight, between other countries', ['passenger.km']),
      k('business_travel_rail:national_rail', 'Rail, national', ['passenger.km']),
      k('business_travel_rail:international_rail', 'Rail, international', ['passenger.km']),
      k('business_travel_rail:light_rail_and_tram', 'Light rail and tram', ['passenger.km']),
      k('business_travel_rail:london_underground', 'London Underground', ['passenger.km']),
      k('business_travel_bus:average_local_bus', 'Bus', ['passenger.km']),
      k('business_travel_bus:coach', 'Coach', ['passenger.km']),
      k('business_travel_taxi:regular_taxi', 'Taxi', ['km', 'passenger.km']),
      k('business_travel_car:average_car.unknown', 'Own car (grey fleet)', ['km', 'mile']),
      k('hotel_stay', 'Hotel nights', ['room.night']),
    ],
    detail: {
      label: 'Class (flights)',
      options: [
        { value: 'economy_class.with_rf', label: 'Economy' },
        { value: 'premium_economy_class.with_rf', label: 'Premium economy' },
        { value: 'business_class.with_rf', label: 'Business' },
        { value: 'first_class.with_rf', label: 'First' },
        { value: 'average_passenger.with_rf', label: 'Average passenger (class unknown)' },
      ],
    },
  },
  {
    key: 'waste',
    label: 'Waste',
    scope: 'Scope 3 · category 5',
    kindLabel: 'Waste type',
    kinds: [
      k(
        'waste:commercial_and_industrial_waste',
        'Commercial and industrial (general)',
        ['tonne'],
        LANDFILL_BURN,
      ),
      k('waste:household_residual_waste', 'Residual (black bag)', ['tonne'], LANDFILL_BURN),
      k('waste:organic_food_and_drink_waste', 'Food and drink', ['tonne'], ORGANIC),
      k('waste:organic_garden_waste', 'Garden waste', ['tonne'], ORGANIC),
      k('waste:organic_mixed_food_and_garden_waste', 'Mixed food and garden', ['tonne'], ORGANIC),
      k('waste:paper_and_board_mixed', 'Paper and board', ['tonne'], PAPER),
      k('waste:plastics_average_plastics', 'Plastics', ['tonne'], RECYCLABLE),
      k('waste:plastics_average_plastic_film', 'Plastic film', ['tonne'], RECYCLABLE),
      k('waste:glass', 'Glass', ['tonne'], RECYCLABLE),
      k('waste:metal_mixed_cans', 'Metal cans', ['tonne'], RECYCLABLE),
      k('waste:metal_scrap_metal', 'Scrap metal', ['tonne'], RECYCLABLE),
      k('waste:wood', 'Wood', ['tonne'], PAPER),
      k('waste:clothing', 'Clothing and textiles', ['tonne'], ['landfill', 'combustion', 'closed_loop']),
      k(
        'waste:weee_mixed',
        'Electrical equipment (WEEE)',
        ['tonne'],
        ['landfill', 'combustion', 'open_loop'],
      ),
      k('waste:batteries', 'Batteries', ['tonne'], ['landfill', 'open_loop']),
      k(
        'waste:average_construction',
        'Construction (average)',
        ['tonne'],
        ['combustion', 'closed_loop', 'open_loop'],
      ),
      k('waste:plasterboard', 'Plasterboard', ['tonne'], ['landfill', 'closed_loop']),
    ],
    detail: {
      label: 'Route',
      options: [
        { value: 'landfill', label: 'Landfill' },
        { value: 'combustion', label: 'Incineration (energy recovery)' },
        { value: 'closed_loop', label: 'Recycling (closed loop)' },
        { value: 'open_loop', label: 'Recycling (open loop)' },
        { value: 'composting', label: 'Composting' },
        { value: 'anaerobic_digestion', label: 'Anaerobic digestion' },
      ],
    },
  },
  {
    key: 'water',
    label: 'Water',
    scope: 'Scope 3 · category 1',
    kindLabel: 'Water',
    kinds: [
      k('water_supply', 'Water supplied', ['m3', 'million_litres']),
      k('water_treatment', 'Waste water treated', ['m3', 'million_litres']),
    ],
  },
  {
    key: 'other',
    label: 'Other (any factor)',
    scope: 'The scope of its factor',
    kindLabel: 'Activity',
    kinds: [],
    free: true,
  },
];

/** Whether the detail choice applies to this kind (flights by passenger.km only, in travel). */
export function usesDetail(category: Category, kind: string): boolean {
  return !!category.detail && (category.key !== 'travel' || kind.startsWith('business_travel_air:'));
}

/** The detail choices of a kind: those with a factor. */
export function detailOptions(category: Category, kind: string): Choice[] {
  const only = category.kinds.find((x) => x.value === kind)?.details;
  const all = category.detail?.options ?? [];
  return only ? all.filter((o) => only.includes(o.value)) : all;
}

/** How a unit is offered: an amount of money is "amount paid". */
export const unitLabel = (u: string) => (u === MONEY ? 'amount paid (money)' : u);

/** Cabin classes of a flight (DESNZ: classes without a factor for the haul take the average passenger). */
export const CABIN_CLASSES: Choice[] = [
  { value: 'economy', label: 'Economy' },
  { value: 'premium_economy', label: 'Premium economy' },
  { value: 'business', label: 'Business' },
  { value: 'first', label: 'First' },
  { value: 'average', label: 'Average passenger (class unknown)' },
];

/** The API's activity and variant of a kind and detail. */
export function activityOf(kind: string, detail?: string): { activity: string; variant?: string } {
  const [activity, base] = kind.split(':');
  const variant = [base, detail].filter(Boolean).join('.');
  return variant ? { activity, variant } : { activity };
}

/** The category, kind and detail an activity was entered with; 'other' when no form makes it. */
export function locate(
  activity: string,
  variant: string | null,
): { category: Category; kind: string; detail: string } {
  const v = variant ?? '';
  for (const category of CATEGORIES) {
    for (const kind of category.kinds) {
      const ref = activityOf(kind.value);
      if (ref.activity !== activity) continue;
      const base = ref.variant ?? '';
      if (base === v) return { category, kind: kind.value, detail: '' };
      const detail = category.detail?.options.find((o) => `${base}.${o.value}` === v);
      if (detail && usesDetail(category, kind.value))
        return { category, kind: kind.value, detail: detail.value };
    }
  }
  return { category: CATEGORIES[CATEGORIES.length - 1], kind: '', detail: '' };
}

/** A label for an activity line in the list. */
export function activityLabel(activity: string, variant: string | null): string {
  const { category, kind, detail } = locate(activity, variant);
  const found = category.kinds.find((x) => x.value === kind);
  if (!found) return `${activity}${variant ? ` · ${variant}` : ''}`;
  const d = category.detail?.options.find((o) => o.value === detail);
  return d ? `${found.label}, ${d.label.toLowerCase()}` : found.label;
}
