// Jest setup file of the mutation run (stryker.config.js): the integration harness loads handler/index.ts from
// source instead of the built bundle, so the mutants Stryker switches on at run time reach the integration tests.
process.env.GITHUB_EVENT_BUS_TEST_HANDLER = 'source';
