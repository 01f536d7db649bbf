// `npm test`: set up what is missing, type-check, then run the whole jest suite
// (unit, time-skipping workflow tests, integration tests on the real services).
// Extra arguments go to jest, e.g. `npm test -- test/unit`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, setup, SetupError } from './tools.mjs';

const started = Date.now();
let paths;
try {
  paths = setup({ forTests: true });
} catch (err) {
  if (err instanceof SetupError) {
    console.error(`setup failed: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
const setupSeconds = (Date.now() - started) / 1000;

const bin = (name) => join(ROOT, 'node_modules', '.bin', name);
const env = { ...process.env, ...paths, NODE_ENV: 'test' };

const tsc = spawnSync(bin('tsc'), ['--noEmit', '-p', '.'], { cwd: ROOT, stdio: 'inherit', env });
if (tsc.status !== 0) {
  console.error('typecheck: failed (tsc --noEmit)');
  process.exit(tsc.status ?? 1);
}

mkdirSync(join(ROOT, '.data'), { recursive: true });
const resultsFile = join(ROOT, '.data', 'jest-results.json');
const args = ['--json', `--outputFile=${resultsFile}`, ...process.argv.slice(2)];
if (process.env.CI) args.push('--ci');
const jest = spawnSync(bin('jest'), args, { cwd: ROOT, stdio: 'inherit', env });

if (existsSync(resultsFile)) {
  const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`\nset-up ${setupSeconds.toFixed(1)} s, whole run ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
  if (r.numTotalTests === 0) {
    console.error('no test ran');
    process.exit(1);
  }
}
process.exit(jest.status ?? 1);
