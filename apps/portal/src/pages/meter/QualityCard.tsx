import type { Quality } from '../../api/types';
import { Card, Empty, ErrorBox, Loading, Stat, isMissingEndpoint } from '../../components/ui';
import { dateTime, humanize, num, pct } from '../../lib/format';

export function QualityCard({
  quality,
  error,
  loading,
  reload,
  tz,
}: {
  quality?: Quality;
  error: unknown;
  loading: boolean;
  reload: () => void;
  tz: string;
}) {
  const gaps = quality?.gaps ?? [];
  const coverage =
    typeof quality?.coverage === 'number'
      ? quality.coverage > 1
        ? quality.coverage / 100
        : quality.coverage
      : undefined;
  return (
    <Card title="Data quality" id="quality">
      {loading && !quality ? <Loading what="Checking the data" /> : null}
      {isMissingEndpoint(error) ? (
        <Empty title="Data-quality checks are not available on this server yet." />
      ) : (
        <ErrorBox error={error} onRetry={reload} />
      )}
      {quality ? (
        <>
          <div className="stats">
            <Stat
              label="Coverage"
              value={pct(coverage, 1)}
              tone={
                coverage === undefined
                  ? undefined
                  : coverage >= 0.98
                    ? 'good'
                    : coverage >= 0.9
                      ? 'warn'
                      : 'bad'
              }
              hint="of expected readings present"
            />
            <Stat label="Gaps" value={num(quality.gapCount ?? gaps.length)} />
            <Stat
              label="Flat lines"
              value={num(Array.isArray(quality.flatLines) ? quality.flatLines.length : undefined)}
            />
            <Stat
              label="Spikes"
              value={num(Array.isArray(quality.spikes) ? quality.spikes.length : undefined)}
            />
            <Stat
              label="Negative values"
              value={num(
                Array.isArray(quality.negatives) ? quality.negatives.length : quality.negatives?.count,
              )}
            />
          </div>
          {gaps.length ? (
            <details>
              <summary>
                {gaps.length === 1
                  ? 'The gap'
                  : `The ${Math.min(gaps.length, 50)} ${gaps.length > 50 ? 'first ' : ''}gaps`}
              </summary>
              <ul className="gap-list">
                {gaps.slice(0, 50).map((g, i) => (
                  <li key={i}>
                    {dateTime(g.start, tz)} → {dateTime(g.end, tz)}
                  </li>
                ))}
              </ul>
            </details>
          ) : (
            <p className="muted small">No gaps in this period.</p>
          )}
          {Object.entries(quality)
            .filter(
              ([k, v]) =>
                typeof v === 'number' &&
                !['coverage', 'expected', 'present', 'gapCount', 'intervalMinutes'].includes(k),
            )
            .slice(0, 6)
            .map(([k, v]) => (
              <p key={k} className="muted small">
                {humanize(k.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase())}: {num(v as number, 2)}
              </p>
            ))}
          {quality.qualityCounts ? (
            <p className="muted small">
              {typeof quality.present === 'number' && typeof quality.expected === 'number'
                ? `${num(quality.present)} of ${num(quality.expected)} expected readings present. `
                : ''}
              Measured {num(quality.qualityCounts.measured)}, estimated {num(quality.qualityCounts.estimated)}
              , filled {num(quality.qualityCounts.filled)}.
            </p>
          ) : null}
        </>
      ) : null}
    </Card>
  );
}
