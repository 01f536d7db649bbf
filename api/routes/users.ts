/**
 * User administration, for the Department's admins: list, create, change a role
 * or organisation, reset a password, deactivate (the user's tokens and sessions stop
 * working on the next request: auth.ts reads the user every time; deactivation and a
 * new password also delete the user's browser sessions). Users of another
 * Department are not found (404). Every change is audited, never the password.
 *
 * Issue 11: academic title and workplace; council members provisioned in bulk from a sheet
 * (POST /users/imports); and the people a manager may pick for a council (GET /people).
 */
import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { isDuplicateKey, type UserDoc } from '../../activities/store';
import { BCRYPT_MAX_BYTES, caller, hashPassword, passwordTooLong, requireRole } from '../auth';
import { decodeCursor, encodeCursor, filterHash } from '../cursor';
import type { ApiDeps } from '../deps';
import { pickLocale } from '../i18n';
import { notFound, parseOrThrow, Problem } from '../problem';
import { NewUserBody, PeopleQuery, SheetImportBody, splitCsv, UserIdParam, UserListQuery, UserPatchBody } from '../schemas';
import { personSearchFields } from '../../activities/people';
import { SheetFileError } from '../../activities/sheets';
import { importCouncilMembers, readUserSheet } from '../../activities/user-import';
import { afterCondition } from '../cursor';
import { searchWords } from '../../activities/task-list-fields';
import { readSheetUpload, sheetProblem } from '../sheet-upload';
import { audit } from './audit';
import { requireJsonBody } from '../body';
import { userView } from './auth';
import { endSessionsOf } from '../sessions';

/**
 * Issue 12: a position belongs to a Department user (role manager); a Deputy Director names the
 * areas delegated to them, and nobody else has areas. 422 naming the field.
 */
function positionProblem(u: { role: string; position?: string | undefined; areas?: string[] | undefined }): Problem | undefined {
  const bad = (field: string, vi: string, en: string) =>
    new Problem(422, 'business-rule', { vi: 'Vi phạm quy định', en: 'Refused by a business rule' }, { vi, en }, { errors: [{ field, code: 'invalid_position', reason: en }] });
  if (u.position && u.role !== 'manager') return bad('position', 'Chỉ người dùng của Sở (vai trò manager) có chức vụ.', 'Only Department users (role manager) have a position.');
  if (u.position === 'deputy_director' && !u.areas?.length) return bad('areas', 'Phó Giám đốc phải có lĩnh vực được phân công.', 'A Deputy Director needs the areas delegated to them.');
  if (u.areas?.length && u.position !== 'deputy_director') return bad('areas', 'Chỉ Phó Giám đốc có lĩnh vực được phân công.', 'Only a Deputy Director has delegated areas.');
  return undefined;
}

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
    if (filters.position) and.push({ position: filters.position });
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
    const positionRefused = positionProblem(body);
    if (positionRefused) throw positionRefused;
    const admin = caller(req);
    const now = new Date();
    const doc: UserDoc = {
      _id: body.userId ?? `u-${randomBytes(8).toString('hex')}`,
      email: body.email.toLowerCase(),
      name: body.name,
      role: body.role,
      orgId: body.orgId,
      ...(body.orgName ? { orgName: body.orgName } : {}),
      ...(body.title ? { title: body.title } : {}),
      ...(body.workplace ? { workplace: body.workplace } : {}),
      departmentId: admin.departmentId,
      locale: body.locale ?? 'vi',
      ...personSearchFields(body),
      ...(body.position ? { position: body.position } : {}),
      ...(body.areas ? { areas: body.areas } : {}),
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
    const { password, title, workplace, position, areas, ...fields } = body;
    // A user who stops being a Department user loses their position (issue 12).
    const role = body.role ?? existing.role;
    const next = {
      role,
      position: position === null || (role !== 'manager' && position === undefined) ? undefined : position ?? existing.position,
      areas: areas === null || (role !== 'manager' && areas === undefined) ? undefined : areas ?? existing.areas,
    };
    if (next.position !== 'deputy_director' && areas === undefined) next.areas = undefined;
    const positionRefused = positionProblem(next);
    if (positionRefused) throw positionRefused;
    const set: Partial<UserDoc> = { ...fields, updatedAt: new Date() };
    const unset: Record<string, 1> = {};
    if (next.position) set.position = next.position;
    else unset.position = 1;
    if (next.areas?.length) set.areas = next.areas;
    else unset.areas = 1;
    // A title or workplace given as null is removed.
    for (const [k, v] of [['title', title], ['workplace', workplace]] as const) {
      if (v === null) unset[k] = 1;
      else if (v !== undefined) set[k] = v;
    }
    const profile = { ...existing, ...set };
    for (const k of Object.keys(unset)) delete profile[k as 'title' | 'workplace'];
    Object.assign(set, personSearchFields(profile));
    if (password) set.passwordHash = await hashPassword(password, config.AUTH_BCRYPT_COST);
    await store.User.updateOne({ _id: userId, departmentId: admin.departmentId }, { $set: set, ...(Object.keys(unset).length ? { $unset: unset } : {}) });
    // Deactivated or given a new password: the user's browser sessions end now (their tokens are refused on the next request anyway).
    if (body.active === false || password) await endSessionsOf(store, userId);
    const updated = (await store.User.findById(userId).lean<UserDoc>())!;
    const action = body.active === false ? 'deactivateUser' : body.active === true && existing.active === false ? 'reactivateUser' : 'updateUser';
    await audit(deps, req, admin, { kind: 'user', action, departmentId: admin.departmentId, subjectUserId: userId, from: existing.role, to: updated.role });
    res.json(userView(updated));
  });

  /**
   * Council members in bulk from a sheet (XLSX or CSV, templates/import/thanh-vien-hoi-dong.*):
   * each valid row creates the council member, or updates their profile, by e-mail; a dry run
   * writes nothing. Every row's outcome, with each bad cell's column and reason.
   */
  r.post('/users/imports', requireRole('admin'), async (req, res) => {
    const locale = pickLocale(req);
    const body = parseOrThrow(SheetImportBody, requireJsonBody(req, false), locale);
    const admin = caller(req);
    const sheet = await readSheetUpload(deps, admin, body.uploadId, locale);
    let rows;
    try {
      rows = await readUserSheet(sheet);
    } catch (err) {
      if (err instanceof SheetFileError) throw sheetProblem(err, locale);
      throw err;
    }
    const report = await importCouncilMembers(store, rows, { departmentId: admin.departmentId, dryRun: Boolean(body.dryRun), locale });
    for (const row of report.rows) {
      if (row.outcome === 'created' || row.outcome === 'updated') {
        await audit(deps, req, admin, { kind: 'user', action: row.outcome === 'created' ? 'importUser' : 'updateUser', departmentId: admin.departmentId, subjectUserId: row.userId!, to: 'council_member' });
      }
    }
    res.json({ dryRun: report.dryRun, file: { uploadId: sheet.uploadId, filename: sheet.filename }, rows: report.rows, counts: report.counts });
  });

  /**
   * The people a manager may pick (issue 11: council formation): the active users of the
   * caller's Department, by given name, with academic title, workplace and organisation (to
   * flag a likely conflict, C-6). Words of `q` must each begin a word of the name, title,
   * workplace, organisation or e-mail (accents optional).
   */
  r.get('/people', requireRole('manager', 'admin'), async (req, res) => {
    const { cursor, limit: requested, ...filters } = parseOrThrow(PeopleQuery, req.query, pickLocale(req), 'query');
    const limit = requested ?? 20;
    const and: Record<string, unknown>[] = [{ departmentId: caller(req).departmentId }, { active: true }];
    const roles = splitCsv(filters.role);
    if (roles) and.push({ role: roles.length === 1 ? roles[0] : { $in: roles } });
    if (filters.orgId) and.push({ orgId: filters.orgId });
    for (const w of (filters.q ? searchWords(filters.q) : []).slice(0, 8)) and.push({ searchTerms: { $regex: `^${w}` } });
    if (cursor) {
      const c = decodeCursor(cursor, 'name:asc', filters);
      and.push(afterCondition('nameKey', 'asc', c.v, c.id));
    }
    const rows = await store.User.find({ $and: and })
      .sort({ nameKey: 1, _id: 1 })
      .limit(limit + 1)
      .select({ _id: 1, name: 1, title: 1, workplace: 1, email: 1, role: 1, orgId: 1, orgName: 1, nameKey: 1 })
      .lean<UserDoc[]>();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    res.json({
      items: page.map((u) => ({
        userId: u._id,
        name: u.name,
        ...(u.title ? { title: u.title } : {}),
        ...(u.workplace ? { workplace: u.workplace } : {}),
        email: u.email,
        role: u.role,
        organisation: { orgId: u.orgId, ...(u.orgName ? { orgName: u.orgName } : {}) },
      })),
      nextCursor: rows.length > limit && last ? encodeCursor({ s: 'name:asc', f: filterHash(filters), v: last.nameKey ?? '', id: last._id }) : null,
      limit,
    });
  });

  return r;
}
