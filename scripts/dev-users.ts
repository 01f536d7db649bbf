/**
 * Development users printed by `npm start`, with bearer tokens signed by the
 * development key. (Users stored in MongoDB with hashed passwords and a login
 * endpoint arrive with the API issue; these stay as the seeded set.)
 */
import type { Config } from '../activities/config';
import { issueToken, type Caller } from '../api/auth';

export const DEV_USERS = (departmentId: string): Caller[] => [
  { userId: 'u-researcher-1', role: 'researcher', name: 'Nguyễn Thị Hương', email: 'huong.nt@vien-sinh-hoc.example.vn', orgId: 'org-vien-sinh-hoc', departmentId, locale: 'vi' },
  { userId: 'u-researcher-2', role: 'researcher', name: 'Lê Văn Đức', email: 'duc.lv@truong-dai-hoc.example.vn', orgId: 'org-truong-dai-hoc', departmentId, locale: 'en' },
  { userId: 'u-manager-1', role: 'manager', name: 'Trần Đức Thắng', email: 'thang.td@skhcn.example.vn', orgId: 'org-skhcn', departmentId, locale: 'vi' },
  { userId: 'u-council-1', role: 'council_member', name: 'Phạm Thị Ngọc Ánh', email: 'anh.ptn@hoidong.example.vn', orgId: 'org-hoi-dong', departmentId, locale: 'vi' },
  { userId: 'u-admin-1', role: 'admin', name: 'Quản trị hệ thống', email: 'admin@skhcn.example.vn', orgId: 'org-skhcn', departmentId, locale: 'vi' },
];

export async function devUsers(config: Config) {
  const settings = { secret: config.AUTH_JWT_SECRET, issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE };
  return Promise.all(
    DEV_USERS(config.DEPARTMENT_ID).map(async (u) => ({ ...u, token: await issueToken(settings, u, '30d') })),
  );
}
