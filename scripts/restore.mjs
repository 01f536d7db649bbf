// `npm run restore -- FILE`: restores a backup made by `npm run backup` into an empty data folder
// (DATA_DIR, default .data). Everything is checked before anything is written: the archive reads
// whole, its manifest is ours, every file listed is there with its size and SHA-256, and nothing
// else is; a damaged or partial archive is refused with what is wrong. Then `npm start` runs the
// restored system (timers that came due meanwhile fire at once); run the reconciliation after.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { FORMAT, filesUnder, sha256File } from './backup.mjs';
import { ROOT } from './tools.mjs';

const say = (m) => process.stdout.write(`${m}\n`);

class RestoreError extends Error {}

export function restore({ file, dataDir }) {
  if (!existsSync(file)) throw new RestoreError(`no such archive: ${file}`);
  const occupied = ['temporal.db', 'ferretdb'].filter((n) => existsSync(join(dataDir, n)) && (n !== 'ferretdb' || readdirSync(join(dataDir, n)).length > 0));
  if (occupied.length) throw new RestoreError(`${dataDir} is not empty (${occupied.join(', ')}): restore into an empty data folder (set DATA_DIR), never over a running system's data`);
  const stage = mkdtempSync(join(tmpdir(), 'khcn-restore-'));
  try {
    const tar = spawnSync('tar', ['-xzf', file, '-C', stage], { encoding: 'utf8' });
    if (tar.status !== 0) throw new RestoreError(`the archive is damaged or incomplete (tar: ${tar.stderr.trim().split('\n').at(-1)})`);
    const manifestFile = join(stage, 'manifest.json');
    if (!existsSync(manifestFile)) throw new RestoreError('the archive has no manifest.json: not a KHCN Flow backup, or cut short');
    let manifest;
    try {
      manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    } catch {
      throw new RestoreError('the manifest does not read as JSON: the archive is damaged');
    }
    if (manifest.format !== FORMAT) throw new RestoreError(`not a backup this version restores (format ${manifest.format ?? 'unknown'}, expected ${FORMAT})`);
    const content = join(stage, 'data');
    const problems = [];
    for (const f of manifest.files) {
      const p = join(content, f.path);
      if (!existsSync(p)) problems.push(`${f.path} is missing`);
      else if (statSync(p).size !== f.bytes) problems.push(`${f.path} has ${statSync(p).size} bytes, ${f.bytes} expected`);
      else if (sha256File(p) !== f.sha256) problems.push(`${f.path} does not match its checksum`);
    }
    const listed = new Set(manifest.files.map((f) => f.path));
    for (const p of existsSync(content) ? filesUnder(content) : []) if (!listed.has(relative(content, p))) problems.push(`${relative(content, p)} is not in the manifest`);
    if (problems.length) throw new RestoreError(`the archive is damaged or partial, nothing was restored:\n  - ${problems.join('\n  - ')}`);
    mkdirSync(dataDir, { recursive: true });
    for (const entry of readdirSync(content)) {
      const to = join(dataDir, entry);
      rmSync(to, { recursive: true, force: true });
      try {
        renameSync(join(content, entry), to);
      } catch {
        cpSync(join(content, entry), to, { recursive: true });
      }
    }
    return { createdAt: manifest.createdAt, files: manifest.files.length };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] && basename(process.argv[1]) === 'restore.mjs') {
  const file = process.argv[2];
  const dataDir = resolve(process.env.DATA_DIR || join(ROOT, '.data'));
  if (!file) {
    console.error('usage: npm run restore -- FILE   (into DATA_DIR, default .data, which must be empty)');
    process.exit(2);
  }
  try {
    const r = restore({ file: resolve(file), dataDir });
    say(`restored ${r.files} files from the backup of ${r.createdAt} into ${dataDir}; start it with npm start, then run the reconciliation (npm run reconcile, or the Department's reconciliation page)`);
  } catch (err) {
    console.error(`restore refused: ${err.message}`);
    process.exit(1);
  }
}
