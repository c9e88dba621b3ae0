// The SDK's notice that its releases after early January 2027 need Node 22 is not for this project's tests: see
// scripts/lib/node-version-note.ts. Set here, it reaches every worker and every child process a test starts.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** @type {import('jest').Config} */
module.exports = {
  // Node, with what a test writes held back and shown only if it fails.
  // An absolute path: the mutation run's jest plugin resolves it without expanding <rootDir>.
  testEnvironment: require('node:path').join(__dirname, 'test', 'support', 'quiet-environment.js'),
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
