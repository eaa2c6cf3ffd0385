// Runs every suite (lint + type-check, vitest, Playwright e2e + Electron smoke) and ends with one line:
// "N passed, N failed, N skipped" summed over all of them. Exit code 1 when anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const totals = { passed: 0, failed: 0, skipped: 0 };
const notes = [];

function run(label, command, args, env = {}) {
  console.log(`\n=== ${label}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

function step(label, command, args) {
  if (run(label, command, args)) totals.passed++;
  else {
    totals.failed++;
    notes.push(`failed: ${label}`);
  }
}

rmSync('test-results', { recursive: true, force: true });
mkdirSync('test-results', { recursive: true });

step('build', process.execPath, ['scripts/build.mjs']);
step('lint and format (biome)', 'npx', ['biome', 'check', '--error-on-warnings', '.']);
step('type-check main, preload, shared, tests', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.node.json']);
step('type-check renderer', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.web.json']);

run('unit and integration (vitest)', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json'], {
  VC2M_SKIP_BUILD: '1',
});
if (existsSync('test-results/vitest.json')) {
  const report = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
  // A suite that failed to load has no tests to count; count it as one failure so it cannot pass silently.
  const broken = report.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0);
  totals.failed += broken.length;
  for (const f of broken) notes.push(`failed to load: ${f.name}`);
} else {
  totals.failed++;
  notes.push('vitest wrote no report');
}

const electronDisplay = !process.env.DISPLAY && existsSync('/usr/bin/xvfb-run');
const pw = electronDisplay ? ['xvfb-run', ['-a', 'npx', 'playwright', 'test']] : ['npx', ['playwright', 'test']];
run('end-to-end in Chromium, Electron smoke (playwright)', pw[0], pw[1]);
if (existsSync('test-results/playwright.json')) {
  const report = JSON.parse(readFileSync('test-results/playwright.json', 'utf8'));
  totals.passed += report.stats.expected + report.stats.flaky;
  totals.failed += report.stats.unexpected;
  totals.skipped += report.stats.skipped;
  if (report.errors?.length) {
    totals.failed += report.errors.length;
    for (const e of report.errors) notes.push(`playwright: ${e.message?.split('\n')[0]}`);
  }
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        const skip = t.annotations?.find((a) => a.type === 'skip');
        if (t.status === 'skipped') notes.push(`skipped: ${spec.title} (${skip?.description ?? 'no reason given'})`);
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of report.suites) walk(suite);
} else {
  totals.failed++;
  notes.push('playwright wrote no report');
}

console.log('');
for (const note of notes) console.log(note);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed === 0 ? 0 : 1);
