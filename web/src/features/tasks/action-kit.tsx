/**
 * What every command form is made of: the values a form holds, what it knows of the task and
 * the user, and a spec per command (its fields, the body it sends, what it sets in motion, and
 * whether it asks for confirmation). The specs are in researcher-actions.tsx and
 * officer-actions.tsx; actions.tsx shows them.
 */
import type { ReactNode } from 'react';
import { Form, Input } from 'antd';
import type { FormInstance } from 'antd';
import type { CommandBody, CommandName, UserView } from '../../api/types';
import type { UploadedFile } from '../../api/client';
import type { TaskPageView } from '../../api/queries';
import type { Translate } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import type { Locale } from '../../i18n/locale';
import { uploadIds } from '../files/UploadField';

export type Values = Record<string, unknown> & { note?: string; attachments?: UploadedFile[] };
export interface Ctx {
  task: TaskPageView;
  user: UserView;
  t: Translate;
  locale: Locale;
  form: FormInstance<Values>;
}

export interface ActionSpec<K extends CommandName> {
  /** What the command sets in motion (deadlines, documents), shown above the form. */
  consequence: MessageKey;
  /** Asked before sending: the command cannot be undone. */
  confirm?: MessageKey;
  fields?: (ctx: Ctx) => ReactNode;
  initial?: (ctx: Omit<Ctx, 'form'>) => Values;
  body: (v: Values, ctx: Omit<Ctx, 'form'>) => CommandBody<K> & { attachments?: string[] };
  /** Whether the command takes files (the API's `attachments`). */
  files?: boolean;
}

export const note = (v: Values) => (typeof v.note === 'string' && v.note.trim() ? { note: v.note } : {});
export const files = (v: Values) => (v.attachments?.length ? { attachments: uploadIds(v.attachments) } : {});
export const str = (v: unknown) => (typeof v === 'string' ? v : '');
export const required = (t: Translate, field: MessageKey) => [{ required: true, whitespace: true, message: t('form.required', { field: t(field) }) }];

/** The N-2 acceptance dossier: what a complete one holds (domain.md §6). */
export const ACCEPTANCE_DOCUMENTS: { vi: string; en: string }[] = [
  { vi: 'Công văn đề nghị đánh giá nghiệm thu', en: 'Request letter for acceptance' },
  { vi: 'Báo cáo tổng hợp và báo cáo tóm tắt kết quả', en: 'Full and summary reports' },
  { vi: 'Báo cáo về sản phẩm', en: 'Product report' },
  { vi: 'Bản sao hợp đồng và thuyết minh nhiệm vụ', en: 'Copies of the contract and the proposal' },
  { vi: 'Minh chứng công bố, ứng dụng kết quả', en: 'Evidence of publication or use' },
  { vi: 'Số liệu, sổ nhật ký', en: 'Data and logbook' },
  { vi: 'Báo cáo tình hình sử dụng kinh phí', en: 'Report on the use of funds' },
  { vi: 'Báo cáo tự đánh giá', en: 'Self-evaluation report' },
  { vi: 'Bản điện tử của hồ sơ', en: 'Electronic copy of the dossier' },
];

/** The host and PI of an application (the applicant's own organisation). */
export function HostFields({ t }: { t: Translate }) {
  return (
    <>
      <Form.Item name={['host', 'orgId']} hidden><Input /></Form.Item>
      <Form.Item label={t('apply.field.orgName')} name={['host', 'orgName']} rules={required(t, 'apply.field.orgName')}>
        <Input autoComplete="organization" />
      </Form.Item>
      <Form.Item label={t('apply.field.piName')} name={['host', 'pi', 'name']} rules={required(t, 'apply.field.piName')}>
        <Input autoComplete="name" />
      </Form.Item>
      <Form.Item label={t('apply.field.piEmail')} name={['host', 'pi', 'email']} rules={required(t, 'apply.field.piEmail')}>
        <Input inputMode="email" autoComplete="email" />
      </Form.Item>
    </>
  );
}

export const hostInitial = (user: UserView) => ({ host: { orgId: user.orgId, orgName: user.orgName ?? '', pi: { name: user.name, email: user.email } } });
export const hostBody = (v: Values) => {
  const h = v.host as { orgId: string; orgName: string; pi: { name: string; email: string } };
  return { host: { orgId: h.orgId, orgName: h.orgName, pi: { name: h.pi.name, email: h.pi.email } } };
};

export const define = <K extends CommandName>(spec: ActionSpec<K>) => spec;

