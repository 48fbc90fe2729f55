// Helpers of the portal's component tests: the providers a page needs (query cache, router, organisation)
// and a `fetch` mock at the network boundary that records each request and answers like the API.
import { jest } from '@jest/globals';
import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import type { OrgSummary } from '../api/types';
import { OrgContext } from '../components/Layout';
import { createQueryClient } from '../lib/api-query';

export interface SentRequest {
  method: string;
  url: string;
  body: unknown;
}

type Answer = { status: number; body?: unknown };
type Handler = (req: SentRequest) => Answer | undefined;

/** A JSON answer (application/problem+json for an error status, as the API sends). */
function toResponse({ status, body }: Answer): Response {
  if (status === 204) return new Response(null, { status });
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  return new Response(JSON.stringify(body ?? {}), { status, headers: { 'content-type': type } });
}

/** Replaces `fetch`: `handler` answers each request (404 when it has no answer); `requests` lists them. */
export function mockFetch(handler: Handler): { requests: SentRequest[] } {
  const requests: SentRequest[] = [];
  const fn = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const text = typeof init?.body === 'string' ? init.body : undefined;
    const req = {
      method: init?.method ?? 'GET',
      url: String(input),
      body: text ? JSON.parse(text) : undefined,
    };
    requests.push(req);
    return toResponse(handler(req) ?? { status: 404, body: { status: 404, title: 'Not Found' } });
  };
  globalThis.fetch = jest.fn(fn) as typeof fetch;
  return { requests };
}

/** The problem+json of a 400 whose `errors[]` names the fields at fault. */
export function fieldProblem(errors: Record<string, string>): Answer {
  return {
    status: 400,
    body: {
      status: 400,
      title: 'Bad Request',
      detail: 'The request has invalid fields.',
      errors: Object.entries(errors).map(([field, message]) => ({ field, message })),
    },
  };
}

export const ORG: OrgSummary = {
  id: 'org-1',
  name: 'Test bakery',
  role: 'owner',
  country: 'GB',
  timezone: 'Europe/London',
  currency: 'GBP',
} as OrgSummary;

/** Shows where the router is, for tests of forms that navigate when done. */
function Location() {
  const location = useLocation();
  return <div data-testid="location">{location.pathname + location.search}</div>;
}

/** Renders `ui` at `route` with a fresh query cache, a router and the organisation `org`. */
export function renderPage(
  ui: ReactElement,
  { route = '/', org = ORG }: { route?: string; org?: OrgSummary } = {},
) {
  const client = createQueryClient();
  const value = {
    org,
    orgId: org.id,
    role: org.role,
    timezone: org.timezone ?? 'UTC',
    currency: org.currency ?? 'GBP',
  };
  return {
    client,
    ...render(
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={[route]}>
          <OrgContext.Provider value={value}>
            <Routes>
              <Route path="*" element={ui} />
            </Routes>
            <Location />
          </OrgContext.Provider>
        </MemoryRouter>
      </QueryClientProvider>,
    ),
  };
}

/** The error text shown at the control labelled `label` (null while the control is not marked invalid). */
export function errorAt(label: string | RegExp): string | null {
  const control = screen.getByLabelText(label);
  const id = control.getAttribute('aria-describedby');
  return control.getAttribute('aria-invalid') === 'true' && id
    ? document.getElementById(id)!.textContent
    : null;
}

/** A user that types without pauses (the tests stay fast). */
export const user = () => userEvent.setup({ delay: null });
