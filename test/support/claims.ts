import type { SignedUp, TestApp } from './harness';

/**
 * The certification requests the e2e suites repeat to set a claim up and move it along: drafting it,
 * uploading a document, an organisation's or a certifier's transition. Each sends the request and
 * checks the HTTP status the test names (every call site states the status it expects), and returns
 * the response for the test's own assertions.
 */
export function claimRequests(t: TestApp) {
  const orgApi = (org: SignedUp, path: string) => `/api/v1/orgs/${org.orgId}${path}`;
  const bodyApi = (bodyId: string, path: string) => `/api/v1/certification-bodies/${bodyId}${path}`;

  const draft = (org: SignedUp, fields: object, status: number) =>
    t.http.post(orgApi(org, '/claims')).set(org.auth).send(fields).expect(status);

  /** A transition asked for by the organisation (`org`'s own user). */
  const orgMove = (org: SignedUp, claimId: string, body: object, status: number) =>
    t.http
      .post(orgApi(org, `/claims/${claimId}/transitions`))
      .set(org.auth)
      .send(body)
      .expect(status);

  /** A transition asked for through body `bodyId`'s API by `as` (a certifier, or someone who is not one). */
  const certifierMove = (bodyId: string, as: SignedUp, claimId: string, body: object, status: number) =>
    t.http
      .post(bodyApi(bodyId, `/claims/${claimId}/transitions`))
      .set(as.auth)
      .send(body)
      .expect(status);

  const upload = (
    org: SignedUp,
    claimId: string,
    kind: string,
    file: Buffer,
    filename: string,
    status: number,
  ) =>
    t.http
      .post(orgApi(org, `/claims/${claimId}/evidence`))
      .set(org.auth)
      .field('kind', kind)
      .attach('file', file, filename)
      .expect(status);

  /** The organisation submits the claim and the certifier takes it into review; both must succeed. */
  const submitAndReview = async (org: SignedUp, claimId: string, bodyId: string, certifier: SignedUp) => {
    await orgMove(org, claimId, { to: 'submitted' }, 200);
    await certifierMove(bodyId, certifier, claimId, { to: 'in_review' }, 200);
  };

  return { draft, orgMove, certifierMove, upload, submitAndReview };
}
