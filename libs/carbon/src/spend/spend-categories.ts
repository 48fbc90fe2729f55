/**
 * Spend categories and the default mapping rules for common SME accounts (pure data). Each category
 * names its EPA NAICS-6 code and its EXIOBASE product; `covered` names the activity data that, when
 * present in the ledger's period, already counts the spend (so the line is excluded, not counted twice).
 */
export type Coverage = 'fuel' | 'electricity' | 'air' | 'rail' | 'road' | 'hotel';

export interface SpendCategory {
  key: string;
  label: string;
  naics?: string;
  exiobase?: string;
  scope3Category: number;
  covered?: Coverage;
  /** Always excluded, with this reason (not a purchase, or not spend-based). */
  excluded?: string;
}

const EX = {
  business: 'professional_services-type_other_business_services',
  computer: 'professional_services-type_computer_related_services',
  telecom: 'communication_services-type_post_telecommunication',
  hotel: 'restaurants_accommodation-type_hotel_restaurant_services',
};

export const SPEND_CATEGORIES: SpendCategory[] = [
  {
    key: 'office_supplies',
    label: 'Office supplies',
    naics: '339940',
    exiobase: 'paper_products-type_paper_paper_products',
    scope3Category: 1,
  },
  {
    key: 'printing',
    label: 'Printing and stationery',
    naics: '323111',
    exiobase: 'paper_products-type_printed_matter_recorded_media',
    scope3Category: 1,
  },
  {
    key: 'software',
    label: 'Software subscriptions',
    naics: '511210',
    exiobase: EX.computer,
    scope3Category: 1,
  },
  {
    key: 'it_services',
    label: 'IT services and hosting',
    naics: '518210',
    exiobase: EX.computer,
    scope3Category: 1,
  },
  {
    key: 'advertising',
    label: 'Advertising and marketing',
    naics: '541810',
    exiobase: EX.business,
    scope3Category: 1,
  },
  { key: 'legal', label: 'Legal fees', naics: '541110', exiobase: EX.business, scope3Category: 1 },
  {
    key: 'accounting',
    label: 'Accounting and audit fees',
    naics: '541211',
    exiobase: EX.business,
    scope3Category: 1,
  },
  {
    key: 'consulting',
    label: 'Consulting and professional fees',
    naics: '541611',
    exiobase: EX.business,
    scope3Category: 1,
  },
  {
    key: 'telecoms',
    label: 'Telephone and internet',
    naics: '517311',
    exiobase: EX.telecom,
    scope3Category: 1,
  },
  { key: 'postage', label: 'Postage and couriers', naics: '492110', exiobase: EX.telecom, scope3Category: 4 },
  { key: 'cleaning', label: 'Cleaning', naics: '561720', exiobase: EX.business, scope3Category: 1 },
  {
    key: 'insurance',
    label: 'Insurance',
    naics: '524126',
    exiobase: 'insurance-type_insurance_pension_funding_services_except_compulsory_social_security_services',
    scope3Category: 1,
  },
  {
    key: 'bank_fees',
    label: 'Bank charges',
    naics: '522110',
    exiobase:
      'financial_services-type_financial_intermediation_services_except_insurance_pension_funding_services',
    scope3Category: 1,
  },
  { key: 'meals', label: 'Meals and entertainment', naics: '722511', exiobase: EX.hotel, scope3Category: 1 },
  {
    key: 'rent',
    label: 'Rent of premises',
    naics: '531120',
    exiobase: 'other_real_estate-type_real_estate_services',
    scope3Category: 8,
  },
  {
    key: 'water',
    label: 'Water',
    naics: '221310',
    exiobase: 'water-collected_purified_water_distribution_of_water_services',
    scope3Category: 1,
  },
  {
    key: 'computer_equipment',
    label: 'Computer equipment',
    naics: '334111',
    exiobase: 'office_equipment-type_office_machinery_computers',
    scope3Category: 2,
  },
  {
    key: 'furniture',
    label: 'Furniture and fittings',
    naics: '337214',
    exiobase: 'consumer_goods-type_furniture_other_manufactured_goods_not_elsewhere_specified',
    scope3Category: 2,
  },
  {
    key: 'travel_air',
    label: 'Flights',
    naics: '481111',
    exiobase: 'transport_services-type_air_transport_services',
    scope3Category: 6,
    covered: 'air',
  },
  {
    key: 'travel_rail',
    label: 'Rail travel',
    naics: '482111',
    exiobase: 'transport_services-type_railway_transportation_services',
    scope3Category: 6,
    covered: 'rail',
  },
  {
    key: 'travel_ground',
    label: 'Taxis and ground transport',
    naics: '485310',
    exiobase: 'transport_services-type_other_land_transportation_services',
    scope3Category: 6,
    covered: 'road',
  },
  {
    key: 'hotels',
    label: 'Hotels',
    naics: '721110',
    exiobase: EX.hotel,
    scope3Category: 6,
    covered: 'hotel',
  },
  {
    key: 'fuel',
    label: 'Fuel',
    naics: '324110',
    exiobase: 'fuel_type_gas_diesel_oil-fuel_use_na',
    scope3Category: 3,
    covered: 'fuel',
  },
  {
    key: 'electricity',
    label: 'Electricity',
    scope3Category: 3,
    covered: 'electricity',
    excluded:
      'electricity is Scope 2: enter its kWh as meter or activity data (no spend-based factor is used)',
  },
  {
    key: 'not_a_purchase',
    label: 'Not a purchase',
    scope3Category: 1,
    excluded:
      'not a purchase of goods or services (wages, tax, depreciation, interest, transfers, income or balance-sheet accounts)',
  },
];

export const CATEGORY_BY_KEY = new Map(SPEND_CATEGORIES.map((c) => [c.key, c]));

/** A default rule: the account name (and optionally the description or supplier) matched by patterns, in order. */
export interface DefaultRule {
  account: RegExp;
  text?: RegExp;
  category: string;
}

export const DEFAULT_RULES: DefaultRule[] = [
  {
    account:
      /wage|salar|payroll|pension|national insurance|paye|\bvat\b|sales tax|gst|income tax|corporation tax|depreciation|amorti[sz]ation|interest|dividend|drawings|loan|^sales|revenue|income|receivable|payable|bank account|current account|savings|suspense|rounding|retained|capital|equity/i,
    category: 'not_a_purchase',
  },
  { account: /electric/i, category: 'electricity' },
  { account: /fuel|petrol|diesel|motor.*expense|heating oil|\bgas\b/i, category: 'fuel' },
  {
    account: /travel|transport/i,
    text: /flight|airline|airways|air\b|easyjet|ryanair/i,
    category: 'travel_air',
  },
  { account: /travel|transport/i, text: /rail|train|lner|avanti|amtrak|eurostar/i, category: 'travel_rail' },
  {
    account: /travel|transport|accommodation/i,
    text: /hotel|inn\b|premier inn|travelodge|marriott|hilton|airbnb/i,
    category: 'hotels',
  },
  { account: /travel|transport|taxi|mileage/i, category: 'travel_ground' },
  { account: /hotel|accommodation|subsistence/i, category: 'hotels' },
  { account: /software|subscription|saas|licen[cs]e/i, category: 'software' },
  { account: /hosting|cloud|computer (services|support)|it (services|support)/i, category: 'it_services' },
  { account: /computer|hardware|it equipment/i, category: 'computer_equipment' },
  { account: /office suppl|office expense|stationery|consumables/i, category: 'office_supplies' },
  { account: /printing/i, category: 'printing' },
  { account: /advertis|marketing|promotion/i, category: 'advertising' },
  { account: /legal/i, category: 'legal' },
  { account: /accountan|audit|bookkeep/i, category: 'accounting' },
  { account: /professional|consult/i, category: 'consulting' },
  { account: /telephone|phone|internet|broadband|mobile|telecom/i, category: 'telecoms' },
  { account: /postage|courier|freight|delivery|shipping/i, category: 'postage' },
  { account: /cleaning|janitor/i, category: 'cleaning' },
  { account: /insurance/i, category: 'insurance' },
  { account: /bank (charge|fee)|merchant fee|card fee/i, category: 'bank_fees' },
  { account: /entertain|meals|catering|refreshment/i, category: 'meals' },
  { account: /\brent\b|lease|premises/i, category: 'rent' },
  { account: /water/i, category: 'water' },
  { account: /furniture|fixtures|fittings/i, category: 'furniture' },
];
