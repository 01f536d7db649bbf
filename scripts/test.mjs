// `npm test`: set up what is missing, type-check, then run the whole jest suite
// (unit, time-skipping workflow tests, integration tests on the real services).
// Extra arguments go to jest, e.g. `npm test -- test/unit`.
// The last line printed is `jest: N passed, N failed, N skipped` (CI reads it).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { closingLine, pipeLines } from './test-output.mjs';
import { ROOT, setup, SetupError } from './tools.mjs';

const started = Date.now();
// KHCN_TEST_SKIP_SETUP: only for the runner's own output test, which runs a fixture suite.
const skipSetup = process.env.KHCN_TEST_SKIP_SETUP === '1';
let paths = {};
if (!skipSetup) {
  try {
    paths = setup({ forTests: true });
  } catch (err) {
    if (err instanceof SetupError) {
      console.error(`setup failed: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}
const setupSeconds = (Date.now() - started) / 1000;

const bin = (name) => join(ROOT, 'node_modules', '.bin', name);
const env = { ...process.env, ...paths, NODE_ENV: 'test' };

if (!skipSetup) {
  // The server and tests, then the web app against the API's own types.
  for (const project of ['.', 'web']) {
    const tsc = spawnSync(bin('tsc'), ['--noEmit', '-p', project], { cwd: ROOT, stdio: 'inherit', env });
    if (tsc.status !== 0) {
      console.error(`typecheck: failed (tsc --noEmit -p ${project})`);
      process.exit(tsc.status ?? 1);
    }
  }
}

mkdirSync(join(ROOT, '.data'), { recursive: true });
const resultsFile = process.env.KHCN_TEST_RESULTS ?? join(ROOT, '.data', 'jest-results.json');
rmSync(resultsFile, { force: true });
const args = ['--json', `--outputFile=${resultsFile}`, ...process.argv.slice(2)];
if (process.env.CI) args.push('--ci');
// jest's output goes through a line filter: another runner's closing line never reaches CI.
const jest = spawn(bin('jest'), args, { cwd: ROOT, stdio: ['inherit', 'pipe', 'pipe'], env });
const [status] = await Promise.all([
  new Promise((resolve) => jest.on('close', (code) => resolve(code))),
  pipeLines(jest.stdout, process.stdout),
  pipeLines(jest.stderr, process.stderr),
]);

if (!existsSync(resultsFile)) {
  console.log(closingLine({ passed: 0, failed: 1, skipped: 0 }));
  process.exit(status || 1);
}
const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
// A suite that failed to load (a syntax error, a failing beforeAll) counts as failed too.
const failed = r.numFailedTests + r.numRuntimeErrorTestSuites;
console.log(`\nset-up ${setupSeconds.toFixed(1)} s, whole run ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (r.numTotalTests === 0) console.log('no test ran');
console.log(closingLine({ passed: r.numPassedTests, failed, skipped: r.numPendingTests + r.numTodoTests }));
process.exit(r.numTotalTests === 0 ? 1 : status ?? 1);
