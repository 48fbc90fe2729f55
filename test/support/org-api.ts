import { Body, SignedUp, TestApp, waitFor } from './harness';

/**
 * The organisation-scoped calls suites use to set up sites, meters and imports. `app` answers the suite's
 * app, which is started in beforeAll, after these helpers are made.
 */
export function orgApi(app: () => TestApp) {
  const api = (org: SignedUp, path: string) => `/api/v1/orgs/${org.orgId}${path}`;
  /** Creates a site as given and answers its id. */
  const site = async (org: SignedUp, body: Record<string, unknown>) =>
    (await app().http.post(api(org, '/sites')).set(org.auth).send(body).expect(201)).body.id as string;
  /** Creates a meter (kWh unless given) and answers its id. */
  const meter = async (org: SignedUp, body: Record<string, unknown>) =>
    (
      await app()
        .http.post(api(org, '/meters'))
        .set(org.auth)
        .send({ unit: 'kWh', ...body })
        .expect(201)
    ).body.id as string;
  /** Uploads `csv` to an import route (form fields as given), waits for the import and checks it succeeded. */
  const upload = async (
    org: SignedUp,
    path: string,
    csv: string,
    fields: Record<string, string> = {},
  ): Promise<Body> => {
    let req = app().http.post(api(org, path)).set(org.auth);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    const res = await req.attach('file', Buffer.from(csv), 'data.csv').expect(202);
    const report = await waitFor(app(), api(org, `/imports/${res.body.importId}`), org.auth);
    expect({ status: report.status, error: report.error }).toEqual({ status: 'succeeded', error: undefined });
    return report;
  };
  return { api, site, meter, upload };
}
