// Prints the suite's closing line ("Tests: N passed, N failed, N skipped") from vitest's
// JSON report, and fails when the run executed no test at all.
import { readFileSync } from 'node:fs';

const reportPath = process.argv[2];
let report;
try {
  report = JSON.parse(readFileSync(reportPath, 'utf8'));
} catch (error) {
  console.error(`stem: no test report at ${reportPath}: ${error.message}`);
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
const failed = report.numFailedTests ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (passed + failed === 0) {
  console.error('stem: the run executed no test');
  process.exit(1);
}
if (skipped > 0) {
  console.error('stem: tests were skipped; the suite never skips (see CONTRIBUTING in README)');
  process.exit(1);
}
process.exit(failed > 0 || report.success === false ? 1 : 0);
