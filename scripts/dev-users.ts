/**
 * Development users: `npm start` upserts them into the users collection (with a
 * known development password) and prints them with bearer tokens; the tests seed
 * the same users the same way (test/support/stack.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../activities/config';
import { connectStore, type Store, type UserDoc } from '../activities/store';
import { authSettingsOf, hashPassword, issueToken, verifyPassword, type Caller } from '../api/auth';
import { personSearchFields } from '../activities/people';

/** The password of every development user (never used outside development and tests). */
export const DEV_PASSWORD = 'khcn-flow-dev-2026';

const ORG_NAMES: Record<string, string> = {
  'org-vien-sinh-hoc': 'Viện Sinh học Nhiệt đới',
  'org-truong-dai-hoc': 'Trường Đại học Tây Ninh',
  'org-skhcn': 'Sở Khoa học và Công nghệ',
  'org-hoi-dong': 'Hội đồng tư vấn',
};

export const DEV_USERS = (departmentId: string): Caller[] => [
  { userId: 'u-researcher-1', role: 'researcher', name: 'Nguyễn Thị Hương', email: 'huong.nt@vien-sinh-hoc.example.vn', orgId: 'org-vien-sinh-hoc', departmentId, locale: 'vi' },
  { userId: 'u-researcher-2', role: 'researcher', name: 'Lê Văn Đức', email: 'duc.lv@truong-dai-hoc.example.vn', orgId: 'org-truong-dai-hoc', departmentId, locale: 'en' },
  // Issue 12: the manager is an officer (chuyên viên) of the Department: prepares and gives commands, signs no decision.
  { userId: 'u-manager-1', role: 'manager', position: 'officer', name: 'Trần Đức Thắng', email: 'thang.td@skhcn.example.vn', orgId: 'org-skhcn', departmentId, locale: 'vi' },
  { userId: 'u-council-1', role: 'council_member', name: 'Phạm Thị Ngọc Ánh', email: 'anh.ptn@hoidong.example.vn', orgId: 'org-hoi-dong', departmentId, locale: 'vi' },
  { userId: 'u-admin-1', role: 'admin', name: 'Quản trị hệ thống', email: 'admin@skhcn.example.vn', orgId: 'org-skhcn', departmentId, locale: 'vi' },
  ...DEV_DEPARTMENT_LEADERS(departmentId),
];

/**
 * Issue 12: who decides, signs and issues in development: the Director (signs everything), a Deputy
 * Director delegated identification, selection, approval and acceptance (signs "KT. GIÁM ĐỐC" there,
 * not contracts, sanctions or liquidation), and the clerk (văn thư: registers and issues).
 */
export const DEV_DEPARTMENT_LEADERS = (departmentId: string): Caller[] => [
  { userId: 'u-director-1', role: 'manager', position: 'director', name: 'Lê Minh Quang', email: 'quang.lm@skhcn.example.vn', orgId: 'org-skhcn', departmentId, locale: 'vi' },
  {
    userId: 'u-deputy-1',
    role: 'manager',
    position: 'deputy_director',
    areas: ['identification', 'selection', 'approval', 'acceptance'],
    name: 'Phan Thị Thu Trang',
    email: 'trang.ptt@skhcn.example.vn',
    orgId: 'org-skhcn',
    departmentId,
    locale: 'vi',
  },
  { userId: 'u-clerk-1', role: 'manager', position: 'clerk', name: 'Huỳnh Thị Mai', email: 'mai.ht@skhcn.example.vn', orgId: 'org-skhcn', departmentId, locale: 'vi' },
];

/**
 * Eight more council members, so that a whole council (7–9 members, C-ID and C-SEL) can be
 * formed and can vote in development: with u-council-1, members u-council-1 … u-council-9.
 */
export const DEV_COUNCIL_MEMBERS = (departmentId: string): Caller[] =>
  [
    ['Đặng Quốc Việt', 'viet.dq'],
    ['Lý Thị Thu Hà', 'ha.ltt'],
    ['Hồ Văn Lực', 'luc.hv'],
    ['Trương Mỹ Linh', 'linh.tm'],
    ['Bùi Đức Thịnh', 'thinh.bd'],
    ['Vũ Hoàng Yến', 'yen.vh'],
    ['Đỗ Minh Khoa', 'khoa.dm'],
    ['Ngô Thanh Tâm', 'tam.nt'],
  ].map(([name, mailbox], i) => ({ userId: `u-council-${i + 2}`, role: 'council_member' as const, name: name!, email: `${mailbox}@hoidong.example.vn`, orgId: 'org-hoi-dong', departmentId, locale: 'vi' as const }));

/**
 * The development council members' academic titles and workplaces (issue 11: a council is formed
 * by picking people by name, title and workplace).
 */
export const DEV_PROFILES: Record<string, { title: string; workplace: string }> = {
  'u-council-1': { title: 'PGS.TS.', workplace: 'Trường Đại học Nông Lâm Thành phố Hồ Chí Minh' },
  'u-council-2': { title: 'TS.', workplace: 'Viện Khoa học Kỹ thuật Nông nghiệp miền Nam' },
  'u-council-3': { title: 'ThS.', workplace: 'Sở Nông nghiệp và Môi trường tỉnh Tây Ninh' },
  'u-council-4': { title: 'GS.TS.', workplace: 'Trường Đại học Cần Thơ' },
  'u-council-5': { title: 'TS.', workplace: 'Trường Đại học Kinh tế Thành phố Hồ Chí Minh' },
  'u-council-6': { title: 'PGS.TS.', workplace: 'Trường Đại học Bách khoa – Đại học Quốc gia Thành phố Hồ Chí Minh' },
  'u-council-7': { title: 'TS.', workplace: 'Viện Lúa Đồng bằng sông Cửu Long' },
  'u-council-8': { title: 'KS.', workplace: 'Công ty Cổ phần Giống cây trồng miền Nam' },
  'u-council-9': { title: 'ThS.', workplace: 'Trung tâm Khuyến nông tỉnh Tây Ninh' },
};

/**
 * Upserts a user by ID (profile fields set, active). With a password, its hash is
 * written only when the stored one does not match it, so repeated seeding is cheap
 * and a user's own password change is kept unless `password` is given again.
 */
export async function upsertUser(store: Store, user: Caller, opts: { password?: string; cost?: number; orgName?: string; title?: string; workplace?: string } = {}): Promise<void> {
  const now = new Date();
  const existing = await store.User.findById(user.userId).lean<UserDoc>();
  const orgName = opts.orgName ?? ORG_NAMES[user.orgId] ?? existing?.orgName;
  // A title or workplace an admin set is kept (and searched) unless one is given here.
  const profile = { title: opts.title ?? DEV_PROFILES[user.userId]?.title ?? existing?.title, workplace: opts.workplace ?? DEV_PROFILES[user.userId]?.workplace ?? existing?.workplace };
  const passwordHash =
    opts.password && !(existing?.passwordHash && (await verifyPassword(opts.password, existing.passwordHash)))
      ? await hashPassword(opts.password, opts.cost ?? 12)
      : undefined;
  await store.User.updateOne(
    { _id: user.userId },
    {
      $set: {
        email: user.email.toLowerCase(),
        name: user.name,
        role: user.role,
        orgId: user.orgId,
        ...(orgName ? { orgName } : {}),
        ...(profile.title ? { title: profile.title } : {}),
        ...(profile.workplace ? { workplace: profile.workplace } : {}),
        departmentId: user.departmentId,
        locale: user.locale,
        ...personSearchFields({ name: user.name, email: user.email, orgName, ...profile }),
        ...(user.position ? { position: user.position } : {}),
        ...(user.areas?.length ? { areas: user.areas } : {}),
        active: true,
        updatedAt: now,
        ...(passwordHash ? { passwordHash } : {}),
      },
      $setOnInsert: { createdAt: now },
    },
    { upsert: true },
  );
}

/**
 * Adds the development users that are not in the store yet, with DEV_PASSWORD; a user already
 * there (by ID or e-mail) is never touched (issue 15: a re-seed re-activated users an admin had
 * deactivated and reset changed passwords). Returns the users added.
 */
export async function seedDevUsers(store: Store, config: Config): Promise<Caller[]> {
  const added: Caller[] = [];
  for (const u of [...DEV_USERS(config.DEPARTMENT_ID), ...DEV_COUNCIL_MEMBERS(config.DEPARTMENT_ID)]) {
    if (await store.User.exists({ $or: [{ _id: u.userId }, { email: u.email.toLowerCase() }] })) continue;
    await upsertUser(store, u, { password: DEV_PASSWORD, cost: config.AUTH_BCRYPT_COST });
    added.push(u);
  }
  return added;
}

/** The development users with bearer tokens (30 days), as printed by `npm start`. */
export async function devUsers(config: Config) {
  const settings = authSettingsOf(config);
  return Promise.all(
    [...DEV_USERS(config.DEPARTMENT_ID), ...DEV_COUNCIL_MEMBERS(config.DEPARTMENT_ID)].map(async (u) => ({ ...u, password: DEV_PASSWORD, token: await issueToken(settings, u, '30d') })),
  );
}

/** `npm start` on its own embedded store in development: connects, adds the missing development users, disconnects. */
export async function seedDevUsersInStore(config: Config): Promise<void> {
  const store = await connectStore(config.MONGODB_URI);
  try {
    await seedDevUsers(store, config);
  } finally {
    await store.close();
  }
}

/**
 * What development leaves behind that production must not run with (issue 15): development
 * users still active with the development password, and the development signing key that
 * `npm start` made. The API refuses to start in production when there is any.
 */
export async function developmentLeftovers(store: Store, config: Config, devSecretFile: string): Promise<string[]> {
  const found: string[] = [];
  for (const u of [...DEV_USERS(config.DEPARTMENT_ID), ...DEV_COUNCIL_MEMBERS(config.DEPARTMENT_ID)]) {
    const doc = await store.User.findOne({ $or: [{ _id: u.userId }, { email: u.email.toLowerCase() }] }).lean<UserDoc>();
    if (doc?.active && doc.passwordHash && (await verifyPassword(DEV_PASSWORD, doc.passwordHash))) found.push(`development user ${doc.email} with the development password`);
  }
  if (existsSync(devSecretFile) && readFileSync(devSecretFile, 'utf8').trim() === config.AUTH_JWT_SECRET) found.push(`AUTH_JWT_SECRET is the development key (${devSecretFile})`);
  // Issue 15: the development payload keys `npm start` made (kept next to the JWT key) are no secret either.
  const devKeysFile = join(dirname(devSecretFile), 'dev-temporal-keys.json');
  if (existsSync(devKeysFile) && config.TEMPORAL_PAYLOAD_KEYS) {
    const dev = JSON.parse(readFileSync(devKeysFile, 'utf8')) as { TEMPORAL_PAYLOAD_KEYS?: string };
    const devKey = dev.TEMPORAL_PAYLOAD_KEYS?.split(':')[1];
    if (devKey && config.TEMPORAL_PAYLOAD_KEYS.includes(devKey)) found.push(`TEMPORAL_PAYLOAD_KEYS holds the development key (${devKeysFile})`);
  }
  return found;
}
