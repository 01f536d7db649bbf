/**
 * User administration, for the Department's admins: list, create, change a role
 * or organisation, reset a password, deactivate (the user's tokens and sessions stop
 * working on the next request: auth.ts reads the user every time; deactivation and a
 * new password also delete the user's browser sessions). Users of another
 * Department are not found (404). Every change is audited, never the password.
 */
import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { isDuplicateKey, type UserDoc } from '../../activities/store';
import { BCRYPT_MAX_BYTES, caller, hashPassword, passwordTooLong, requireRole } from '../auth';
import { decodeCursor, encodeCursor, filterHash } from '../cursor';
import type { ApiDeps } from '../deps';
import { pickLocale } from '../i18n';
import { notFound, parseOrThrow, Problem } from '../problem';
import { NewUserBody, UserIdParam, UserListQuery, UserPatchBody } from '../schemas';
import { audit } from './audit';
import { requireJsonBody } from '../body';
import { userView } from './auth';
import { endSessionsOf } from '../sessions';

const emailTaken = () =>
  new Problem(409, 'user-exists', { vi: 'Người dùng đã tồn tại', en: 'The user exists' }, {
    vi: 'Đã có người dùng với email hoặc mã này.',
    en: 'A user with this email or ID already exists.',
  });


/** A password bcrypt would cut (issue 15): refused with the reason, never stored. */
const refuseLongPassword = (password: string | undefined) => {
  if (password !== undefined && passwordTooLong(password)) {
    throw new Problem(422, 'password-too-long', { vi: 'Mật khẩu quá dài', en: 'Password too long' }, {
      vi: `Mật khẩu tối đa ${BCRYPT_MAX_BYTES} byte (chữ có dấu chiếm 2–3 byte).`,
      en: `A password may be at most ${BCRYPT_MAX_BYTES} bytes (letters with diacritics take 2–3).`,
    }, { errors: [{ field: 'password', code: 'too_long', reason: `at most ${BCRYPT_MAX_BYTES} bytes (UTF-8)` }] });
  }
};

export function usersRouter(deps: ApiDeps): Router {
  const { config, store } = deps;
  const r = Router();

  r.get('/users', requireRole('admin'), async (req, res) => {
    const { cursor, limit: requested, ...filters } = parseOrThrow(UserListQuery, req.query, pickLocale(req), 'query');
    const limit = requested ?? 50;
    const and: Record<string, unknown>[] = [{ departmentId: caller(req).departmentId }];
    if (filters.role) and.push({ role: filters.role });
    if (filters.active) and.push({ active: filters.active === 'true' });
    if (cursor) {
      const c = decodeCursor(cursor, '_id:asc', filters);
      and.push({ _id: { $gt: c.id } });
    }
    const rows = await store.User.find({ $and: and }).sort({ _id: 1 }).limit(limit + 1).select('-passwordHash').lean<UserDoc[]>();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    res.json({ items: page.map(userView), nextCursor: rows.length > limit && last ? encodeCursor({ s: '_id:asc', f: filterHash(filters), v: last._id, id: last._id }) : null, limit });
  });

  r.post('/users', requireRole('admin'), async (req, res) => {
    const body = parseOrThrow(NewUserBody, requireJsonBody(req, false), pickLocale(req));
    refuseLongPassword(body.password);
    const admin = caller(req);
    const now = new Date();
    const doc: UserDoc = {
      _id: body.userId ?? `u-${randomBytes(8).toString('hex')}`,
      email: body.email.toLowerCase(),
      name: body.name,
      role: body.role,
      orgId: body.orgId,
      ...(body.orgName ? { orgName: body.orgName } : {}),
      departmentId: admin.departmentId,
      locale: body.locale ?? 'vi',
      ...(body.password ? { passwordHash: await hashPassword(body.password, config.AUTH_BCRYPT_COST) } : {}),
      active: true,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await store.User.create(doc);
    } catch (err) {
      if (isDuplicateKey(err)) throw emailTaken();
      throw err;
    }
    await audit(deps, req, admin, { kind: 'user', action: 'createUser', departmentId: admin.departmentId, subjectUserId: doc._id, to: doc.role });
    res.status(201).location(`/api/v1/users/${doc._id}`).json(userView(doc));
  });

  r.patch('/users/:userId', requireRole('admin'), async (req, res) => {
    const locale = pickLocale(req);
    const { userId } = parseOrThrow(UserIdParam, req.params, locale, 'path');
    const admin = caller(req);
    const existing = await store.User.findOne({ _id: userId, departmentId: admin.departmentId }).lean<UserDoc>();
    if (!existing) throw notFound();
    const body = parseOrThrow(UserPatchBody, requireJsonBody(req, false), locale);
    refuseLongPassword(body.password);
    if (userId === admin.userId && (body.active === false || (body.role && body.role !== 'admin'))) {
      throw new Problem(422, 'business-rule', { vi: 'Vi phạm quy định', en: 'Refused by a business rule' }, {
        vi: 'Quản trị viên không tự khóa hoặc tự bỏ vai trò quản trị của mình.',
        en: 'An admin may not deactivate themselves or drop their own admin role.',
      });
    }
    const { password, ...fields } = body;
    const set: Partial<UserDoc> = { ...fields, updatedAt: new Date() };
    if (password) set.passwordHash = await hashPassword(password, config.AUTH_BCRYPT_COST);
    await store.User.updateOne({ _id: userId, departmentId: admin.departmentId }, { $set: set });
    // Deactivated or given a new password: the user's browser sessions end now (their tokens are refused on the next request anyway).
    if (body.active === false || password) await endSessionsOf(store, userId);
    const updated = (await store.User.findById(userId).lean<UserDoc>())!;
    const action = body.active === false ? 'deactivateUser' : body.active === true && existing.active === false ? 'reactivateUser' : 'updateUser';
    await audit(deps, req, admin, { kind: 'user', action, departmentId: admin.departmentId, subjectUserId: userId, from: existing.role, to: updated.role });
    res.json(userView(updated));
  });

  return r;
}
