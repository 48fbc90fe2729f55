// The certifier's list of the receipts behind a claim's footprint entries: each row shows the file, the
// activity, size and SHA-256, and the file is fetched with the certifier's bearer token from the body's
// download endpoint (not a plain link, which would carry no login).
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { screen, waitFor, within } from '@testing-library/react';
import type { ActivityEvidence } from '../../api/types';
import { clearTokens, setTokens } from '../../api/tokens';
import { mockFetch, renderPage, user } from '../../test/render';
import { ActivityReceipts } from './ActivityReceipts';

const BODY = 'b0d1e5aa-0000-4000-8000-000000000001';
const CLAIM = 'c1a1e5aa-0000-4000-8000-000000000002';
const LIST_URL = `/api/v1/certification-bodies/${BODY}/claims/${CLAIM}/activity-evidence`;
const SHA_A = 'a'.repeat(62) + '01';
const SHA_B = 'b'.repeat(62) + '02';

const receipts: ActivityEvidence[] = [
  {
    id: 'e0000000-0000-4000-8000-00000000000a',
    activityId: '7e57ac71-0000-4000-8000-000000000001',
    filename: 'diesel-invoice-march.pdf',
    contentType: 'application/pdf',
    sizeBytes: 2048,
    sha256: SHA_A,
    uploadedBy: null,
    createdAt: '2025-04-02T09:00:00.000Z',
  },
  {
    id: 'e0000000-0000-4000-8000-00000000000b',
    activityId: '7e57ac71-0000-4000-8000-000000000001',
    filename: 'fuel-receipt.png',
    contentType: 'image/png',
    sizeBytes: 512,
    sha256: SHA_B,
    uploadedBy: null,
    createdAt: '2025-04-03T09:00:00.000Z',
  },
];

afterEach(() => clearTokens());

describe('ActivityReceipts (certifier claim page)', () => {
  it('lists the receipts with activity, size and SHA-256 and downloads one with the certifier’s token', async () => {
    const { requests } = mockFetch((r) => {
      if (r.url === LIST_URL) return { status: 200, body: receipts };
      if (r.url === `${LIST_URL}/${receipts[1].id}`) return { status: 200, body: {} };
      return undefined;
    });
    setTokens({ accessToken: 'certifier-token', expiresIn: 900 });
    URL.createObjectURL = jest.fn(() => 'blob:x') as typeof URL.createObjectURL;
    URL.revokeObjectURL = jest.fn() as typeof URL.revokeObjectURL;
    renderPage(<ActivityReceipts bodyId={BODY} claimId={CLAIM} />);

    const table = await screen.findByTestId('activity-evidence-table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    const first = within(rows[0]);
    expect(first.getByRole('button', { name: 'diesel-invoice-march.pdf' })).toBeTruthy();
    expect(first.getByText('7e57ac71')).toBeTruthy();
    expect(first.getByText('2 kB')).toBeTruthy();
    expect(first.getByText(SHA_A)).toBeTruthy();
    expect(within(rows[1]).getByText('512 B')).toBeTruthy();
    expect(within(rows[1]).getByText(SHA_B)).toBeTruthy();
    expect(screen.getByText('2 receipts of 1 entry')).toBeTruthy();

    await user().click(screen.getByRole('button', { name: 'fuel-receipt.png' }));
    await waitFor(() => expect(requests.some((r) => r.url === `${LIST_URL}/${receipts[1].id}`)).toBe(true));
    const calls = (globalThis.fetch as jest.Mock<typeof fetch>).mock.calls;
    const call = calls.find(([url]) => String(url) === `${LIST_URL}/${receipts[1].id}`)!;
    expect(new Headers(call[1]?.headers).get('Authorization')).toBe('Bearer certifier-token');
    expect(URL.createObjectURL).toHaveBeenCalledTimes(1);
  });

  it('says so when no entry of the period has a receipt', async () => {
    mockFetch((r) => (r.url === LIST_URL ? { status: 200, body: [] } : undefined));
    renderPage(<ActivityReceipts bodyId={BODY} claimId={CLAIM} />);
    expect((await screen.findByTestId('activity-evidence-empty')).textContent).toContain(
      'No footprint entry of the period has a receipt attached.',
    );
    expect(screen.queryByTestId('activity-evidence-table')).toBeNull();
  });

  it('shows why the receipts are missing when the API refuses, with a retry', async () => {
    mockFetch((r) =>
      r.url === LIST_URL
        ? { status: 403, body: { status: 403, title: 'Forbidden', detail: 'Not a member of this body.' } }
        : undefined,
    );
    renderPage(<ActivityReceipts bodyId={BODY} claimId={CLAIM} />);
    expect(await screen.findByText('The receipts could not be loaded')).toBeTruthy();
    expect(screen.getByText(/Your role in this organisation does not allow this/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});
