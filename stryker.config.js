// Mutation testing of handler/ (npm run mutation; docs/testing.md has the method and the last scores).
// The handler's tests are unit (aws-sdk-client-mock), integration (the emulator over real HTTP) and property
// tests. Integration tests normally load the built bundle, which a mutant in the TypeScript source never
// reaches; here a jest setup file makes them load handler/index.ts from source instead, so every mutant that
// Stryker switches on at run time reaches every suite without a rebuild per mutant.
const jestConfig = require('./jest.config');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
module.exports = {
  mutate: ['handler/**/*.ts'],
  testRunner: 'jest',
  jest: {
    configFile: 'jest.config.js',
    config: {
      testMatch: [
        '<rootDir>/test/unit/**/*.test.ts',
        '<rootDir>/test/integration/**/*.test.ts',
        '<rootDir>/test/property/**/*.test.ts',
      ],
      // runner.test.ts and the start-*.test.ts files run `npm start` in a child process (the bundle): no mutant
      // can reach them. local-stack.test.ts plays a scripted provider, not the handler. histories.test.ts reaches
      // every mutant, and its sample takes seconds: run for each, it would double the run; its known-bug histories are expected to fail (it.failing) and would count a
      // mutant that breaks more as survived.
      testPathIgnorePatterns: [
        '/node_modules/',
        '<rootDir>/test/integration/runner.test.ts',
        '<rootDir>/test/integration/start-[a-z-]+.test.ts',
        '<rootDir>/test/integration/local-stack.test.ts',
        '<rootDir>/test/property/histories.test.ts',
      ],
      setupFiles: [...(jestConfig.setupFiles ?? []), '<rootDir>/test/support/handler-from-source.ts'],
    },
  },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  coverageAnalysis: 'perTest',
  // Reruns only the mutants whose code or covering tests changed since the last run (the file is not checked in).
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  // Half checkers, half jest runners, and all runners once checking is done. The runners mostly wait (hung calls,
  // rule polls, deadlines run out on purpose), so 6 suits two cores: all of handler/ took 68 minutes at 6 with
  // --force, where 2 needed one to two hours. Lower it with `npm run mutation -- --concurrency 2` on a busy machine.
  concurrency: 6,
  // Each jest run leaves some memory behind in the runner process (~20 MB); a fresh process every 20 runs bounds it.
  maxTestRunnerReuse: 20,
  // Integration tests wait out hung calls on purpose; a loaded machine runs them slower than the dry run.
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 95, low: 90, break: null },
};
