#!/usr/bin/env node
// Runs the vitest suite and closes with one line: how many tests passed, failed and were skipped, and
// how many test files (suites) failed — counted apart: a file fails when one of its tests does, or
// when it cannot run at all (an import error, a failing beforeAll), which no test count shows.
// Skipped suites (a service that is not reachable outside CI) are listed with their reason by the
// global setup (test/support/global-setup.ts) before the tests start.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const resultsFile = ".test-results.json";
rmSync(resultsFile, { force: true });
const args = ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${resultsFile}`, ...process.argv.slice(2)];
// Every temporary folder the tests and their child processes make (data dirs, key files, reports)
// goes under one folder of this run, removed at the end: the machine keeps nothing of a run.
const runTmp = mkdtempSync(join(tmpdir(), "croupier-test-run-"));
const run = spawnSync("npx", args, { stdio: "inherit", env: { ...process.env, TMPDIR: runTmp } });
rmSync(runTmp, { recursive: true, force: true });

let passed = 0,
  failed = 0,
  skipped = 0,
  suitesFailed = 0,
  suites = 0;
if (existsSync(resultsFile)) {
  const results = JSON.parse(readFileSync(resultsFile, "utf8"));
  passed = results.numPassedTests;
  failed = results.numFailedTests;
  // numFailedTestSuites counts describe blocks as well as files; the per-file results count files.
  suites = results.testResults.length;
  suitesFailed = results.testResults.filter((file) => file.status === "failed").length;
  skipped = results.numPendingTests + results.numTodoTests;
}
const ok = run.status === 0 && failed === 0 && suitesFailed === 0;
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped; files: ${suitesFailed} of ${suites} failed — ${ok ? "PASS" : "FAIL"}`);
process.exit(ok ? 0 : 1);
