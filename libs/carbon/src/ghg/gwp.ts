import { CarbonDecimal, toDecimal, type DecimalLike } from '../factors/decimal';
import type { GwpSetName } from '../factors/emission-factor';

/** Origin of methane: AR5 and AR6 give fossil CH4 a higher GWP (it adds CO2 when oxidised). */
export type MethaneOrigin = 'fossil' | 'non_fossil';

export interface GwpSet {
  name: GwpSetName;
  co2: CarbonDecimal;
  /** CH4 when the origin is not given (AR4 25; AR5 28, as DESNZ and EPA use; AR6 fossil 29.8). */
  ch4: CarbonDecimal;
  ch4Fossil: CarbonDecimal;
  ch4NonFossil: CarbonDecimal;
  n2o: CarbonDecimal;
}

const d = (v: string) => new CarbonDecimal(v);

/**
 * 100-year GWPs (DOMAIN.md §5): AR4 CH4 25, N2O 298; AR5 CH4 28 (fossil 30), N2O 265;
 * AR6 CH4 fossil 29.8, non-fossil 27.0, N2O 273 (✔ AR6 Table 7.SM.7 via LCIAformatter #106).
 * AR6 has no origin-free CH4 value: when the origin is unknown we take fossil (the conservative
 * choice, and most corporate CH4 comes from fossil combustion) — an assumption, stated here.
 */
export const GWP_SETS: Record<GwpSetName, GwpSet> = {
  AR4: { name: 'AR4', co2: d('1'), ch4: d('25'), ch4Fossil: d('25'), ch4NonFossil: d('25'), n2o: d('298') },
  AR5: { name: 'AR5', co2: d('1'), ch4: d('28'), ch4Fossil: d('30'), ch4NonFossil: d('28'), n2o: d('265') },
  AR6: {
    name: 'AR6',
    co2: d('1'),
    ch4: d('29.8'),
    ch4Fossil: d('29.8'),
    ch4NonFossil: d('27.0'),
    n2o: d('273'),
  },
};

export interface GasMasses {
  co2Kg?: DecimalLike;
  ch4Kg?: DecimalLike;
  n2oKg?: DecimalLike;
}

/** CO2e = Σ massᵢ·GWPᵢ (kg), exact. */
export function co2e(
  gases: GasMasses,
  set: GwpSetName | GwpSet,
  options: { ch4Origin?: MethaneOrigin } = {},
): CarbonDecimal {
  const gwp = typeof set === 'string' ? GWP_SETS[set] : set;
  const ch4Gwp =
    options.ch4Origin === 'fossil'
      ? gwp.ch4Fossil
      : options.ch4Origin === 'non_fossil'
        ? gwp.ch4NonFossil
        : gwp.ch4;
  return toDecimal(gases.co2Kg ?? 0)
    .times(gwp.co2)
    .plus(toDecimal(gases.ch4Kg ?? 0).times(ch4Gwp))
    .plus(toDecimal(gases.n2oKg ?? 0).times(gwp.n2o));
}
