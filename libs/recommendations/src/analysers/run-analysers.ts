import { analyseAfterHours } from './after-hours';
import { analyseAnomalies } from './anomalies';
import { analyseBaseload } from './baseload';
import { type CombinedSaving, attachOverlaps, combineSavings } from './combined';
import { analyseLoadShifting } from './load-shifting';
import { analysePeakDemand } from './peak-demand';
import { analysePvSizing } from './pv-sizing';
import { analyseTariffs } from './tariff-comparison';
import type { Analyser, SiteAnalysisInput, Suggestion, SuggestionType } from './types';
import { analyseWeatherSensitivity } from './weather-sensitivity';

export const ANALYSERS: Readonly<Record<SuggestionType, Analyser>> = {
  baseload: analyseBaseload,
  after_hours: analyseAfterHours,
  peak_demand: analysePeakDemand,
  load_shifting: analyseLoadShifting,
  pv_sizing: analysePvSizing,
  weather_sensitivity: analyseWeatherSensitivity,
  anomaly: analyseAnomalies,
  tariff: analyseTariffs,
};

export interface AnalyserFailure {
  type: SuggestionType;
  message: string;
}

/**
 * Run every analyser (or those named) on one site. An analyser that throws is reported in
 * `failures` and does not stop the others. Suggestions come back sorted by money saved (then
 * CO2), keys unique, each with its overlaps with those ranked before it (combined.ts), and the
 * set's combined saving (what implementing all of them would save).
 */
export function runAnalysers(
  input: SiteAnalysisInput,
  only?: readonly SuggestionType[],
): { suggestions: Suggestion[]; failures: AnalyserFailure[]; combined: CombinedSaving } {
  const suggestions: Suggestion[] = [];
  const failures: AnalyserFailure[] = [];
  for (const [type, analyse] of Object.entries(ANALYSERS) as [SuggestionType, Analyser][]) {
    if (only && !only.includes(type)) continue;
    try {
      suggestions.push(...analyse(input));
    } catch (error) {
      failures.push({ type, message: error instanceof Error ? error.message : String(error) });
    }
  }
  const byKey = new Map(suggestions.map((s) => [s.key, s]));
  const unique = [...byKey.values()].sort(
    (a, b) =>
      (b.annualSavingMoney ?? 0) - (a.annualSavingMoney ?? 0) ||
      b.annualSavingKgCo2e - a.annualSavingKgCo2e ||
      b.annualSavingKwh - a.annualSavingKwh,
  );
  attachOverlaps(unique, input);
  return { suggestions: unique, failures, combined: combineSavings(unique) };
}
