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
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    },
  ],
};
