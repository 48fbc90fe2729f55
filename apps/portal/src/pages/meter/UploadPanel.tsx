import { useState } from 'react';
import { upload } from '../../api/client';
import type { ImportReport, Meter, Site } from '../../api/types';
import { FileImportStatus, importButtonLabel, useFileImport } from '../../components/FileImport';
import { useOrg } from '../../components/Layout';
import { Field, Select, SubmitButton } from '../../components/form';

const FORMATS = [
  { value: '', label: 'Detect from the file' },
  { value: 'csv', label: 'CSV (one timestamp and one value column)' },
  { value: 'wide_csv', label: 'Wide CSV (one column per meter)' },
  { value: 'xlsx', label: 'Excel (XLSX)' },
  { value: 'green_button', label: 'Green Button (ESPI XML)' },
];

export function UploadPanel({
  meter,
  site,
  onImported,
}: {
  meter: Meter;
  site?: Site;
  onImported: (r: ImportReport) => void;
}) {
  const { orgId } = useOrg();
  const [opts, setOpts] = useState({
    format: '',
    timestampColumn: '',
    valueColumn: '',
    timezone: '',
    unit: '',
  });
  const send = useFileImport(
    (form, onProgress, signal) =>
      upload(
        '/api/v1/orgs/{orgId}/meters/{meterId}/imports',
        { orgId, meterId: meter.id },
        form,
        onProgress,
        signal,
      ),
    onImported,
  );
  return (
    <div>
      <form
        className="upload-form"
        onSubmit={(e) => {
          e.preventDefault();
          void send.run(opts);
        }}
      >
        <Field
          label="Meter data file"
          {...send.fileInput}
          id="meter-file"
          accept=".csv,.txt,.tsv,.xlsx,.xml,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/xml,text/xml"
          hint={
            <>
              CSV with a timestamp and a value column ({meter.unit}), Excel or Green Button XML. Local times
              are read in the site's zone ({site?.timezone ?? '…'}). Uploading the same file twice changes
              nothing.
            </>
          }
        />
        <details className="upload-options">
          <summary>Options (only if the file is not read correctly)</summary>
          <div className="row">
            <Select
              label="Format"
              value={opts.format}
              options={FORMATS}
              onChange={(e) => setOpts({ ...opts, format: e.target.value })}
            />
            <Field
              label="Unit in the file"
              value={opts.unit}
              onChange={(e) => setOpts({ ...opts, unit: e.target.value })}
              hint={`e.g. Wh, MWh, m3, therm; default ${meter.unit}`}
            />
          </div>
          <div className="row">
            <Field
              label="Timestamp column"
              value={opts.timestampColumn}
              onChange={(e) => setOpts({ ...opts, timestampColumn: e.target.value })}
              hint="Header name; detected if empty"
            />
            <Field
              label="Value column"
              value={opts.valueColumn}
              onChange={(e) => setOpts({ ...opts, valueColumn: e.target.value })}
              hint="Header name, or this meter's column in a wide CSV"
            />
            <Field
              label="Time zone of the file"
              value={opts.timezone}
              onChange={(e) => setOpts({ ...opts, timezone: e.target.value })}
              hint="When it differs from the site's"
            />
          </div>
        </details>
        <SubmitButton busy={send.pending} disabled={!send.file}>
          {importButtonLabel(send, 'Upload and import')}
        </SubmitButton>
      </form>
      <FileImportStatus state={send} timeZone={site?.timezone} />
    </div>
  );
}
