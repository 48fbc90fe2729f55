import { ApiError } from '../../api/errors';
import { Empty, ErrorBox, isMissingEndpoint } from '../../components/ui';

/** The API's reason as a sentence: capitalised, without the hint meant for API users. */
export function sentence(reason: string): string {
  const r = reason.replace(/ \(train one with POST …\/models\)/, '').trim();
  return `${r.charAt(0).toUpperCase()}${r.slice(1)}${/[.!?]$/.test(r) ? '' : '.'}`;
}

/** The API's detail without its request examples for API users, e.g. " (POST /api/v1/orgs/{orgId}/meters {…})". */
export function withoutApiHints(detail: string): string {
  return detail.replace(/ \((?:POST|PUT|GET) \/api\/v1\/[^)]*\)/g, '').trim();
}

export function ForecastError({ error }: { error: unknown }) {
  if (isMissingEndpoint(error)) return <Empty title="Forecasts are not available on this server yet." />;
  if (error instanceof ApiError && (error.status === 404 || error.status === 409 || error.status === 422)) {
    return (
      <Empty title="No forecast yet.">
        {error.problem.detail
          ? withoutApiHints(error.problem.detail)
          : 'A forecast needs enough readings; upload more data.'}
      </Empty>
    );
  }
  return <ErrorBox error={error} />;
}
