/**
 * The commands a researcher gives on a task, each as a form with the fields its API body
 * needs, a note of what follows, and a confirmation where it cannot be undone. Which ones
 * appear is the API's answer (allowedActions); the form sends exactly the command's body.
 */
import { useState, type ReactNode } from 'react';
import { Alert, App, Button, Drawer, Form, Grid, Input, InputNumber, Radio, Select, Space, Tooltip, Typography } from 'antd';
import type { FormInstance } from 'antd';
import type { CommandBody, CommandName, UserView } from '../../api/types';
import type { UploadedFile } from '../../api/client';
import { useTaskCommand, type TaskPageView } from '../../api/queries';
import { useI18n, type Translate } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import type { Locale } from '../../i18n/locale';
import { COMMANDS, label } from '../../i18n/labels';
import { MoneyInput } from '../../components/MoneyInput';
import { ProblemAlert } from '../../components/ProblemAlert';
import { focusField, showFieldErrors } from '../../components/forms';
import { useIdempotencyKey } from '../../components/useIdempotencyKey';
import { UploadField, uploadIds } from '../files/UploadField';
import { useSession } from '../auth/session';

type Values = Record<string, unknown> & { note?: string; attachments?: UploadedFile[] };
interface Ctx {
  task: TaskPageView;
  user: UserView;
  t: Translate;
  locale: Locale;
  form: FormInstance<Values>;
}

interface ActionSpec<K extends CommandName> {
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

const note = (v: Values) => (typeof v.note === 'string' && v.note.trim() ? { note: v.note } : {});
const files = (v: Values) => (v.attachments?.length ? { attachments: uploadIds(v.attachments) } : {});
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const required = (t: Translate, field: MessageKey) => [{ required: true, whitespace: true, message: t('form.required', { field: t(field) }) }];

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

const define = <K extends CommandName>(spec: ActionSpec<K>) => spec;

export const ACTIONS: { [K in CommandName]?: ActionSpec<K> } = {
  submitDossier: define<'submitDossier'>({
    consequence: 'action.submitDossier.consequence',
    files: true,
    initial: ({ user }) => hostInitial(user),
    fields: ({ t }) => <HostFields t={t} />,
    body: (v) => ({ ...hostBody(v), ...note(v), ...files(v) }),
  }),
  submitRevisedProposal: define<'submitRevisedProposal'>({
    consequence: 'action.submitRevisedProposal.consequence',
    files: true,
    body: (v) => ({ ...note(v), ...files(v) }),
  }),
  signContract: define<'signContract'>({
    consequence: 'action.signContract.consequence',
    confirm: 'action.signContract.confirm',
    body: (v) => ({ ...note(v) }),
  }),
  submitProgressReport: define<'submitProgressReport'>({
    consequence: 'action.submitProgressReport.consequence',
    files: true,
    initial: ({ task }) => ({ period: task.reports.find((r) => !r.submittedAt)?.period ?? task.reports.length + 1 }),
    fields: ({ t }) => (
      <>
        <Form.Item label={t('action.field.period')} name="period" rules={[{ required: true, message: t('form.required', { field: t('action.field.period') }) }]}>
          <InputNumber min={1} max={100} precision={0} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item label={t('action.field.summary')} name="summary" rules={required(t, 'action.field.summary')} extra={t('action.hint.summary')}>
          <Input.TextArea autoSize={{ minRows: 4, maxRows: 12 }} maxLength={10_000} />
        </Form.Item>
      </>
    ),
    body: (v) => ({ period: Number(v.period), summary: str(v.summary), ...note(v), ...files(v) }),
  }),
  requestAdjustment: define<'requestAdjustment'>({
    consequence: 'action.requestAdjustment.consequence',
    files: true,
    initial: () => ({ kind: 'A-3' }),
    fields: ({ t, form }) => <AdjustmentFields t={t} form={form} />,
    body: (v) => {
      const kind = v.kind as 'A-1' | 'A-2' | 'A-3' | 'A-4' | 'A-5';
      if (kind === 'A-3') return { kind, months: Number(v.months), ...note(v), ...files(v) };
      if (kind === 'A-4') {
        const p = v.newPi as { name: string; email: string };
        return { kind, newPi: { name: p.name, email: p.email }, grounds: str(v.grounds), ...note(v), ...files(v) };
      }
      return { kind, description: str(v.description), ...note(v), ...files(v) };
    },
  }),
  requestTermination: define<'requestTermination'>({
    consequence: 'action.requestTermination.consequence',
    confirm: 'action.requestTermination.confirm',
    files: true,
    fields: ({ t }) => (
      <Form.Item label={t('action.field.grounds')} name="grounds" rules={required(t, 'action.field.grounds')}>
        <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={2_000} showCount />
      </Form.Item>
    ),
    body: (v) => ({ grounds: str(v.grounds), ...note(v), ...files(v) }),
  }),
  submitObservations: define<'submitObservations'>({
    consequence: 'action.submitObservations.consequence',
    files: true,
    fields: ({ t }) => (
      <Form.Item label={t('action.field.observations')} name="observations" rules={required(t, 'action.field.observations')}>
        <Input.TextArea autoSize={{ minRows: 4, maxRows: 12 }} maxLength={10_000} showCount />
      </Form.Item>
    ),
    body: (v) => ({ observations: str(v.observations), ...note(v), ...files(v) }),
  }),
  startSelfEvaluation: define<'startSelfEvaluation'>({
    consequence: 'action.startSelfEvaluation.consequence',
    body: (v) => ({ ...note(v) }),
  }),
  submitAcceptanceDossier: define<'submitAcceptanceDossier'>({
    consequence: 'action.submitAcceptanceDossier.consequence',
    files: true,
    initial: ({ locale }) => ({ documents: ACCEPTANCE_DOCUMENTS.map((d) => d[locale]) }),
    fields: ({ t, locale }) => (
      <>
        <Form.Item label={t('action.field.fundsSpent')} name="fundsSpent" rules={[{ required: true, message: t('form.required', { field: t('action.field.fundsSpent') }) }]}>
          <MoneyInput />
        </Form.Item>
        <Form.Item label={t('action.field.documents')} name="documents" rules={[{ required: true, type: 'array', min: 1, message: t('form.required', { field: t('action.field.documents') }) }]} extra={t('action.hint.documents')}>
          <Select mode="tags" options={ACCEPTANCE_DOCUMENTS.map((d) => ({ value: d[locale], label: d[locale] }))} tokenSeparators={[';']} />
        </Form.Item>
      </>
    ),
    body: (v) => ({ fundsSpent: Number(v.fundsSpent ?? 0), documents: (v.documents as string[]) ?? [], ...note(v), ...files(v) }),
  }),
  registerResult: define<'registerResult'>({
    consequence: 'action.registerResult.consequence',
    fields: ({ t }) => (
      <Form.Item label={t('action.field.certificates')} name="certificates" rules={[{ required: true, type: 'array', min: 1, message: t('form.required', { field: t('action.field.certificates') }) }]} extra={t('action.hint.certificates')}>
        <Select mode="tags" open={false} tokenSeparators={[',', ';']} suffixIcon={null} />
      </Form.Item>
    ),
    body: (v) => ({ certificates: (v.certificates as string[]) ?? [], ...note(v) }),
  }),
  withdraw: define<'withdraw'>({
    consequence: 'action.withdraw.consequence',
    confirm: 'action.withdraw.confirm',
    fields: ({ t }) => (
      <Form.Item label={t('action.field.reason')} name="reason" rules={required(t, 'action.field.reason')}>
        <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2_000} showCount />
      </Form.Item>
    ),
    body: (v) => ({ reason: str(v.reason), ...note(v) }),
  }),
};

function AdjustmentFields({ t, form }: { t: Translate; form: FormInstance<Values> }) {
  const kind = Form.useWatch('kind', form) as string | undefined;
  return (
    <>
      <Form.Item label={t('action.field.adjustmentKind')} name="kind" rules={[{ required: true }]}>
        <Radio.Group style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
          {(['A-1', 'A-2', 'A-3', 'A-4', 'A-5'] as const).map((k) => (
            <Radio key={k} value={k}>{t(`adjustment.${k}` as MessageKey)}</Radio>
          ))}
        </Radio.Group>
      </Form.Item>
      {kind === 'A-3' ? (
        <Form.Item label={t('action.field.months')} name="months" rules={[{ required: true, message: t('form.required', { field: t('action.field.months') }) }]} extra={t('action.hint.months')}>
          <InputNumber min={1} max={24} precision={0} suffix={t('common.months')} style={{ width: 160 }} />
        </Form.Item>
      ) : kind === 'A-4' ? (
        <>
          <Form.Item label={t('action.field.newPiName')} name={['newPi', 'name']} rules={required(t, 'action.field.newPiName')}><Input /></Form.Item>
          <Form.Item label={t('action.field.newPiEmail')} name={['newPi', 'email']} rules={required(t, 'action.field.newPiEmail')}><Input inputMode="email" /></Form.Item>
          <Form.Item label={t('action.field.grounds')} name="grounds" rules={required(t, 'action.field.grounds')}><Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={2_000} /></Form.Item>
        </>
      ) : (
        <Form.Item label={t('action.field.description')} name="description" rules={required(t, 'action.field.description')}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={10_000} showCount />
        </Form.Item>
      )}
    </>
  );
}

/** The form of one command, in a drawer (full width on a phone). */
export function ActionDrawer<K extends CommandName>({ task, command, onClose }: { task: TaskPageView; command: K; onClose: () => void }) {
  const { t, locale } = useI18n();
  const { user } = useSession();
  const { modal, message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<Values>();
  const mutation = useTaskCommand(task.taskId, command);
  const keyFor = useIdempotencyKey();
  const [error, setError] = useState<unknown>(null);
  const spec = ACTIONS[command] as ActionSpec<K> | undefined;
  if (!spec || !user) return null;
  const ctx = { task, user, t, locale };

  const send = async (values: Values) => {
    const body = spec.body(values, ctx);
    setError(null);
    try {
      await mutation.mutateAsync({ body, idempotencyKey: keyFor(body) });
      void message.success(t('action.done', { action: label(COMMANDS, command, locale) }));
      onClose();
    } catch (err) {
      setError(err);
      showFieldErrors(form, err);
    }
  };
  const onFinish = (values: Values) => {
    if (!spec.confirm) return send(values);
    modal.confirm({
      title: label(COMMANDS, command, locale),
      content: t(spec.confirm),
      okText: t('common.confirm'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger: true },
      onOk: () => send(values),
    });
    return undefined;
  };

  return (
    <Drawer open onClose={onClose} title={label(COMMANDS, command, locale)} width={screens.md ? 560 : '100%'} destroyOnHidden>
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t(spec.consequence)} />
      <ProblemAlert error={error} onFieldClick={(f) => focusField(form, f)} />
      <Form<Values> form={form} layout="vertical" name={`action-${command}`} initialValues={{ attachments: [], ...(spec.initial?.(ctx) ?? {}) }} onFinish={onFinish} scrollToFirstError>
        {spec.fields?.({ ...ctx, form })}
        {spec.files ? (
          <Form.Item label={t('action.field.attachments')} name="attachments">
            <UploadField />
          </Form.Item>
        ) : null}
        <Form.Item label={t('action.field.note')} name="note">
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2_000} />
        </Form.Item>
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" htmlType="submit" loading={mutation.isPending} danger={Boolean(spec.confirm)}>{label(COMMANDS, command, locale)}</Button>
        </Space>
      </Form>
    </Drawer>
  );
}

/** The actions the API says the caller may take now: a form for each of the caller's own. */
export function ActionsPanel({ task }: { task: TaskPageView }) {
  const { t, locale } = useI18n();
  const [open, setOpen] = useState<CommandName | null>(null);
  const actions = task.allowedActions.map((a) => a.command as CommandName);
  if (!actions.length) return <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('task.actions.none')}</Typography.Paragraph>;
  return (
    <>
      <Space wrap>
        {actions.map((c) =>
          ACTIONS[c] ? (
            <Button key={c} type={ACTIONS[c]?.confirm ? 'default' : 'primary'} danger={Boolean(ACTIONS[c]?.confirm)} onClick={() => setOpen(c)}>{label(COMMANDS, c, locale)}</Button>
          ) : (
            <Tooltip key={c} title={t('task.actions.departmentPage')}>
              <Button disabled>{label(COMMANDS, c, locale)}</Button>
            </Tooltip>
          ),
        )}
      </Space>
      {open ? <ActionDrawer task={task} command={open} onClose={() => setOpen(null)} /> : null}
    </>
  );
}
