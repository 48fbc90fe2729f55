/**
 * Default peer slopes for the weather-sensitivity analyser: how much a typical building of a
 * type uses per m² of floor area per °C·day of heating or cooling (kWh/(m²·°C·day)).
 *
 * ✘ ALL OF THESE ARE OUR ESTIMATES, not a published table. Derivation: a heat-loss
 * coefficient (fabric + ventilation) of about 1–2 W/(K·m² floor) for post-1980 commercial
 * buildings gives 0.024–0.048 kWh of heat per m² per °C·day; divided by a gas boiler's ~0.85
 * efficiency for gas, and by a heat pump's ~2.5–3 COP (weighted by the share of buildings with
 * electric heating) for electricity; cooling from a similar load at a chiller COP of ~3. The
 * "high" value (the upper quartile, where a building counts as far above its peers) is
 * about twice the typical one. Replace them with the organisation's own portfolio or a
 * national benchmark (e.g. CIBSE TM46, ENERGY STAR) when available: pass peerBenchmarks.
 */
import type { PeerBenchmark } from './types';

const SOURCE =
  'Halve default estimate from typical heat-loss coefficients (✘ assumption, not a published benchmark)';

const row = (
  buildingType: string,
  energyType: 'electricity' | 'gas',
  heating: [number, number] | null,
  cooling: [number, number] | null,
): PeerBenchmark => ({
  buildingType,
  energyType,
  heatingSlopeKwhPerM2DegreeDay: heating?.[0] ?? null,
  heatingSlopeHighKwhPerM2DegreeDay: heating?.[1] ?? null,
  coolingSlopeKwhPerM2DegreeDay: cooling?.[0] ?? null,
  coolingSlopeHighKwhPerM2DegreeDay: cooling?.[1] ?? null,
  source: SOURCE,
  assumption: true,
});

export const DEFAULT_PEER_BENCHMARKS: readonly PeerBenchmark[] = [
  row('office', 'electricity', [0.01, 0.02], [0.012, 0.025]),
  row('office', 'gas', [0.045, 0.08], null),
  row('school', 'electricity', [0.008, 0.016], [0.008, 0.016]),
  row('school', 'gas', [0.04, 0.07], null),
  row('dormitory', 'electricity', [0.012, 0.024], [0.01, 0.02]),
  row('dormitory', 'gas', [0.05, 0.09], null),
  row('retail', 'electricity', [0.01, 0.02], [0.015, 0.03]),
  row('laboratory', 'electricity', [0.02, 0.04], [0.025, 0.05]),
  row('default', 'electricity', [0.01, 0.02], [0.012, 0.025]),
  row('default', 'gas', [0.045, 0.08], null),
];

/** The peer row for a building type and fuel, falling back to 'default'. */
export function findPeerBenchmark(
  peers: readonly PeerBenchmark[],
  buildingType: string | undefined,
  energyType: 'electricity' | 'gas',
): PeerBenchmark | null {
  const type = (buildingType ?? 'default').toLowerCase();
  return (
    peers.find((p) => p.buildingType === type && p.energyType === energyType) ??
    peers.find((p) => p.buildingType === 'default' && p.energyType === energyType) ??
    null
  );
}
