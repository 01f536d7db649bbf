/**
 * Council members provisioned in bulk from a sheet (issue 11): one row per person, each row
 * validated on its own (an invalid row is reported with its column and reason, and the others
 * go ahead), and each valid row creates the council member or brings their profile up to date.
 * Idempotent by e-mail: the same sheet again creates nothing and changes nothing. A dry run
 * reads and checks everything and writes nothing.
 *
 * Imported members have no password: they sign in through the external identity provider, or
 * the admin sets a password (PATCH /users/{userId}).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { errorMap } from './validation/messages';
import { email as emailAddress, text } from './validation/zod';
import type { Locale } from '../workflows/definitions';
import { personSearchFields } from './people';
import { readSheet, type SheetColumn, type SheetRow } from './sheets';
import { isDuplicateKey, type Store, type UserDoc } from './store';

/** The template's columns, in order; the header may name each by key or by its Vietnamese label. */
export const USER_IMPORT_COLUMNS: readonly (SheetColumn & { help: string })[] = [
  { key: 'email', label: 'Thư điện tử', required: 'yes', help: 'Địa chỉ thư điện tử, duy nhất: nhập lại cùng địa chỉ không tạo tài khoản mới mà cập nhật hồ sơ.' },
  { key: 'name', label: 'Họ và tên', required: 'yes', help: 'Họ và tên đầy đủ, có dấu.' },
  { key: 'title', label: 'Học hàm, học vị', required: 'no', help: 'Viết như trước tên, vd. GS.TS., PGS.TS., TS., ThS., KS.' },
  { key: 'workplace', label: 'Nơi công tác', required: 'no', help: 'Cơ quan, trường, viện hoặc doanh nghiệp nơi người đó làm việc.' },
  { key: 'orgId', label: 'Mã tổ chức', required: 'yes', help: 'Mã tổ chức trong hệ thống (so với tổ chức chủ trì để phát hiện xung đột lợi ích).' },
  { key: 'orgName', label: 'Tên tổ chức', required: 'no', help: 'Tên đầy đủ của tổ chức.' },
  { key: 'locale', label: 'Ngôn ngữ', required: 'no', help: 'vi (Tiếng Việt, mặc định) hoặc en (English): ngôn ngữ của thư và trang.' },
];

const LOCALES: Record<string, Locale> = { vi: 'vi', 'tiếng việt': 'vi', 'tieng viet': 'vi', en: 'en', english: 'en', 'tiếng anh': 'en' };

const Row = z
  .object({
    email: emailAddress,
    name: text(200),
    title: text(50).optional(),
    workplace: text(500).optional(),
    orgId: text(100),
    orgName: text(500).optional(),
    locale: z
      .string()
      .transform((s, ctx) => {
        const l = LOCALES[s.normalize('NFC').trim().toLowerCase()];
        if (!l) ctx.addIssue({ code: 'custom', params: { locale: true } });
        return l as Locale;
      })
      .optional(),
  })
  .strict();
type Row = z.output<typeof Row>;

export type UserImportOutcome = 'created' | 'updated' | 'unchanged' | 'would_create' | 'would_update' | 'invalid';

export interface UserImportRowResult {
  row: number;
  email?: string;
  name?: string;
  outcome: UserImportOutcome;
  userId?: string;
  errors?: { column: string; reason: string }[];
}

export interface UserImportReport {
  dryRun: boolean;
  rows: UserImportRowResult[];
  counts: Record<UserImportOutcome, number>;
}

const PROFILE_FIELDS = ['name', 'title', 'workplace', 'orgId', 'orgName', 'locale'] as const;

/** The rows of a council members' sheet (SheetFileError when the file or its header is wrong). */
export const readUserSheet = (file: { name: string; data: Buffer }): Promise<SheetRow[]> => readSheet(file, USER_IMPORT_COLUMNS);

/**
 * Checks every row, then (unless a dry run) creates or updates each valid one. Existing users
 * are read once (FerretDB v1 scans for any filter but `_id`): by e-mail, across Departments,
 * as e-mail addresses are unique.
 */
export async function importCouncilMembers(
  store: Store,
  rows: SheetRow[],
  o: { departmentId: string; dryRun: boolean; locale: Locale; now?: Date },
): Promise<UserImportReport> {
  const t = (vi: string, en: string) => (o.locale === 'vi' ? vi : en);
  const existing = new Map(
    (await store.User.find({}).select({ _id: 1, email: 1, departmentId: 1, role: 1, name: 1, title: 1, workplace: 1, orgId: 1, orgName: 1, locale: 1 }).lean<UserDoc[]>()).map((u) => [u.email, u]),
  );
  const firstRowOf = new Map<string, number>();
  const results: UserImportRowResult[] = [];
  for (const sheetRow of rows) {
    const typed = { email: sheetRow.values.email?.trim(), name: sheetRow.values.name?.trim() };
    const parsed = Row.safeParse(sheetRow.values, { error: errorMap(o.locale) });
    if (!parsed.success) {
      results.push({
        row: sheetRow.row,
        ...(typed.email ? { email: typed.email } : {}),
        ...(typed.name ? { name: typed.name } : {}),
        outcome: 'invalid',
        errors: parsed.error.issues.map((i) => {
          const column = String(i.path[0] ?? '(dòng)');
          const reason = column === 'locale' ? t('Chỉ nhận vi (Tiếng Việt) hoặc en (English).', 'Either vi (Vietnamese) or en (English).') : i.message;
          return { column, reason };
        }),
      });
      continue;
    }
    const r = parsed.data;
    const email = r.email.toLowerCase();
    const base = { row: sheetRow.row, email, name: r.name };
    const earlier = firstRowOf.get(email);
    if (earlier !== undefined) {
      results.push({ ...base, outcome: 'invalid', errors: [{ column: 'email', reason: t(`Trùng thư điện tử với dòng ${earlier}.`, `The same e-mail as row ${earlier}.`) }] });
      continue;
    }
    firstRowOf.set(email, sheetRow.row);
    const found = existing.get(email);
    if (found && (found.departmentId !== o.departmentId || found.role !== 'council_member')) {
      results.push({
        ...base,
        outcome: 'invalid',
        errors: [{ column: 'email', reason: t('Thư điện tử này đã thuộc một tài khoản khác, không phải thành viên hội đồng của Sở; hãy sửa tài khoản đó ở trang Người dùng.', 'This e-mail belongs to another account, not a council member of the Department; change that account on the Users page.') }],
      });
      continue;
    }
    results.push(found ? await update(found, r, base) : await create(r, base));
  }
  const counts: Record<UserImportOutcome, number> = { created: 0, updated: 0, unchanged: 0, would_create: 0, would_update: 0, invalid: 0 };
  for (const r of results) counts[r.outcome] += 1;
  return { dryRun: o.dryRun, rows: results, counts };

  function profileOf(r: Row, keep?: UserDoc) {
    return {
      name: r.name,
      title: r.title ?? keep?.title,
      workplace: r.workplace ?? keep?.workplace,
      orgId: r.orgId,
      orgName: r.orgName ?? keep?.orgName,
      locale: r.locale ?? keep?.locale ?? ('vi' as const),
    };
  }

  async function create(r: Row, base: { row: number; email: string; name: string }): Promise<UserImportRowResult> {
    if (o.dryRun) return { ...base, outcome: 'would_create' };
    const now = o.now ?? new Date();
    const profile = profileOf(r);
    const doc = {
      _id: `u-${randomBytes(8).toString('hex')}`,
      email: base.email,
      role: 'council_member' as const,
      departmentId: o.departmentId,
      ...Object.fromEntries(Object.entries(profile).filter(([, v]) => v !== undefined)),
      ...personSearchFields({ ...profile, email: base.email }),
      active: true,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await store.User.create(doc);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Created meanwhile (the same sheet run twice at once): that account is the one.
      const raced = await store.User.findOne({ email: base.email }).lean<UserDoc>();
      if (raced && raced.departmentId === o.departmentId && raced.role === 'council_member') return update(raced, r, base);
      return { ...base, outcome: 'invalid', errors: [{ column: 'email', reason: t('Thư điện tử này vừa được dùng cho một tài khoản khác.', 'This e-mail has just been taken by another account.') }] };
    }
    existing.set(base.email, doc as unknown as UserDoc);
    return { ...base, outcome: 'created', userId: doc._id };
  }

  async function update(found: UserDoc, r: Row, base: { row: number; email: string; name: string }): Promise<UserImportRowResult> {
    const profile = profileOf(r, found);
    const changed = PROFILE_FIELDS.filter((k) => (profile[k] ?? undefined) !== (found[k] ?? undefined));
    if (!changed.length) return { ...base, outcome: 'unchanged', userId: found._id };
    if (o.dryRun) return { ...base, outcome: 'would_update', userId: found._id };
    const set = Object.fromEntries(changed.map((k) => [k, profile[k]]));
    await store.User.updateOne(
      { _id: found._id, departmentId: o.departmentId, role: 'council_member' },
      { $set: { ...set, ...personSearchFields({ ...profile, email: base.email }), updatedAt: o.now ?? new Date() } },
    );
    return { ...base, outcome: 'updated', userId: found._id };
  }
}
