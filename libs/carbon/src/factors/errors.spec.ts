import type { ArgumentsHost } from '@nestjs/common';
import { AppError, ProblemFilter } from '@halve/platform';
import {
  CarbonDataError,
  FactorNotFoundError,
  InvalidActivityError,
  InvalidInputError,
  UnitConversionError,
} from './errors';

/** The raw body and status the platform's one filter writes for an error. */
function answer(err: unknown): { status?: number; body?: string } {
  const out: { status?: number; body?: string } = {};
  const res = {
    headersSent: false,
    setHeader: () => res,
    status(code: number) {
      out.status = code;
      return res;
    },
    type: () => res,
    send(body: string) {
      out.body = body;
      return res;
    },
  };
  const req = { originalUrl: '/api/v1/orgs/o/inventory', method: 'GET' };
  const host = {
    switchToHttp: () => ({ getResponse: () => res, getRequest: () => req }),
  } as unknown as ArgumentsHost;
  new ProblemFilter({ redisUrl: null } as never).catch(err, host);
  return out;
}

describe('carbon errors are answered by the ProblemFilter, mapped once', () => {
  it('a calculation the data cannot support: 422 unprocessable with the carbon code and details', () => {
    const err = new UnitConversionError("unknown unit 'furlong'", { from: 'furlong', to: 'kWh' });
    expect(err).toBeInstanceOf(AppError);
    // The body the hand mapping (UnprocessableError(message, undefined, { carbonCode, ...details })) wrote, byte for byte.
    expect(answer(err)).toEqual({
      status: 422,
      body:
        '{"type":"https://halve.dev/problems/unprocessable","title":"Unprocessable content","status":422,' +
        '"detail":"unknown unit \'furlong\'","code":"unprocessable","carbonCode":"UNIT_NOT_CONVERTIBLE","from":"furlong","to":"kWh",' +
        '"instance":"/api/v1/orgs/o/inventory"}',
    });
    expect(JSON.parse(answer(new FactorNotFoundError('no factor')).body ?? '')).toMatchObject({
      status: 422,
      carbonCode: 'FACTOR_NOT_FOUND',
    });
    expect(JSON.parse(answer(new InvalidActivityError('negative')).body ?? '')).toMatchObject({
      status: 422,
      carbonCode: 'INVALID_ACTIVITY',
    });
  });

  it('bad request parameters: a plain 400 bad_input, no carbon code', () => {
    expect(answer(new InvalidInputError('period 2024-02-01..2024-01-01 is empty or invalid'))).toEqual({
      status: 400,
      body:
        '{"type":"https://halve.dev/problems/bad_input","title":"Bad request","status":400,' +
        '"detail":"period 2024-02-01..2024-01-01 is empty or invalid","code":"bad_input","instance":"/api/v1/orgs/o/inventory"}',
    });
  });

  it('a broken shipped data file is our fault: 500 without the path', () => {
    const out = answer(new CarbonDataError('libs/carbon/data/emission-factors.csv not found from /srv/app'));
    expect(out.status).toBe(500);
    expect(out.body).not.toContain('/srv/app');
  });
});
