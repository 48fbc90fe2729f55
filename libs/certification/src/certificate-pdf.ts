import type PDFKit from 'pdfkit';

export interface CertificatePdfInput {
  number: string;
  status: 'valid' | 'expired' | 'revoked';
  statement: string;
  claimType: string;
  periodFrom: string;
  periodTo: string;
  certificationBody: string;
  assuranceLevel: string;
  issuedAt: Date;
  validUntil: string;
  evidenceSha256: string;
  verifyUrl: string;
  revokedAt?: Date | null;
  revocationReason?: string | null;
}

/** The certificate as a one-page PDF (built-in Helvetica: text limited to WinAnsi). */
export function certificatePdf(c: CertificatePdfInput): Promise<Buffer> {
  const t = (s: string) => s.replace(/[^\x20-\x7e\u00a0-\u00ff\u2013\u2014\u2019\u201c\u201d]/g, '?');
  // loaded on first use (≈ 6 MB)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const PDFDocument = require('pdfkit') as typeof PDFKit;
  const doc = new PDFDocument({
    size: 'A4',
    margin: 60,
    info: { Title: `Certificate ${c.number}`, Author: c.certificationBody, Creator: 'Halve' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 120;
  doc.font('Helvetica-Bold').fontSize(22).text('Certificate', { align: 'center' }).moveDown(0.2);
  doc
    .font('Helvetica')
    .fontSize(12)
    .text(t(`${c.claimType.replace(/_/g, ' ')} claim`), { align: 'center' })
    .moveDown(0.2);
  doc.font('Helvetica-Bold').fontSize(14).text(c.number, { align: 'center' }).moveDown(1.2);
  doc.font('Helvetica').fontSize(12).text(t(c.statement), { width, align: 'left' }).moveDown(1);
  const row = (label: string, value: string) => {
    doc
      .font('Helvetica-Bold')
      .fontSize(10)
      .text(`${label}: `, { continued: true })
      .font('Helvetica')
      .text(t(value));
  };
  row('Period', `${c.periodFrom} to ${c.periodTo} (exclusive)`);
  row('Certification body', c.certificationBody);
  row('Assurance level', c.assuranceLevel);
  row('Issued', c.issuedAt.toISOString().slice(0, 10));
  row('Valid until', c.validUntil);
  row('Status', c.status);
  if (c.revokedAt) row('Revoked', `${c.revokedAt.toISOString().slice(0, 10)}: ${c.revocationReason ?? ''}`);
  doc.moveDown(0.8);
  doc.font('Helvetica-Bold').fontSize(10).text('SHA-256 of the evidence snapshot');
  doc.font('Courier').fontSize(9).text(c.evidenceSha256).moveDown(0.8);
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(`Verify this certificate at ${c.verifyUrl}`, { link: c.verifyUrl, underline: true });
  doc.end();
  return done;
}
