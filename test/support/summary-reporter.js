const { writeSync } = require('node:fs');

// Ends the run with one plain line, "N passed, N failed", that any CI log reader understands. Jest's own summary
// ("Test Suites: ...", "Ran all test suites.") is written after the custom reporters' onRunComplete, so the line
// is written as the process exits, after everything else, and synchronously, as an exit handler must.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const tail = skipped > 0 ? `, ${skipped} skipped` : '';
    const line = `\n${results.numPassedTests} passed, ${results.numFailedTests} failed${tail}\n`;
    process.once('exit', () => writeSync(1, line));
  }
}

module.exports = SummaryReporter;
