// The query cache: one request for two readers of the same GET, a key per path and params, invalidation.
import { describe, expect, it } from '@jest/globals';
import { act, render, screen, waitFor } from '@testing-library/react';
import { QueryClientProvider } from '@tanstack/react-query';
import { mockFetch } from '../test/render';
import { apiKey, createQueryClient, useApiQuery, useInvalidate } from './api-query';

function SiteName({ orgId, siteId }: { orgId: string; siteId: string }) {
  const site = useApiQuery('/api/v1/orgs/{orgId}/sites/{siteId}', { path: { orgId, siteId } });
  if (site.loading && !site.data) return <p>Loading</p>;
  return <p>{site.data?.name ?? `error ${String(site.error)}`}</p>;
}

let invalidateSites: (() => void) | undefined;
function Invalidator() {
  const invalidate = useInvalidate();
  invalidateSites = () => invalidate('/api/v1/orgs/{orgId}/sites/{siteId}', { orgId: 'org-1' });
  return null;
}

describe('useApiQuery', () => {
  it('keys a GET by its path template and parameters', () => {
    expect(apiKey('/api/v1/orgs/{orgId}/meters', { path: { orgId: 'o' }, query: { siteId: 's' } })).toEqual([
      '/api/v1/orgs/{orgId}/meters',
      { orgId: 'o' },
      { siteId: 's' },
    ]);
  });

  it('asks once for two readers of the same resource, and again after an invalidation', async () => {
    let n = 0;
    const { requests } = mockFetch(() => ({ status: 200, body: { id: 'site-1', name: `Bakery ${++n}` } }));
    render(
      <QueryClientProvider client={createQueryClient()}>
        <SiteName orgId="org-1" siteId="site-1" />
        <SiteName orgId="org-1" siteId="site-1" />
        <Invalidator />
      </QueryClientProvider>,
    );
    await waitFor(() => expect(screen.getAllByText('Bakery 1')).toHaveLength(2));
    expect(requests.map((r) => r.url)).toEqual(['/api/v1/orgs/org-1/sites/site-1']);
    act(() => invalidateSites!());
    await waitFor(() => expect(screen.getAllByText('Bakery 2')).toHaveLength(2));
    expect(requests).toHaveLength(2);
  });

  it('shows an error at once, without retrying', async () => {
    const { requests } = mockFetch(() => ({ status: 500, body: { status: 500, detail: 'boom' } }));
    render(
      <QueryClientProvider client={createQueryClient()}>
        <SiteName orgId="org-1" siteId="site-2" />
      </QueryClientProvider>,
    );
    await screen.findByText(/error ApiError: boom/);
    expect(requests).toHaveLength(1);
  });
});
