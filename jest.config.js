// One PostgreSQL per run (test/setup/global-setup.ts); each test file gets its own database.
// NestJS 12 and a few of its dependencies ship ES modules only; Jest on Node 20 cannot require
// them, so swc turns them into CommonJS like our own code (cached after the first run).
const ESM_PACKAGES = [
  '@nestjs',
  '@apidevtools',
  'ansis',
  'uid',
  'asn1js',
  'pkijs',
  'bytestreamjs',
  'pvtsutils',
  'pvutils',
  '@peculiar',
  'fast-check',
  'pure-rand',
  'jose',
  '@noble',
  'content-disposition', // v3, under @fastify/static
  'cookie', // v2, under light-my-request (Fastify's inject)
  'unpdf', // its PDF.js build, for reading receipts' text in tests
];
const transform = {
  '^.+\\.ts$': ['@swc/jest', { swcrc: true }],
  '^.+\\.m?js$': [
    '@swc/jest',
    {
      swcrc: false,
      jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    },
  ],
};
const common = {
  transform,
  // A package is judged by its innermost node_modules folder (an ES module package can sit under
  // a CommonJS one, e.g. @fastify/static/node_modules/content-disposition).
  transformIgnorePatterns: [
    `/node_modules/(?!(?:${ESM_PACKAGES.join('|')})/)(?:@[^/]+/)?[^/]+/(?!.*node_modules/)`,
  ],
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};

/** @type {import('jest').Config} */
module.exports = {
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  maxWorkers: 2,
  // Set here: Jest reads testTimeout from the global config, not from each project.
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'int',
      testMatch: ['<rootDir>/src/**/*.int-spec.ts', '<rootDir>/test/int/**/*.int-spec.ts'],
      testTimeout: 60000,
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      testTimeout: 60000,
    },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      testTimeout: 90000,
    },
  ],
};
