/**
 * Jest reporter that ends a run with one plain line, `N passed, N failed, N skipped`, which CI systems
 * that read closing lines understand whatever the test runner.
 */
class ClosingLineReporter {
  onRunComplete(_contexts, results) {
    const line = `${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests + results.numTodoTests} skipped`;
    process.stderr.write(`${line}\n`); // same stream as jest's summary, so it comes last
  }
}
module.exports = ClosingLineReporter;
