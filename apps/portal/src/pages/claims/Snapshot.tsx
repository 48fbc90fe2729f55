import { buildUrl } from '../../api/client';
import type { BodyClaim } from '../../api/types';
import { Card } from '../../components/ui';
import { num } from '../../lib/format';
import { EvidenceTable } from './EvidenceTable';
import { Figures } from './Figures';

export function Snapshot({ c, bodyId }: { c: BodyClaim; bodyId: string }) {
  const s = c.snapshot;
  const meters = s?.meterData ?? [];
  return (
    <Card title="Evidence snapshot" id="snapshot">
      {c.statement ? <p className="cert-statement">“{c.statement}”</p> : null}
      <Figures figures={c.figures} />
      {c.evidenceSha256 ? (
        <p className="small">
          SHA-256 of the snapshot: <code className="hash">{c.evidenceSha256}</code>
        </p>
      ) : null}
      <ul className="small">
        {s?.inventory?.factorLibraryVersion ? (
          <li>
            Emission factor library <code>{String(s.inventory.factorLibraryVersion).slice(0, 16)}</code>,{' '}
            {s.inventory.factorsUsed?.length ?? 0} factors used
          </li>
        ) : null}
        <li>
          {meters.length} meter data series hashed
          {meters.length ? ` (${num(meters.reduce((n, m) => n + (m.hours ?? 0), 0))} hours)` : ''}
        </li>
        <li>{s?.instruments?.length ?? 0} energy attribute certificate instruments</li>
        <li>
          {c.evidence.length} document{c.evidence.length === 1 ? '' : 's'}
        </li>
      </ul>
      {c.evidence.length ? (
        <EvidenceTable
          evidence={c.evidence}
          fileUrl={(e) =>
            buildUrl('/api/v1/certification-bodies/{bodyId}/claims/{claimId}/evidence/{evidenceId}', {
              bodyId,
              claimId: c.id,
              evidenceId: e.id,
            })
          }
        />
      ) : null}
    </Card>
  );
}
