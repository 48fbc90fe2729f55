import { download } from '../../api/client';
import type { EvidenceDocument } from '../../api/types';
import { ErrorBox } from '../../components/ui';
import { DataTable } from '../../components/DataTable';
import { useAction } from '../../lib/use-async';
import { kindLabel, size } from './claim-labels';

export function EvidenceTable({
  evidence,
  fileUrl,
}: {
  evidence: EvidenceDocument[];
  fileUrl: (e: EvidenceDocument) => string;
}) {
  const get = useAction((e: EvidenceDocument) => download(fileUrl(e), {}, e.filename));
  return (
    <>
      <DataTable
        label="Documents"
        testId="evidence-table"
        columns={['Document', 'Kind', 'Size', 'SHA-256']}
        rows={evidence}
        row={(e) => (
          <tr key={e.id}>
            <td>
              <button type="button" className="link-button" onClick={() => void get.run(e)}>
                {e.filename}
              </button>
              {e.description ? <div className="muted small">{e.description}</div> : null}
            </td>
            <td>{kindLabel(e.kind)}</td>
            <td className="num">{size(e.sizeBytes)}</td>
            <td>
              <code className="small" title={e.sha256}>
                {e.sha256.slice(0, 12)}…
              </code>
            </td>
          </tr>
        )}
      />
      <ErrorBox error={get.error} title="The document could not be downloaded" />
    </>
  );
}

// ---- organisation: claims ----
