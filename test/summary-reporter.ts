import type { Reporter, SerializedError, TestModule } from "vitest/node";

/**
 * Ends the run with the plain "N passed, N failed, N skipped" line CI reads, whatever the other reporters print.
 * A test file that fails outside its tests (a failing beforeAll, an import that throws) counts as one failure:
 * its tests never ran, and calling them merely skipped would hide it.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>) {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const testModule of testModules) {
      let failedTests = 0;
      for (const test of testModule.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") counts.passed++;
        else if (state === "failed") failedTests++;
        else counts.skipped++;
      }
      counts.failed += failedTests === 0 && testModule.state() === "failed" ? 1 : failedTests;
    }
    process.stdout.write(`\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
    if (unhandledErrors.length > 0) process.stdout.write(`errors: ${unhandledErrors.length} outside any test\n`);
  }
}
