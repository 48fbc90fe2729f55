/** Jest: unit specs beside the code, end-to-end and integration suites under test/. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
const moduleNameMapper = {
  '^@halve/(platform|metering|carbon|forecasting|recommendations|certification)$': '<rootDir>/libs/$1/src',
};
// The portal's component tests: TSX with React's automatic runtime, in jsdom (with Node's fetch classes).
const swcTsx = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      transform: { react: { runtime: 'automatic' } },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
const portal = {
  displayName: 'portal',
  testEnvironment: '<rootDir>/apps/portal/src/test/jsdom-environment.cjs',
  transform: { '^.+\\.(t|j)sx?$': swcTsx },
  testMatch: ['<rootDir>/apps/portal/src/**/*.test.tsx'],
};
const common = { transform: { '^.+\\.(t|j)s$': swc }, moduleNameMapper, testEnvironment: 'node' };
// Fault injection (test/faults): real API and worker processes killed and cut off. The server scenarios
// need PostgreSQL and Redis, so their project exists only when both are configured; the embedded one always.
const faultServers = !!(process.env.DATABASE_URL && process.env.REDIS_URL);
const embeddedFaults = '<rootDir>/test/faults/embedded.fault-spec.ts';
// Citus (issue 20, docs/adr/0011-citus-scale-out.md): only when CITUS_URL names a coordinator (`.ci/citus` prints it).
const citus = process.env.CITUS_URL
  ? [{ ...common, displayName: 'citus', testMatch: ['<rootDir>/test/citus/**/*.citus-spec.ts'] }]
  : [];
// With DATABASE_URL set, each worker runs its e2e and fault suites in a database of its own (test/support/databases.ts),
// so `npm test` runs two files at a time; the run's databases are dropped at the end.
const workerDatabase = ['<rootDir>/test/support/worker-database.setup.ts'];
module.exports = {
  testTimeout: 120000,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/libs/**/*.spec.ts',
        '<rootDir>/apps/**/*.spec.ts',
        '<rootDir>/scripts/**/*.spec.ts',
      ],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: workerDatabase,
    },
    ...(faultServers
      ? [
          {
            ...common,
            displayName: 'faults',
            testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
            testPathIgnorePatterns: ['/node_modules/', embeddedFaults],
            setupFilesAfterEnv: workerDatabase,
          },
        ]
      : []),
    { ...common, displayName: 'faults-embedded', testMatch: [embeddedFaults] },
    ...citus,
    portal,
  ],
};
