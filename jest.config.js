/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': '<rootDir>/test/esbuild-transform.js' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFilesAfterEnv: ['aws-sdk-client-mock-jest', '<rootDir>/test/support/signature-guard-setup.ts'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // The mutation run's sandbox copies of the project (npm run mutation).
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
  restoreMocks: true,
  // Integration tests run whole lifecycles over HTTP, some of them on purpose past a hung call.
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
