// `npm run backup [-- --out FILE]`: one archive of everything `npm start` keeps in its data folder
// (DATA_DIR, default .data), consistent while the system runs.
//
// - Temporal's database (temporal.db) and FerretDB's databases (ferretdb/*.sqlite: the tasks'
//   read models, councils, users, uploaded files and generated documents (GridFS), the document
//   register, the audit log) are copied with SQLite's online backup, each a consistent snapshot
//   taken without stopping anything. The two are not one transaction: a step taken while the
//   backup runs may be in Temporal's copy and not yet in the read model's; after a restore
//   `npm run reconcile` (or the page's reconciliation) rewrites what drifted.
// - The development secrets `npm start` made (dev-jwt-secret, dev-temporal-keys.json, signing/)
//   travel with the data: without them the restored histories could not be decoded. Secrets
//   given by configuration (production) are never written: keep them with your secret store.
// - A manifest with each file's size and SHA-256, the configuration without secrets, versions.
//
// With TEMPORAL_ADDRESS or MONGODB_URI the services are not ours: back them up with their own
// tools (README, "Backup and restore"); this script refuses rather than archive half a system.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { ROOT } from './tools.mjs';

export const FORMAT = 'khcn-flow-backup/1';
const say = (m) => process.stdout.write(`${m}\n`);
const SECRET_NAME = /SECRET|PASSWORD|PASSPHRASE|PRIVATE|_KEYS?$|P12/;

export function sha256File(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export function filesUnder(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** SQLite's online backup (Python's sqlite3 module): a consistent copy of a live database. */
function sqliteBackup(from, to) {
  const code = 'import sqlite3,sys\nsrc=sqlite3.connect("file:"+sys.argv[1]+"?mode=ro",uri=True,timeout=30)\ndst=sqlite3.connect(sys.argv[2])\nsrc.backup(dst)\ndst.close()\nsrc.close()\n';
  const r = spawnSync('python3', ['-c', code, from, to], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`could not copy ${from}: ${r.stderr.trim()}`);
}

export function backup({ dataDir, out }) {
  if (process.env.TEMPORAL_ADDRESS || process.env.MONGODB_URI) {
    throw new Error('TEMPORAL_ADDRESS or MONGODB_URI is set: those services are not run by npm start; back them up with their own tools (see the README) and keep the uploaded configuration.');
  }
  if (!existsSync(join(dataDir, 'temporal.db')) && !existsSync(join(dataDir, 'ferretdb'))) throw new Error(`${dataDir} holds no KHCN Flow data (no temporal.db, no ferretdb/)`);
  const started = Date.now();
  const stage = mkdtempSync(join(tmpdir(), 'khcn-backup-'));
  try {
    const content = join(stage, 'data');
    mkdirSync(content, { recursive: true });
    if (existsSync(join(dataDir, 'temporal.db'))) sqliteBackup(join(dataDir, 'temporal.db'), join(content, 'temporal.db'));
    if (existsSync(join(dataDir, 'ferretdb'))) {
      mkdirSync(join(content, 'ferretdb'));
      for (const f of readdirSync(join(dataDir, 'ferretdb')).filter((n) => n.endsWith('.sqlite'))) sqliteBackup(join(dataDir, 'ferretdb', f), join(content, 'ferretdb', f));
    }
    for (const secret of ['dev-jwt-secret', 'dev-temporal-keys.json']) if (existsSync(join(dataDir, secret))) cpSync(join(dataDir, secret), join(content, secret));
    if (existsSync(join(dataDir, 'signing'))) cpSync(join(dataDir, 'signing'), join(content, 'signing'), { recursive: true });
    const config = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(NODE_ENV|DEPARTMENT_|DOCUMENT_|RULESET_|PUBLIC_BASE_URL|TEMPORAL_NAMESPACE|TEMPORAL_TASK_QUEUE|MAIL_FROM|API_PORT|LOG_LEVEL)/.test(k) && !SECRET_NAME.test(k)));
    const files = filesUnder(content).map((f) => ({ path: relative(content, f), bytes: statSync(f).size, sha256: sha256File(f) }));
    const manifest = {
      format: FORMAT,
      createdAt: new Date().toISOString(),
      from: dataDir,
      files,
      configuration: config,
      versions: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version ?? null,
      note: 'Temporal and the store are each a consistent snapshot; run the reconciliation after restoring.',
    };
    writeFileSync(join(stage, 'manifest.json'), JSON.stringify(manifest, null, 2));
    mkdirSync(resolve(out, '..'), { recursive: true });
    const tar = spawnSync('tar', ['-czf', out, '-C', stage, 'manifest.json', 'data'], { encoding: 'utf8' });
    if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
    return { out, files: files.length, bytes: statSync(out).size, seconds: (Date.now() - started) / 1000 };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] && basename(process.argv[1]) === 'backup.mjs') {
  const args = process.argv.slice(2);
  const outIdx = args.indexOf('--out');
  const dataDir = resolve(process.env.DATA_DIR || join(ROOT, '.data'));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const out = resolve(outIdx >= 0 ? args[outIdx + 1] : join(ROOT, 'backups', `khcn-flow-${stamp}.tar.gz`));
  try {
    const r = backup({ dataDir, out });
    say(`backup written: ${r.out} (${r.files} files, ${(r.bytes / 1024 / 1024).toFixed(1)} MB, ${r.seconds.toFixed(1)} s; nothing was stopped: each database was copied with SQLite's online backup)`);
    say('restore it with: npm run restore -- ' + relative(process.cwd(), r.out));
  } catch (err) {
    console.error(`backup failed: ${err.message}`);
    process.exit(1);
  }
}
