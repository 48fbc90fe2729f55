import type { ClaimReview, ClaimTransition, Finding } from '../../api/types';
import { Badge, Card, statusTone } from '../../components/ui';
import { dateTime, humanize } from '../../lib/format';

export function FindingsList({ findings }: { findings: Finding[] }) {
  return (
    <ul className="findings">
      {findings.map((f, i) => (
        <li key={i}>
          <Badge tone={f.severity === 'major' ? 'bad' : f.severity === 'minor' ? 'warn' : 'info'}>
            {humanize(f.severity)}
          </Badge>{' '}
          {f.text}
          {f.item ? <span className="muted small"> ({humanize(f.item)})</span> : null}
        </li>
      ))}
    </ul>
  );
}

export function Reviews({ reviews }: { reviews: ClaimReview[] }) {
  const decided = reviews.filter((r) => r.decision);
  if (!decided.length) return null;
  return (
    <Card title="Certifier’s reviews" id="reviews">
      {decided.map((r) => (
        <div key={r.id} className="review">
          <p>
            <Badge tone={statusTone(r.decision ?? '')}>{humanize(r.decision)}</Badge>{' '}
            <span className="muted small">
              submission {r.submission} · {dateTime(r.decidedAt)}
              {r.assuranceLevel ? ` · ${humanize(r.assuranceLevel)} assurance` : ''}
            </span>
          </p>
          {r.statement ? <p className="cert-statement">“{r.statement}”</p> : null}
          {r.findings?.length ? <FindingsList findings={r.findings} /> : null}
        </div>
      ))}
    </Card>
  );
}

export function History({ transitions }: { transitions: ClaimTransition[] }) {
  if (!transitions.length) return null;
  return (
    <Card title="History" id="history">
      <ol className="history">
        {transitions.map((t) => (
          <li key={t.id}>
            <span className="muted small">{dateTime(t.at)}</span> {humanize(t.from)} →{' '}
            <strong>{humanize(t.to)}</strong>{' '}
            <span className="muted small">
              by {t.actorKind === 'certifier' ? 'the certifier' : 'the organisation'}
            </span>
            {t.reason ? <div className="small">“{t.reason}”</div> : null}
          </li>
        ))}
      </ol>
    </Card>
  );
}
