/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  maxWorkers: 2,
  // A fresh process for every test file: the Temporal SDK's runtime and connections are per process,
  // and a time-skipping file run in the process of another (council-sitting, then lifecycle-long-task)
  // saw its continued run never start; a call left retrying by one file could also fail the next to
  // load ("Channel has been shut down"). Recycling after each file costs about a second per file.
  workerIdleMemoryLimit: '1MB',
  // Issue 13: every council outcome now comes from a sitting's ballots (several updates and a child
  // workflow each), so a scenario through two or three councils takes longer than it did.
  testTimeout: 120000,
};
