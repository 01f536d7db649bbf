/**
 * The commands a researcher (the host organisation and its PI) gives on a task, each as a form
 * with the fields its API body needs.
 */
import { Alert, Form, Input, InputNumber, Radio, Select } from 'antd';
import type { FormInstance } from 'antd';
import type { CommandName } from '../../api/types';
import type { Translate } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import { MoneyInput } from '../../components/MoneyInput';
import { formatDate } from '../../i18n/format';
import type { TaskPageView } from '../../api/queries';
import { ACCEPTANCE_DOCUMENTS, define, files, HostFields, hostBody, hostInitial, note, required, str, type ActionSpec, type Values } from './action-kit';

/** L-18: the acceptance dossier's obligation once its due date has passed (the dossier is then late). */
const lateDossier = (task: TaskPageView) => task.obligations.find((o) => o.kind === 'acceptance_dossier' && o.status === 'OVERDUE');

export const RESEARCHER_ACTIONS: { [K in CommandName]?: ActionSpec<K> } = {
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
    fields: ({ t, locale, task }) => (
      <>
        {task.acceptance?.complete === false ? (
          <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('action.refile.title')} description={t('action.refile.missing', { missing: (task.acceptance.missing ?? []).join('; ') })} />
        ) : null}
        {lateDossier(task) ? (
          <>
            <Alert type="error" showIcon style={{ marginBottom: 16 }} title={t('action.late.title', { due: formatDate(lateDossier(task)!.dueOn) })} description={t('action.late.hint')} />
            <Form.Item label={t('action.field.lateReason')} name="lateReason" rules={required(t, 'action.field.lateReason')}>
              <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={2_000} showCount />
            </Form.Item>
          </>
        ) : null}
        <Form.Item label={t('action.field.fundsSpent')} name="fundsSpent" rules={[{ required: true, message: t('form.required', { field: t('action.field.fundsSpent') }) }]}>
          <MoneyInput />
        </Form.Item>
        <Form.Item label={t('action.field.documents')} name="documents" rules={[{ required: true, type: 'array', min: 1, message: t('form.required', { field: t('action.field.documents') }) }]} extra={t('action.hint.documents')}>
          <Select mode="tags" options={ACCEPTANCE_DOCUMENTS.map((d) => ({ value: d[locale], label: d[locale] }))} tokenSeparators={[';']} />
        </Form.Item>
      </>
    ),
    body: (v) => ({ fundsSpent: Number(v.fundsSpent ?? 0), documents: (v.documents as string[]) ?? [], ...(str(v.lateReason).trim() ? { lateReason: str(v.lateReason) } : {}), ...note(v), ...files(v) }),
  }),
  submitRevisedResults: define<'submitRevisedResults'>({
    consequence: 'action.submitRevisedResults.consequence',
    files: true,
    fields: ({ t }) => (
      <Form.Item label={t('action.field.revisionSummary')} name="summary" rules={required(t, 'action.field.revisionSummary')}>
        <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={5_000} showCount />
      </Form.Item>
    ),
    body: (v) => ({ summary: str(v.summary), ...note(v), ...files(v) }),
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

