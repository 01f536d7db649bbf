/**
 * Property-based tests of the whole API from its OpenAPI document (schemathesis,
 * PyPI, installed by `npm test` into .tools/bin): generated valid and invalid
 * requests against the real stack, as the Department's manager, checking that no
 * request makes a server error and that every response (status, content type,
 * headers, body) is the one the document promises. Path parameters point at a
 * real closed task so that its reads and commands are exercised too.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedTask, decidedSecretCouncil, openCallTask } from '../support/fixtures';
import { toolPath } from '../support/services';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let closedTaskId: string;
let openCallTaskId: string;
let councilId: string;
beforeAll(async () => {
  // Login's own limit (sign-in too) and the public one would answer most generated requests with 429 and leave the rest untested.
  stack = await startStack({ env: { RATE_LIMIT_LOGIN_MAX: '100000', RATE_LIMIT_PUBLIC_MAX: '100000' } });
  closedTaskId = await closedTask(stack);
  openCallTaskId = await openCallTask(stack);
  councilId = (await decidedSecretCouncil(stack)).councilId;
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (out += b));
    child.on('close', (code) => resolve({ code, out }));
  });
}

test('schemathesis: no server error and every response as documented', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'khcn-schemathesis-'));
  const junit = join(dir, 'junit.xml');
  const configFile = join(dir, 'schemathesis.toml');
  // Business refusals (409, 422) are valid answers to schema-valid requests here.
  writeFileSync(
    configFile,
    [
      // Every run starts afresh (no crash cache; hypothesis' example database goes to the run's
      // own folder): the same seed, the same cases.
      '[cache]',
      'enabled = false',
      '',
      // Path parameters name a real closed task and a real decided council: their reads return
      // real documents, their commands validate the body and then refuse (409), deterministically.
      '[parameters]',
      `taskId = "${closedTaskId}"`,
      `councilId = "${councilId}"`,
      '',
      '[checks.positive_data_acceptance]',
      'expected-statuses = ["2xx", "401", "403", "404", "409", "422", "429"]',
      '',
      // A cursor is opaque: a string the API did not issue is refused (400), whatever the schema allows.
      // A public call is read from a task whose call is open (the closed task's would only ever be a 404).
      '[[operations]]',
      'include-path = "/api/v1/public/calls/{taskId}"',
      `parameters = { taskId = "${openCallTaskId}" }`,
      '',
      ...['/api/v1/tasks', '/api/v1/users', '/api/v1/audit-log'].flatMap((path) => [
        '[[operations]]',
        `include-path = "${path}"`,
        'include-method = "GET"',
        'checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404", "429"]',
        '',
      ]),
    ].join('\n'),
  );
  const token = await stack.token('manager');
  const started = Date.now();
  const { code, out } = await run(
    toolPath('SCHEMATHESIS_PATH'),
    [
      '--config-file', configFile,
      'run', `${stack.baseUrl}/api/v1/openapi.json`,
      '--url', stack.baseUrl,
      '--header', `Authorization: Bearer ${token}`,
      '--checks', 'not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,negative_data_rejection,positive_data_acceptance,missing_required_header,unsupported_method,allow_header_conformance,ignored_auth',
      '--phases', 'examples,coverage,fuzzing',
      '--max-examples', process.env.SCHEMATHESIS_MAX_EXAMPLES ?? '5',
      '--seed', '20260101',
      // One worker: Python 3.11's ast.parse is not thread-safe in hypothesis' lambda descriptions.
      '--workers', '1',
      '--no-color',
      '--request-timeout', '20',
      '--report', 'junit',
      '--report-junit-path', junit,
    ],
    { ...process.env, SCHEMATHESIS_TELEMETRY: 'false', NO_COLOR: '1' },
    dir,
  );
  const seconds = (Date.now() - started) / 1000;
  const xml = readFileSync(junit, 'utf8');
  const suite = /<testsuites\b[^>]*>/.exec(xml)?.[0] ?? '';
  const attr = (name: string) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(suite)?.[1] ?? NaN);
  const cases = /(\d+) generated/.exec(out)?.[1];
  // One line of our own. schemathesis' summary block ends with a pytest-style closing line
  // ('=== 2 warnings in 92s ==='), which CI would read as a pytest run that executed nothing:
  // the tool's own output goes to a file, and only its failure details are shown.
  const log = join(dir, 'schemathesis.log');
  writeFileSync(log, out);
  console.log(
    `schemathesis: ${cases ?? '?'} cases over ${attr('tests')} operations, ${attr('failures') + attr('errors')} failing, ${seconds.toFixed(0)} s (full output: ${log})`,
  );
  const failureDetails = code === 0 ? '' : withoutClosingLines(out);
  if (failureDetails) console.log(failureDetails);
  expect(attr('tests')).toBeGreaterThan(50);
  expect({ failures: attr('failures'), errors: attr('errors') }).toEqual({ failures: 0, errors: 0 });
  expect(code).toBe(0);
}, 300_000);

/** A tool's output without its pytest-style rule lines ('=== … ===', '___ … ___'). */
function withoutClosingLines(out: string): string {
  return out
    .split('\n')
    .filter((line) => !/^\s*[=_-]{3,}.*[=_-]{3,}\s*$/.test(line))
    .join('\n');
}
