/**
 * Jest reporter that ends a run with one plain line, `N passed, N failed, N skipped`, which CI systems
 * that read closing lines understand whatever the test runner. Jest's own summary is printed after the
 * reporters run, so the line is written when the process exits.
 */
class ClosingLineReporter {
  onRunComplete(_contexts, results) {
    const line = `${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests + results.numTodoTests} skipped`;
    process.once("exit", () => process.stderr.write(`${line}\n`));
  }
}
module.exports = ClosingLineReporter;
