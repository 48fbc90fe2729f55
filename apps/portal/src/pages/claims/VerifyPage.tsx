import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { publicGet } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { PublicCertificate } from '../../api/types';
import { Empty, ErrorBox, Loading, isMissingEndpoint } from '../../components/ui';
import { Field } from '../../components/form';
import { date, humanize } from '../../lib/format';
import { useDataQuery } from '../../lib/api-query';
import { claimLabel, period } from './claim-labels';

export function VerifyPage() {
  const { number } = useParams();
  const navigate = useNavigate();
  const [input, setInput] = useState(number ?? '');
  const cert = useDataQuery(
    ['query:verify', { number }],
    () => publicGet<PublicCertificate>(`/api/v1/verify/${encodeURIComponent(number!)}`),
    { enabled: !!number },
  );
  const c = cert.data;
  const notFound =
    cert.error instanceof ApiError && cert.error.status === 404 && !isMissingEndpoint(cert.error);
  return (
    <div className="public-page">
      <header className="public-header">
        <Link to="/" className="brand">
          <svg viewBox="0 0 32 32" width="26" height="26" aria-hidden="true">
            <circle cx="16" cy="16" r="15" fill="#14532d" />
            <path d="M16 1a15 15 0 0 1 0 30z" fill="#4ade80" />
          </svg>
          <span>Halve</span>
        </Link>
      </header>
      <main id="main" className="public-main">
        <h1>Verify a certificate</h1>
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (input.trim()) navigate(`/verify/${encodeURIComponent(input.trim())}`);
          }}
        >
          <Field
            label="Certificate number"
            value={input}
            placeholder="HLV-2026-ABC234"
            onChange={(e) => setInput(e.target.value)}
          />
          <button type="submit" className="btn primary">
            Verify
          </button>
        </form>
        {cert.loading ? <Loading what="Checking the register" /> : null}
        {notFound ? (
          <div className="state error" role="alert" data-testid="verify-result" data-status="not_found">
            <p>
              <strong>No certificate with the number “{number}” exists.</strong> Check the number on the
              document (it looks like HLV-2026-ABC234); if it is right, the certificate is not genuine.
            </p>
          </div>
        ) : isMissingEndpoint(cert.error) ? (
          <Empty title="Certificate verification is not available on this server yet." />
        ) : cert.error ? (
          <ErrorBox error={cert.error} onRetry={cert.reload} />
        ) : null}
        {c ? (
          <section
            className={`certificate ${c.status}`}
            data-testid="verify-result"
            data-status={c.status}
            aria-labelledby="cert-status"
          >
            <p id="cert-status" className="cert-status">
              {c.status === 'valid'
                ? '✔ Valid certificate'
                : c.status === 'revoked'
                  ? '✘ Revoked certificate'
                  : '⚠ Expired certificate'}
            </p>
            <p className="cert-statement">“{c.statement}”</p>
            <dl className="kv">
              <div>
                <dt>Number</dt>
                <dd>{c.number}</dd>
              </div>
              <div>
                <dt>Claim</dt>
                <dd>{claimLabel(c.claimType)}</dd>
              </div>
              <div>
                <dt>Period</dt>
                <dd>{period(c.periodFrom, c.periodTo)}</dd>
              </div>
              <div>
                <dt>Certified by</dt>
                <dd>{c.certificationBody}</dd>
              </div>
              <div>
                <dt>Assurance</dt>
                <dd>{humanize(c.assuranceLevel)}</dd>
              </div>
              <div>
                <dt>Issued</dt>
                <dd>{date(c.issuedAt)}</dd>
              </div>
              <div>
                <dt>Valid until</dt>
                <dd>{date(c.validUntil)}</dd>
              </div>
              {c.revokedAt ? (
                <div>
                  <dt>Revoked</dt>
                  <dd>
                    {date(c.revokedAt)}
                    {c.revocationReason ? `: ${c.revocationReason}` : ''}
                  </dd>
                </div>
              ) : null}
              <div>
                <dt>Evidence SHA-256</dt>
                <dd>
                  <code className="hash">{c.evidenceSha256}</code>
                </dd>
              </div>
            </dl>
            <p className="muted small">
              The evidence hash identifies the locked snapshot of figures and documents the certifier
              reviewed. Only the certificate’s own facts are public.
            </p>
          </section>
        ) : null}
      </main>
    </div>
  );
}
