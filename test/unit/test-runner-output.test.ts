/**
 * CI reads the last line of `npm test` (`N passed, N failed`, `, N skipped` may follow) and
 * takes a pytest-style closing line anywhere in the output for a pytest run of its own (that
 * made it record a run of 5,922 tests as a run without tests). The runner is run here for
 * real, on a fixture suite that prints such a line.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CI_CLOSING_LINE = /^jest: (\d+) passed, (\d+) failed(, (\d+) skipped)?$/;
const PYTEST_CLOSING_LINE = /^\s*=+ .* in [\d.]+\s*s\b.*=+\s*$/m;

function runFixtureSuite(fixture: string) {
  const dir = mkdtempSync(join(tmpdir(), 'khcn-runner-'));
  const config = {
    rootDir: ROOT,
    testEnvironment: 'node',
    transform: { '^.+\\.ts$': ['@swc/jest'] },
    testMatch: [`<rootDir>/test/support/runner-fixture/${fixture}`],
  };
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'test.mjs'), '--config', JSON.stringify(config)], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, KHCN_TEST_SKIP_SETUP: '1', KHCN_TEST_RESULTS: join(dir, 'results.json'), CI: '' },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, all: `${r.stdout}\n${r.stderr}` };
}

let printing: ReturnType<typeof runFixtureSuite>;
let failing: ReturnType<typeof runFixtureSuite>;
beforeAll(() => {
  printing = runFixtureSuite('prints-a-pytest-line.fixture.ts');
  failing = runFixtureSuite('fails.fixture.ts');
}, 120_000);

const lastLine = (stdout: string) => stdout.trimEnd().split('\n').at(-1)!;

test("the last line of npm test is CI's closing line, with the counts jest recorded", () => {
  expect(lastLine(printing.stdout)).toMatch(CI_CLOSING_LINE);
  expect(lastLine(printing.stdout)).toBe('jest: 1 passed, 0 failed, 1 skipped');
  expect(printing.status).toBe(0);
});

test("another runner's closing line printed by a test never reaches the output", () => {
  expect(printing.all).not.toMatch(PYTEST_CLOSING_LINE);
  // What the tool said is still there for whoever reads the log, without its rule of '='.
  expect(printing.all).toContain('[tool summary] 2 warnings in 92.15s');
});

test('a failing test is counted on the closing line and fails the run', () => {
  expect(lastLine(failing.stdout)).toBe('jest: 1 passed, 1 failed, 0 skipped');
  expect(failing.status).not.toBe(0);
});

describe('set-up decides on npm ci by the lock file content', () => {
  // scripts/tools.mjs is an ES module run before npm ci: asked through node, as set-up runs it.
  const needsNpmCi = (root: string): boolean => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import { needsNpmCi } from ${JSON.stringify(join(ROOT, 'scripts', 'tools.mjs'))}; console.log(needsNpmCi(${JSON.stringify(root)}))`], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout.trim() === 'true';
  };
  const stampOf = (root: string) =>
    spawnSync(process.execPath, ['--input-type=module', '-e', `import { createHash } from 'node:crypto'; import { readFileSync } from 'node:fs'; console.log(createHash('sha256').update(readFileSync(${JSON.stringify(join(root, 'package-lock.json'))})).update('node' + process.versions.node.split('.')[0]).digest('hex'))`], { encoding: 'utf8' }).stdout;

  test('no install, an install from this lock, a touched lock, a changed lock', () => {
    const root = mkdtempSync(join(tmpdir(), 'khcn-lock-'));
    writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}\n');
    expect(needsNpmCi(root)).toBe(true);
    mkdirSync(join(root, 'node_modules'));
    writeFileSync(join(root, 'node_modules', '.khcn-lock-sha256'), stampOf(root));
    expect(needsNpmCi(root)).toBe(false);
    // A fresh clone: the same content, newer file times.
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'package-lock.json'), later, later);
    expect(needsNpmCi(root)).toBe(false);
    writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion":3,"packages":{"node_modules/x":{}}}\n');
    expect(needsNpmCi(root)).toBe(true);
  });
});
