import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseSize } from './config';

describe('loadConfig', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'halve-config-'));
  const base = { HALVE_DATA_DIR: dataDir };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('has working defaults: embedded database, in-process jobs, port 3000', () => {
    const config = loadConfig(base);
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeNull();
    expect(config.redisUrl).toBeNull();
    expect(config.uploadLimitBytes).toBe(1024 ** 3);
    expect(config.demo).toBe(true);
  });

  it('takes a PGlite template for an in-memory database', () => {
    expect(loadConfig(base).pgliteTemplate).toBeNull();
    const env = {
      HALVE_DATA_DIR: 'memory://',
      HALVE_PGLITE_TEMPLATE: '/tmp/t.tar',
      HALVE_JWT_SECRET: 'x'.repeat(40),
    };
    expect(loadConfig(env).pgliteTemplate).toBe('/tmp/t.tar');
  });

  it('keeps the development JWT secret across restarts', () => {
    expect(loadConfig(base).jwtSecret).toBe(loadConfig(base).jwtSecret);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL'],
    [{ HALVE_DEMO: 'maybe' }, 'HALVE_DEMO'],
    [{ HALVE_UPLOAD_LIMIT: 'lots' }, 'HALVE_UPLOAD_LIMIT'],
    [{ HALVE_JWT_SECRET: 'short' }, 'HALVE_JWT_SECRET'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ HALVE_NIGHTLY_TRAIN: 'yes' }, 'HALVE_NIGHTLY_TRAIN'],
    [{ HALVE_NIGHTLY_TRAIN_HOUR: '24' }, 'HALVE_NIGHTLY_TRAIN_HOUR'],
    // a template only for a database in memory: never loaded over a data folder
    [{ HALVE_PGLITE_TEMPLATE: '/tmp/template.tar' }, 'HALVE_PGLITE_TEMPLATE'],
  ])('refuses %j naming the variable', (env, variable) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ...env })).toThrow(variable);
  });

  it('leaves nightly retraining to the job mode unless set, at 02:00 UTC by default', () => {
    expect(loadConfig(base)).toEqual(expect.objectContaining({ nightlyTrain: null, nightlyTrainHourUtc: 2 }));
    expect(loadConfig({ ...base, HALVE_NIGHTLY_TRAIN: 'on', HALVE_NIGHTLY_TRAIN_HOUR: '23' })).toEqual(
      expect.objectContaining({ nightlyTrain: true, nightlyTrainHourUtc: 23 }),
    );
    expect(loadConfig({ ...base, HALVE_NIGHTLY_TRAIN: 'off' }).nightlyTrain).toBe(false);
  });

  it('trusts no proxy by default; HALVE_TRUSTED_PROXIES takes addresses, CIDRs and range names, and names a bad entry', () => {
    expect(loadConfig(base).trustedProxies).toEqual([]);
    expect(
      loadConfig({ ...base, HALVE_TRUSTED_PROXIES: ' 10.0.0.0/8, 192.168.1.7 ,fd00::/8, ::1, loopback' })
        .trustedProxies,
    ).toEqual(['10.0.0.0/8', '192.168.1.7', 'fd00::/8', '::1', 'loopback']);
    for (const bad of ['10.0.0.0/33', 'proxy.example.com', '*', '10.0.0.1/8/1']) {
      expect(() => loadConfig({ ...base, HALVE_TRUSTED_PROXIES: `127.0.0.1,${bad}` })).toThrow(
        `HALVE_TRUSTED_PROXIES must be a comma-separated list of IP addresses, CIDRs or loopback/linklocal/uniquelocal; "${bad}" is none of them`,
      );
    }
  });

  it('takes the migration role only beside DATABASE_URL, and checks HALVE_DB_LEAST_PRIVILEGE', () => {
    const owner = 'postgres://owner@db:5432/halve';
    expect(loadConfig({ ...base, DATABASE_MIGRATION_URL: owner }).databaseMigrationUrl).toBeNull();
    const both = loadConfig({
      ...base,
      DATABASE_URL: 'postgres://app@db:5432/halve',
      DATABASE_MIGRATION_URL: owner,
    });
    expect(both.databaseMigrationUrl).toBe(owner);
    expect(both.dbLeastPrivilege).toBe('warn');
    expect(loadConfig({ ...base, HALVE_DB_LEAST_PRIVILEGE: 'Require' }).dbLeastPrivilege).toBe('require');
    expect(() => loadConfig({ ...base, HALVE_DB_LEAST_PRIVILEGE: 'strict' })).toThrow(
      /HALVE_DB_LEAST_PRIVILEGE.*warn, require.*"strict"/,
    );
    expect(() =>
      loadConfig({ ...base, DATABASE_URL: 'postgres://app@db/halve', DATABASE_MIGRATION_URL: 'mysql://x' }),
    ).toThrow(/DATABASE_MIGRATION_URL/);
  });

  it('parses sizes with units', () => {
    expect(parseSize('X', '25mb')).toBe(25 * 1024 * 1024);
    expect(parseSize('X', '1gb')).toBe(1024 ** 3);
    expect(parseSize('X', '512')).toBe(512);
  });
});
