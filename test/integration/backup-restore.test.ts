/**
 * Backup and restore (issue 17), for real: `npm start` on ports and a data folder of its own;
 * a proposal filed with a file and taken into identification review; `npm run backup` while the
 * system runs; the system stopped; `npm run restore` into an empty folder; `npm start` there. The
 * task is back with its stage, its document and its file, and its workflow takes the next command
 * (its history decoded with the restored keys). A damaged or partial archive is refused, and
 * nothing is written.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitUntil } from '../support/services';
import { pdfUploadBody } from '../support/fixtures';
import { sampleProposal } from '../support/stack';

const ROOT = join(__dirname, '..', '..');
const WORK = mkdtempSync(join(tmpdir(), 'khcn-backup-test-'));
const systems: ChildProcess[] = [];

async function ports(): Promise<Record<string, string>> {
  const p: Record<string, string> = {};
  for (const k of ['TEMPORAL_PORT', 'TEMPORAL_UI_PORT', 'FERRETDB_PORT', 'MAILDEV_SMTP_PORT', 'MAILDEV_WEB_PORT', 'API_PORT']) p[k] = String(await freePort());
  return p;
}

function env(dataDir: string, p: Record<string, string>): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, ...p, DATA_DIR: dataDir, NODE_ENV: 'development' };
  for (const k of ['TEMPORAL_ADDRESS', 'MONGODB_URI', 'SMTP_HOST', 'PUBLIC_BASE_URL', 'TEMPORAL_UI_URL']) delete e[k];
  return e;
}

async function startSystem(dataDir: string, p: Record<string, string>) {
  const child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: ROOT, env: env(dataDir, p), stdio: ['ignore', 'pipe', 'pipe'] });
  systems.push(child);
  let out = '';
  child.stdout!.on('data', (b) => (out += b.toString()));
  child.stderr!.on('data', (b) => (out += b.toString()));
  await waitUntil(`npm start in ${dataDir}`, () => out.includes('KHCN Flow is running.') || child.exitCode !== null, 300_000);
  if (!out.includes('KHCN Flow is running.')) throw new Error(out);
  const tokens: { role: string; email: string; token: string }[] = JSON.parse(readFileSync(join(dataDir, 'dev-tokens.json'), 'utf8'));
  const token = (role: string) => tokens.find((t) => t.role === role)!.token;
  const api = `http://127.0.0.1:${p.API_PORT}/api/v1`;
  const call = async (method: string, path: string, role: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${api}${path}`, { method, headers: { authorization: `Bearer ${token(role)}`, ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}), ...headers }, ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}) });
    return res;
  };
  const stop = async () => {
    child.kill('SIGTERM');
    await waitUntil('npm start stopped', () => child.exitCode !== null, 60_000);
  };
  return { call, stop };
}

const run = (script: string, args: string[], dataDir: string) => spawnSync(process.execPath, [join(ROOT, 'scripts', script), ...args], { cwd: ROOT, env: env(dataDir, {}), encoding: 'utf8' });

afterAll(async () => {
  for (const s of systems) if (s.exitCode === null && s.signalCode === null) s.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 3000));
  rmSync(WORK, { recursive: true, force: true });
});

test('a backup of a running system restores into a working one; a damaged or partial archive is refused', async () => {
  const first = join(WORK, 'first');
  const one = await startSystem(first, await ports());
  // A proposal with its file, then taken into identification review by the officer.
  const { body, contentType } = pdfUploadBody('Thuyết minh đề cương.pdf');
  const uploaded: any = await (await one.call('POST', '/uploads', 'researcher', body, { 'content-type': contentType })).json();
  const filed = await one.call('POST', '/proposals', 'researcher', { ...sampleProposal({ title: 'Nhiệm vụ sao lưu và phục hồi dữ liệu' }), attachments: [uploaded.items[0].uploadId] });
  expect(filed.status).toBe(201);
  const { taskId } = (await filed.json()) as { taskId: string };
  await waitUntil('the proposal form', async () => ((await (await one.call('GET', `/tasks/${taskId}`, 'manager')).json()) as any).documents?.length > 0, 60_000);
  expect((await one.call('POST', `/tasks/${taskId}/start-identification-review`, 'manager', {})).status).toBe(200);
  const before: any = await (await one.call('GET', `/tasks/${taskId}`, 'manager')).json();

  // Backed up while it runs.
  const archive = join(WORK, 'khcn.tar.gz');
  const b = run('backup.mjs', ['--out', archive], first);
  expect(b.stderr).toBe('');
  expect(b.stdout).toMatch(/^backup written: .*nothing was stopped/m);
  await one.stop();

  // A damaged archive (one byte changed) and a partial one (cut short) are refused; nothing is written.
  const bytes = readFileSync(archive);
  const damaged = Buffer.from(bytes);
  damaged[Math.floor(damaged.length / 2)]! ^= 0xff;
  writeFileSync(join(WORK, 'damaged.tar.gz'), damaged);
  writeFileSync(join(WORK, 'partial.tar.gz'), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  for (const bad of ['damaged.tar.gz', 'partial.tar.gz']) {
    const target = join(WORK, `restore-${bad}`);
    mkdirSync(target);
    const r = run('restore.mjs', [join(WORK, bad)], target);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^restore refused: the archive is damaged|^restore refused: .*(checksum|incomplete|missing)/m);
    expect(readdirSync(target)).toEqual([]);
  }
  // Never over existing data.
  expect(run('restore.mjs', [archive], first).stderr).toMatch(/is not empty/);

  // Restored into an empty folder and started: the task, its document and its file are back, and it moves on.
  const second = join(WORK, 'second');
  const r = run('restore.mjs', [archive], second);
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/^restored \d+ files from the backup of/m);
  expect(statSync(join(second, 'temporal.db')).size).toBeGreaterThan(0);
  const two = await startSystem(second, await ports());
  try {
    const after: any = await (await two.call('GET', `/tasks/${taskId}`, 'manager')).json();
    expect(after.stage).toBe(before.stage);
    expect(after.title).toBe('Nhiệm vụ sao lưu và phục hồi dữ liệu');
    const pdf = await two.call('GET', `/tasks/${taskId}/documents/${after.documents[0].documentId}`, 'manager');
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const file = await two.call('GET', `/tasks/${taskId}/files/${after.files[0].fileId}`, 'manager');
    expect(file.status).toBe(200);
    // The restored workflow takes a command: the researcher withdraws the proposal.
    const next = await two.call('POST', `/tasks/${taskId}/withdraw`, 'researcher', { reason: 'Rút đề xuất sau khi phục hồi dữ liệu để kiểm tra.' });
    expect(next.status).toBe(200);
    expect(((await next.json()) as any).stage).toBe('WITHDRAWN');
  } finally {
    await two.stop();
  }
  expect(existsSync(join(second, 'pids.json'))).toBe(false);
}, 900_000);
