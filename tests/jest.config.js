// One config, one project per kind of suite; scripts/test.mjs runs them in order.
const transform = {
  '^.+\\.(t|j)sx?$': [
    '@swc/jest',
    { jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2022', transform: { react: { runtime: 'automatic' } } }, module: { type: 'commonjs' } },
  ],
};
const path = require('node:path');

const common = { rootDir: path.resolve(__dirname, '..'), transform, testEnvironment: 'node', moduleFileExtensions: ['ts', 'tsx', 'js', 'json'] };

module.exports = {
  rootDir: path.resolve(__dirname, '..'),
  // Read from the top level only (ignored inside a project); browser tests wait for builds and vendors.
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/tests/unit/**/*.test.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/tests/integration/**/*.test.ts'] },
    { ...common, displayName: 'reliability', testMatch: ['<rootDir>/tests/reliability/**/*.test.ts'] },
    { ...common, displayName: 'build', testMatch: ['<rootDir>/tests/build/**/*.test.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'] },
    // Measurements run by `npm run bench`, not by `npm test`.
    { ...common, displayName: 'load', testMatch: ['<rootDir>/tests/load/**/*.test.ts'] },
  ],
};
