// Sums vitest JSON reports into "N passed, N failed". A missing report (its run never got to the
// tests, e.g. lint or typecheck failed) counts as one failure, so a red run never reads green.
import { existsSync, readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    console.error(`no test report at ${file}`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests;
  // A file that failed to load (numFailedTestSuites without failed tests) still counts once.
  failed += report.numFailedTests || (report.success ? 0 : 1);
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
