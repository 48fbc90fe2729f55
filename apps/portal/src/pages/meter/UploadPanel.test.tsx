// The meter-data upload: the multipart form it sends (XMLHttpRequest, for the progress bar, is the network
// boundary here, faked by test/fake-xhr), the import it follows to the end, and the API's refusals.
import { describe, expect, it, jest } from '@jest/globals';
import { screen, waitFor } from '@testing-library/react';
import type { Meter, Site } from '../../api/types';
import { mockFetch, renderPage, user } from '../../test/render';
import { FakeXhr, useFakeXhr } from '../../test/fake-xhr';
import { UploadPanel } from './UploadPanel';

const meter = { id: 'meter-1', name: 'Main incomer', unit: 'kWh', siteId: 'site-1' } as Meter;
useFakeXhr();

const report = {
  importId: 'imp-1',
  status: 'succeeded',
  rowsRead: 48,
  rowsStored: 48,
  rowsUpdated: 0,
  rowsMissing: 0,
  rowsRejected: 0,
  errors: [],
  firstTs: '2025-01-01T00:00:00.000Z',
  lastTs: '2025-01-01T23:30:00.000Z',
};

async function chooseFile() {
  const file = new File(['ts,kwh\n2025-01-01T00:00Z,1.5\n'], 'january.csv', { type: 'text/csv' });
  await user().upload(screen.getByLabelText('Meter data file'), file);
}

describe('UploadPanel', () => {
  it('cannot be sent without a file; sends the file with the options set, then follows the import to its end', async () => {
    FakeXhr.answer = { status: 202, body: { importId: 'imp-1', status: 'queued' } };
    const { requests } = mockFetch(() => ({ status: 200, body: report }));
    const onImported = jest.fn();
    const site = { id: 'site-1', timezone: 'America/New_York' } as Site;
    renderPage(<UploadPanel meter={meter} site={site} onImported={onImported} />);
    expect((screen.getByRole('button', { name: 'Upload and import' }) as HTMLButtonElement).disabled).toBe(
      true,
    );
    await chooseFile();
    await user().click(screen.getByText(/Options/));
    await user().selectOptions(screen.getByLabelText('Format'), 'csv');
    await user().type(screen.getByLabelText(/Unit in the file/), ' Wh ');
    await user().click(screen.getByRole('button', { name: 'Upload and import' }));
    await waitFor(() => expect(onImported).toHaveBeenCalledWith(report));
    const [xhr] = FakeXhr.sent;
    expect([xhr.method, xhr.url]).toEqual(['POST', '/api/v1/orgs/org-1/meters/meter-1/imports']);
    const form = xhr.body!;
    expect(form.get('format')).toBe('csv');
    expect(form.get('unit')).toBe('Wh');
    expect(form.get('timezone')).toBeNull(); // left empty: not sent
    expect((form.get('file') as File).name).toBe('january.csv');
    expect(requests.map((r) => r.url)).toEqual(['/api/v1/orgs/org-1/imports/imp-1']);
    // the span stored, in the site's zone (as the meter's charts tell it), not the browser's
    expect(
      await screen.findByText(
        'Readings from 31 Dec 2024, 19:00 to 1 Jan 2025, 18:30 (the site’s time, America/New_York).',
      ),
    ).toBeTruthy();
  });

  it('shows the lines the API refused, under what went wrong', async () => {
    FakeXhr.answer = {
      status: 400,
      body: {
        status: 400,
        detail: 'No timestamp column was found.',
        errors: [{ line: 1, message: 'Header has no column that reads as a date and time.' }],
      },
    };
    mockFetch(() => undefined);
    const onImported = jest.fn();
    renderPage(<UploadPanel meter={meter} onImported={onImported} />);
    await chooseFile();
    await user().click(screen.getByRole('button', { name: 'Upload and import' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The file was not imported');
    expect(alert.textContent).toContain('No timestamp column was found.');
    expect(alert.textContent).toContain('Line 1: Header has no column that reads as a date and time.');
    expect(onImported).not.toHaveBeenCalled();
  });

  it('says a file is too large when the server answers 413', async () => {
    FakeXhr.answer = { status: 413, body: { status: 413, title: 'Payload Too Large' } };
    mockFetch(() => undefined);
    renderPage(<UploadPanel meter={meter} onImported={jest.fn()} />);
    await chooseFile();
    await user().click(screen.getByRole('button', { name: 'Upload and import' }));
    expect((await screen.findByRole('alert')).textContent).toContain('The file is too large');
  });
});
