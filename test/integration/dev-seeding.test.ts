/**
 * Development seeding (issue 15): `npm start` adds the development users that are missing and
 * never touches one that exists (an admin's deactivation and a changed password survive a
 * restart); the API refuses to start in production while development users keep the
 * development password. Real FerretDB, a real API process.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startStack, type Stack } from '../support/stack';
import { ensureDevelopmentCertificates } from '../../activities/documents/dev-certificates';
import { DEV_COUNCIL_MEMBERS, DEV_PASSWORD, DEV_USERS, developmentLeftovers, seedDevUsers } from '../../scripts/dev-users';
import { hashPassword, verifyPassword } from '../../api/auth';
import type { UserDoc } from '../../activities/store';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ inProcessWorker: false });
});
afterAll(async () => {
  await stack?.stop();
});

const ROOT = join(__dirname, '..', '..');
const NO_SECRET_FILE = join(ROOT, '.data', 'no-such-dev-secret');

test('seeding adds only missing users: a deactivated user stays deactivated and a changed password stays changed', async () => {
  const all = [...DEV_USERS(stack.config.DEPARTMENT_ID), ...DEV_COUNCIL_MEMBERS(stack.config.DEPARTMENT_ID)];
  const first = await seedDevUsers(stack.store, stack.config);
  // The stack put the five main users in already: only the others are added.
  expect(first.map((u) => u.email).sort()).toEqual(all.filter((u) => !Object.values(stack.users).some((s) => s.userId === u.userId)).map((u) => u.email).sort());
  expect(await stack.store.User.countDocuments({ _id: { $in: all.map((u) => u.userId) } })).toBe(all.length);

  const admin = stack.users.admin;
  await stack.store.User.updateOne({ _id: stack.users.councilMember.userId }, { $set: { active: false } });
  await stack.store.User.updateOne({ _id: stack.users.researcher.userId }, { $set: { passwordHash: await hashPassword('Mật-khẩu-mới-2026', 4) } });

  const second = await seedDevUsers(stack.store, stack.config);
  expect(second).toEqual([]);
  const member = await stack.store.User.findById(stack.users.councilMember.userId).lean<UserDoc>();
  expect(member?.active).toBe(false);
  const researcher = await stack.store.User.findById(stack.users.researcher.userId).lean<UserDoc>();
  expect(await verifyPassword('Mật-khẩu-mới-2026', researcher!.passwordHash!)).toBe(true);
  expect(await verifyPassword(DEV_PASSWORD, researcher!.passwordHash!)).toBe(false);

  // Signing in as the deactivated member is refused; the admin still signs in.
  const refused = await stack.call('POST', '/api/v1/auth/login', { as: null, body: { email: stack.users.councilMember.email, password: DEV_PASSWORD } });
  expect(refused.status).toBe(401);
  const ok = await stack.call('POST', '/api/v1/auth/login', { as: null, body: { email: admin.email, password: DEV_PASSWORD } });
  expect(ok.status).toBe(200);
});

test('leftovers name every active development user with the development password, and nothing once they are dealt with', async () => {
  const before = await developmentLeftovers(stack.store, stack.config, NO_SECRET_FILE);
  // The researcher changed their password and the member is deactivated (previous test).
  expect(before.some((l) => l.includes(stack.users.admin.email))).toBe(true);
  expect(before.some((l) => l.includes(stack.users.researcher.email))).toBe(false);
  expect(before.some((l) => l.includes(stack.users.councilMember.email))).toBe(false);

  const ids = [...DEV_USERS(stack.config.DEPARTMENT_ID), ...DEV_COUNCIL_MEMBERS(stack.config.DEPARTMENT_ID)].map((u) => u.userId);
  const admins = await stack.store.User.find({ _id: { $in: ids } }).lean<UserDoc[]>();
  expect(admins.length).toBe(ids.length);
  await stack.store.User.updateMany({ _id: { $in: ids.filter((id) => id !== stack.users.admin.userId) } }, { $set: { active: false } });
  const adminOnly = await developmentLeftovers(stack.store, stack.config, NO_SECRET_FILE);
  expect(adminOnly).toEqual([`development user ${stack.users.admin.email} with the development password`]);
});

test('the API refuses to start in production while a development user has the development password (exit 2, says why)', async () => {
  const env = { ...stack.env(), NODE_ENV: 'production', AUTH_BCRYPT_COST: '10', API_PORT: String(39000 + Math.floor(Math.random() * 1000)) };
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  expect(output).toContain('Refusing to start in production');
  expect(output).toContain(stack.users.admin.email);
  expect(code).toBe(2);
}, 90_000);

test('the worker refuses to start in production with the development signing certificates (exit 2, names the file), before connecting to anything', async () => {
  const dev = ensureDevelopmentCertificates(join(ROOT, '.data', `prod-refusal-signing-${process.pid}`), { departmentName: stack.config.DEPARTMENT_NAME, signers: [] });
  const env = { ...stack.env(), NODE_ENV: 'production', AUTH_BCRYPT_COST: '10', SIGNING_P12_PATH: dev.organisationP12, SIGNING_P12_PASSPHRASE: dev.passphrase };
  delete (env as Record<string, string | undefined>).SIGNING_SIGNERS_DIR;
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  expect(output).toContain(`SIGNING_P12_PATH: ${dev.organisationP12} holds a development certificate`);
  expect(output).toContain('refused in production');
  expect(output).not.toContain('worker ready');
  expect(code).toBe(2);
}, 90_000);
