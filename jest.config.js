/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  maxWorkers: 2,
  // Issue 13: every council outcome now comes from a sitting's ballots (several updates and a child
  // workflow each), so a scenario through two or three councils takes longer than it did.
  testTimeout: 120000,
};
