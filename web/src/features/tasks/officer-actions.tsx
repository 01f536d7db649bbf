/**
 * The commands the Department's officers give on a task (domain.md §2, §4–§6), each as a form
 * with the fields its API body needs, defaults taken from the task, what it sets in motion,
 * and a confirmation with the grounds where it cannot be undone (reject, cancel, suspend,
 * terminate, liquidate, archive). Councils are formed on their own page (formCouncil).
 */
import { Alert, Checkbox, Form, Input, InputNumber, Radio, Select, Space } from 'antd';
import type { FormInstance } from 'antd';
import type { CommandName } from '../../api/types';
import type { TaskPageView } from '../../api/queries';
import type { Translate } from '../../i18n/i18n';
import type { Locale } from '../../i18n/locale';
import { formatDate, formatVnd, todayInVietnam } from '../../i18n/format';
import { MoneyInput } from '../../components/MoneyInput';
import { DateField } from '../../components/DateField';
import { define, files, HostFields, hostBody, note, required, str, type ActionSpec, type Values } from './action-kit';

const num = (v: unknown) => Number(v ?? 0);
/** T-3: what is still owed: due, less refunds and write-offs. */
const owedOf = (task: TaskPageView) => Math.max(0, (task.funds.refundDue?.total ?? 0) - task.funds.refunded - (task.funds.writtenOff ?? []).reduce((sum, w) => sum + w.amount, 0));
const list = (v: unknown) => (Array.isArray(v) ? (v as string[]).map((x) => x.trim()).filter(Boolean) : []);
const requiredValue = (t: Translate, field: Parameters<Translate>[0]) => [{ required: true, message: t('form.required', { field: t(field) }) }];

/** Free lines (reasons, products, missing documents): typed one by one, Enter after each. */
function Lines({ t, name, labelKey, extraKey, min = 1 }: { t: Translate; name: string; labelKey: Parameters<Translate>[0]; extraKey?: Parameters<Translate>[0]; min?: number }) {
  return (
    <Form.Item label={t(labelKey)} name={name} rules={min ? [{ required: true, type: 'array', min, message: t('form.required', { field: t(labelKey) }) }] : []} extra={t(extraKey ?? 'action.hint.lines')}>
      <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={['\n']} />
    </Form.Item>
  );
}

function PendingAdjustment({ task, t }: { task: TaskPageView; t: Translate }) {
  const a = task.adjustments.find((x) => !x.decision);
  if (!a) return null;
  const d = a.details as { months?: number; description?: string; newPi?: { name: string; email: string }; grounds?: string };
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 16 }}
      title={`${t(`adjustment.${a.kind}` as Parameters<Translate>[0])} (${formatDate(a.requestedAt)})`}
      description={
        d.months
          ? t('officer.adjustment.months', { n: d.months, end: formatDate(task.contract?.endOn) })
          : d.newPi
            ? `${d.newPi.name} <${d.newPi.email}>. ${d.grounds ?? ''}`
            : d.description ?? ''
      }
    />
  );
}

function TerminationFields({ t, form, task, locale }: { t: Translate; form: FormInstance<Values>; task: TaskPageView; locale: Locale }) {
  const terminate = Form.useWatch('terminate', form) as string | undefined;
  const term = task.termination;
  return (
    <>
      {term ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t(term.initiatedBy === 'host' ? 'officer.termination.byHost' : 'officer.termination.byDepartment')}
          description={
            <>
              <div>{term.grounds}</div>
              {term.observations ? <div><strong>{t('action.field.observations')}:</strong> {term.observations}</div> : term.observationEndsOn ? <div>{t('officer.termination.observationsUntil', { date: formatDate(term.observationEndsOn) })}</div> : null}
            </>
          }
        />
      ) : null}
      <Form.Item label={t('officer.field.terminate')} name="terminate" rules={[{ required: true }]}>
        <Radio.Group>
          <Space direction="vertical">
            <Radio value="yes">{t('officer.terminate.yes')}</Radio>
            <Radio value="no">{t('officer.terminate.no')}</Radio>
          </Space>
        </Radio.Group>
      </Form.Item>
      {terminate === 'yes' ? (
        <>
          <Form.Item label={t('officer.field.cause')} name="cause" rules={[{ required: true, message: t('form.required', { field: t('officer.field.cause') }) }]} extra={t('officer.hint.cause')}>
            <Radio.Group>
              <Space direction="vertical">
                <Radio value="objective">{t('officer.cause.objective')}</Radio>
                <Radio value="subjective">{t('officer.cause.subjective')}</Radio>
              </Space>
            </Radio.Group>
          </Form.Item>
          <Form.Item label={t('action.field.fundsSpent')} name="fundsSpent" rules={requiredValue(t, 'action.field.fundsSpent')} extra={t('officer.hint.disbursed', { amount: formatVnd(task.funds.disbursed, locale) })}>
            <MoneyInput />
          </Form.Item>
        </>
      ) : null}
    </>
  );
}

function InspectionConclusionFields({ t, form }: { t: Translate; form: FormInstance<Values> }) {
  const conclusion = Form.useWatch('conclusion', form) as string | undefined;
  return (
    <>
      <Form.Item label={t('officer.field.conclusion')} name="conclusion" rules={[{ required: true, message: t('form.required', { field: t('officer.field.conclusion') }) }]}>
        <Radio.Group>
          <Space direction="vertical">
            {(['continue', 'adjust', 'suspend', 'terminate'] as const).map((c) => <Radio key={c} value={c}>{t(`officer.conclusion.${c}`)}</Radio>)}
          </Space>
        </Radio.Group>
      </Form.Item>
      <Form.Item label={t('officer.field.findings')} name="findings" rules={required(t, 'officer.field.findings')}>
        <Input.TextArea autoSize={{ minRows: 4, maxRows: 12 }} maxLength={10_000} />
      </Form.Item>
      {conclusion === 'suspend' ? (
        <Form.Item label={t('officer.field.remedyDays')} name="remedyDays" extra={t('officer.hint.remedyDays')}>
          <InputNumber min={1} max={365} precision={0} suffix={t('common.days')} style={{ width: 160 }} />
        </Form.Item>
      ) : null}
    </>
  );
}

function DossierValidity({ t, task }: { t: Translate; task: TaskPageView }) {
  const dossiers = task.call?.dossiers ?? [];
  if (!dossiers.length) return <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('officer.dossiers.none')} />;
  return (
    <Form.Item label={t('officer.field.valid')} name="valid" extra={t('officer.hint.valid')}>
      <Checkbox.Group style={{ display: 'flex', flexDirection: 'column', gap: 8 }} options={dossiers.map((d) => ({ value: d.dossierId, label: `${d.dossierId} · ${d.host.orgName} (${t('task.pi')}: ${d.host.pi.name}) · ${formatDate(d.submittedAt)}` }))} />
    </Form.Item>
  );
}

const meetingField = (t: Translate) => (
  <Form.Item label={t('officer.field.meetingOn')} name="meetingOn" rules={requiredValue(t, 'officer.field.meetingOn')}>
    <DateField min={todayInVietnam()} />
  </Form.Item>
);

export const OFFICER_ACTIONS: { [K in CommandName]?: ActionSpec<K> } = {
  startIdentificationReview: define<'startIdentificationReview'>({ consequence: 'officer.startIdentificationReview.consequence', body: (v) => ({ ...note(v) }) }),
  approveOrderList: define<'approveOrderList'>({ consequence: 'officer.approveOrderList.consequence', body: (v) => ({ ...note(v) }) }),
  rejectProposal: define<'rejectProposal'>({
    consequence: 'officer.rejectProposal.consequence',
    confirm: 'officer.rejectProposal.confirm',
    fields: ({ t }) => <Lines t={t} name="reasons" labelKey="officer.field.reasons" />,
    body: (v) => ({ reasons: list(v.reasons), ...note(v) }),
  }),
  openCall: define<'openCall'>({
    consequence: 'officer.openCall.consequence',
    fields: ({ t }) => (
      <Form.Item label={t('officer.field.closesOn')} name="closesOn" rules={requiredValue(t, 'officer.field.closesOn')} extra={t('officer.hint.closesOn')}>
        <DateField min={todayInVietnam()} />
      </Form.Item>
    ),
    body: (v) => ({ closesOn: str(v.closesOn), ...note(v) }),
  }),
  assignDirectly: define<'assignDirectly'>({
    consequence: 'officer.assignDirectly.consequence',
    // The proposing organisation by default; the officer names the PI.
    initial: ({ task }) => ({ host: { orgId: task.proposingOrgId, orgName: task.proposal.proposer.organisation, pi: { name: task.proposal.proposer.name, email: task.proposal.proposer.email } } }),
    fields: ({ t }) => <HostFields t={t} />,
    body: (v) => ({ ...hostBody(v), ...note(v) }),
  }),
  openDossiers: define<'openDossiers'>({
    consequence: 'officer.openDossiers.consequence',
    initial: ({ task }) => ({ valid: (task.call?.dossiers ?? []).map((d) => d.dossierId) }),
    fields: ({ t, task }) => <DossierValidity t={t} task={task} />,
    body: (v) => ({ valid: list(v.valid), ...note(v) }),
  }),
  formSelectionCouncil: define<'formSelectionCouncil'>({ consequence: 'officer.formSelectionCouncil.consequence', fields: ({ t }) => meetingField(t), body: (v) => ({ meetingOn: str(v.meetingOn), ...note(v) }) }),
  recordBudgetAppraisal: define<'recordBudgetAppraisal'>({
    consequence: 'officer.recordBudgetAppraisal.consequence',
    initial: ({ task }) => ({
      requested: task.proposal.budget.stateBudget + task.proposal.budget.otherSources,
      appraisedState: task.proposal.budget.stateBudget,
      appraisedOther: task.proposal.budget.otherSources,
      consensus: true,
    }),
    fields: ({ t }) => (
      <>
        <Form.Item label={t('officer.field.requested')} name="requested" rules={requiredValue(t, 'officer.field.requested')}><MoneyInput /></Form.Item>
        <Form.Item label={t('officer.field.appraisedState')} name="appraisedState" rules={requiredValue(t, 'officer.field.appraisedState')}><MoneyInput /></Form.Item>
        <Form.Item label={t('officer.field.appraisedOther')} name="appraisedOther" rules={requiredValue(t, 'officer.field.appraisedOther')}><MoneyInput /></Form.Item>
        <Form.Item name="consensus" valuePropName="checked"><Checkbox>{t('officer.field.consensus')}</Checkbox></Form.Item>
        <Lines t={t} name="dissent" labelKey="officer.field.dissent" extraKey="officer.hint.dissent" min={0} />
      </>
    ),
    body: (v) => ({ requested: num(v.requested), appraisedState: num(v.appraisedState), appraisedOther: num(v.appraisedOther), consensus: Boolean(v.consensus), ...(list(v.dissent).length ? { dissent: list(v.dissent) } : {}), ...note(v) }),
  }),
  approveTask: define<'approveTask'>({
    consequence: 'officer.approveTask.consequence',
    initial: ({ task }) => ({
      durationMonths: task.proposal.durationMonths,
      fundingMode: 'partial_lump_sum',
      stateBudget: task.proposal.budget.stateBudget,
      otherSources: task.proposal.budget.otherSources,
      products: task.proposal.expectedProducts,
    }),
    fields: ({ t }) => (
      <>
        <Form.Item label={t('proposal.field.duration')} name="durationMonths" rules={requiredValue(t, 'proposal.field.duration')}><InputNumber min={1} max={120} precision={0} suffix={t('common.months')} /></Form.Item>
        <Form.Item label={t('officer.field.fundingMode')} name="fundingMode" rules={[{ required: true }]}>
          <Radio.Group>
            <Space direction="vertical">
              <Radio value="full_lump_sum">{t('officer.funding.full')}</Radio>
              <Radio value="partial_lump_sum">{t('officer.funding.partial')}</Radio>
            </Space>
          </Radio.Group>
        </Form.Item>
        <Form.Item label={t('proposal.field.stateBudget')} name="stateBudget" rules={requiredValue(t, 'proposal.field.stateBudget')}><MoneyInput /></Form.Item>
        <Form.Item label={t('proposal.field.otherSources')} name="otherSources" rules={requiredValue(t, 'proposal.field.otherSources')}><MoneyInput /></Form.Item>
        <Lines t={t} name="products" labelKey="officer.field.products" />
      </>
    ),
    body: (v) => ({ durationMonths: num(v.durationMonths), fundingMode: v.fundingMode === 'full_lump_sum' ? 'full_lump_sum' : 'partial_lump_sum', stateBudget: num(v.stateBudget), otherSources: num(v.otherSources), products: list(v.products), ...note(v) }),
  }),
  cancelBeforeContract: define<'cancelBeforeContract'>({
    consequence: 'officer.cancelBeforeContract.consequence',
    confirm: 'officer.cancelBeforeContract.confirm',
    fields: ({ t }) => (
      <Form.Item label={t('action.field.grounds')} name="reason" rules={required(t, 'action.field.grounds')}>
        <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2_000} />
      </Form.Item>
    ),
    body: (v) => ({ reason: str(v.reason), ...note(v) }),
  }),
  signContract: define<'signContract'>({ consequence: 'officer.signContract.consequence', confirm: 'officer.signContract.confirm', body: (v) => ({ ...note(v) }) }),
  recordDisbursement: define<'recordDisbursement'>({
    consequence: 'officer.recordDisbursement.consequence',
    fields: ({ t, task, locale }) => (
      <Form.Item label={t('task.funds.amount')} name="amount" rules={requiredValue(t, 'task.funds.amount')} extra={t('officer.hint.disbursement', { approved: formatVnd(task.funds.approvedState, locale), disbursed: formatVnd(task.funds.disbursed, locale) })}>
        <MoneyInput />
      </Form.Item>
    ),
    body: (v) => ({ amount: num(v.amount), ...note(v) }),
  }),
  startInspection: define<'startInspection'>({
    consequence: 'officer.startInspection.consequence',
    fields: ({ t }) => (
      <Form.Item label={t('officer.field.noticeOn')} name="noticeOn" rules={requiredValue(t, 'officer.field.noticeOn')} extra={t('officer.hint.noticeOn')}>
        <DateField />
      </Form.Item>
    ),
    body: (v) => ({ noticeOn: str(v.noticeOn), ...note(v) }),
  }),
  concludeInspection: define<'concludeInspection'>({
    consequence: 'officer.concludeInspection.consequence',
    fields: ({ t, form }) => <InspectionConclusionFields t={t} form={form} />,
    body: (v) => ({ conclusion: v.conclusion as 'continue' | 'adjust' | 'suspend' | 'terminate', findings: str(v.findings), ...(v.conclusion === 'suspend' && v.remedyDays ? { remedyDays: num(v.remedyDays) } : {}), ...note(v) }),
  }),
  decideAdjustment: define<'decideAdjustment'>({
    consequence: 'officer.decideAdjustment.consequence',
    fields: ({ t, task }) => (
      <>
        <PendingAdjustment task={task} t={t} />
        <Form.Item label={t('officer.field.decision')} name="approve" rules={[{ required: true, message: t('form.required', { field: t('officer.field.decision') }) }]}>
          <Radio.Group>
            <Space direction="vertical">
              <Radio value="yes">{t('officer.adjustment.approve')}</Radio>
              <Radio value="no">{t('officer.adjustment.refuse')}</Radio>
            </Space>
          </Radio.Group>
        </Form.Item>
      </>
    ),
    body: (v) => ({ approve: v.approve === 'yes', ...note(v) }),
  }),
  suspend: define<'suspend'>({
    consequence: 'officer.suspend.consequence',
    confirm: 'officer.suspend.confirm',
    fields: ({ t }) => (
      <>
        <Form.Item label={t('action.field.grounds')} name="grounds" rules={required(t, 'action.field.grounds')}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2_000} />
        </Form.Item>
        <Form.Item label={t('officer.field.remedyDays')} name="remedyDays" extra={t('officer.hint.remedyDays')}>
          <InputNumber min={1} max={365} precision={0} suffix={t('common.days')} style={{ width: 160 }} />
        </Form.Item>
      </>
    ),
    body: (v) => ({ grounds: str(v.grounds), ...(v.remedyDays ? { remedyDays: num(v.remedyDays) } : {}), ...note(v) }),
  }),
  resume: define<'resume'>({ consequence: 'officer.resume.consequence', body: (v) => ({ ...note(v) }) }),
  proposeTermination: define<'proposeTermination'>({
    consequence: 'officer.proposeTermination.consequence',
    confirm: 'officer.proposeTermination.confirm',
    fields: ({ t }) => (
      <Form.Item label={t('action.field.grounds')} name="grounds" rules={required(t, 'action.field.grounds')}>
        <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2_000} />
      </Form.Item>
    ),
    body: (v) => ({ grounds: str(v.grounds), ...note(v) }),
  }),
  decideTermination: define<'decideTermination'>({
    consequence: 'officer.decideTermination.consequence',
    confirm: 'officer.decideTermination.confirm',
    fields: ({ t, form, task, locale }) => <TerminationFields t={t} form={form} task={task} locale={locale} />,
    body: (v) => (v.terminate === 'yes' ? { terminate: true as const, cause: v.cause === 'subjective' ? ('subjective' as const) : ('objective' as const), fundsSpent: num(v.fundsSpent), ...note(v) } : { terminate: false as const, ...note(v) }),
  }),
  checkAcceptanceDossier: define<'checkAcceptanceDossier'>({
    consequence: 'officer.checkAcceptanceDossier.consequence',
    fields: ({ t, form, task }) => <CompletenessFields t={t} form={form} task={task} />,
    body: (v, { task }) => ({
      complete: v.complete === 'yes',
      ...(v.complete === 'no' && list(v.missing).length ? { missing: list(v.missing) } : {}),
      ...(task.acceptance?.lateReason !== undefined && task.acceptance.lateJustified === undefined ? { lateJustified: v.lateJustified === 'yes' } : {}),
      ...note(v),
    }),
  }),
  formAcceptanceCouncil: define<'formAcceptanceCouncil'>({ consequence: 'officer.formAcceptanceCouncil.consequence', fields: ({ t }) => meetingField(t), body: (v) => ({ meetingOn: str(v.meetingOn), ...note(v) }) }),
  recognizeResult: define<'recognizeResult'>({ consequence: 'officer.recognizeResult.consequence', body: (v) => ({ ...note(v) }) }),
  settleFinances: define<'settleFinances'>({
    consequence: 'officer.settleFinances.consequence',
    initial: ({ task }) => ({ fundsSpent: task.acceptance?.fundsSpent ?? task.funds.disbursed }),
    fields: ({ t, task, locale }) => (
      <Form.Item label={t('action.field.fundsSpent')} name="fundsSpent" rules={requiredValue(t, 'action.field.fundsSpent')} extra={t('officer.hint.disbursed', { amount: formatVnd(task.funds.disbursed, locale) })}>
        <MoneyInput />
      </Form.Item>
    ),
    body: (v) => ({ fundsSpent: num(v.fundsSpent), ...note(v) }),
  }),
  recordRefund: define<'recordRefund'>({
    consequence: 'officer.recordRefund.consequence',
    initial: ({ task }) => ({ amount: owedOf(task) }),
    fields: ({ t, task, locale }) => (
      <Form.Item label={t('task.funds.amount')} name="amount" rules={requiredValue(t, 'task.funds.amount')} extra={task.funds.refundDue ? t('officer.hint.refund', { owed: formatVnd(task.funds.refundDue.total, locale), paid: formatVnd(task.funds.refunded, locale) }) : undefined}>
        <MoneyInput />
      </Form.Item>
    ),
    body: (v) => ({ amount: num(v.amount), ...note(v) }),
  }),
  writeOffRefund: define<'writeOffRefund'>({
    consequence: 'officer.writeOffRefund.consequence',
    confirm: 'officer.writeOffRefund.confirm',
    files: true,
    initial: ({ task }) => ({ amount: owedOf(task), decidedOn: todayInVietnam() }),
    fields: ({ t, task, locale }) => (
      <>
        <Form.Item label={t('officer.field.writeOffAmount')} name="amount" rules={requiredValue(t, 'officer.field.writeOffAmount')} extra={t('officer.hint.owed', { owed: formatVnd(owedOf(task), locale) })}>
          <MoneyInput />
        </Form.Item>
        <Form.Item label={t('officer.field.decisionNumber')} name="decisionNumber" rules={required(t, 'officer.field.decisionNumber')} extra={t('officer.hint.decisionNumber')}>
          <Input maxLength={50} style={{ maxWidth: 260 }} autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('officer.field.decidedOn')} name="decidedOn" rules={requiredValue(t, 'officer.field.decidedOn')}>
          <DateField max={todayInVietnam()} />
        </Form.Item>
        <Form.Item label={t('action.field.grounds')} name="grounds" rules={required(t, 'action.field.grounds')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={2_000} />
        </Form.Item>
      </>
    ),
    body: (v) => ({ amount: num(v.amount), decisionNumber: str(v.decisionNumber).trim(), decidedOn: str(v.decidedOn), grounds: str(v.grounds), ...files(v), ...note(v) }),
  }),
  liquidate: define<'liquidate'>({ consequence: 'officer.liquidate.consequence', confirm: 'officer.liquidate.confirm', body: (v) => ({ ...note(v) }) }),
  archive: define<'archive'>({ consequence: 'officer.archive.consequence', confirm: 'officer.archive.confirm', body: (v) => ({ ...note(v) }) }),
  assignOfficer: define<'assignOfficer'>({
    consequence: 'officer.assignOfficer.consequence',
    // The officer who opens the form takes the task on (choosing a colleague comes with the people directory).
    fields: ({ t, user }) => <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('officer.assignOfficer.me', { name: user.name })} />,
    body: (v, { user }) => ({ officer: { userId: user.userId, name: user.name, email: user.email }, ...note(v) }),
  }),
};

function CompletenessFields({ t, form, task }: { t: Translate; form: FormInstance<Values>; task: TaskPageView }) {
  const complete = Form.useWatch('complete', form) as string | undefined;
  // The reasons for a late dossier are answered once, at the first check (L-20).
  const lateReason = task.acceptance?.lateJustified === undefined ? task.acceptance?.lateReason : undefined;
  return (
    <>
      {lateReason !== undefined ? (
        <>
          <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('officer.late.title')} description={lateReason} />
          <Form.Item label={t('officer.field.lateJustified')} name="lateJustified" rules={[{ required: true, message: t('form.required', { field: t('officer.field.lateJustified') }) }]} extra={t('officer.hint.lateJustified')}>
            <Radio.Group>
              <Space direction="vertical">
                <Radio value="yes">{t('officer.lateJustified.yes')}</Radio>
                <Radio value="no">{t('officer.lateJustified.no')}</Radio>
              </Space>
            </Radio.Group>
          </Form.Item>
        </>
      ) : null}
      <Form.Item label={t('officer.field.complete')} name="complete" rules={[{ required: true, message: t('form.required', { field: t('officer.field.complete') }) }]}>
        <Radio.Group>
          <Space direction="vertical">
            <Radio value="yes">{t('officer.complete.yes')}</Radio>
            <Radio value="no">{t('officer.complete.no')}</Radio>
          </Space>
        </Radio.Group>
      </Form.Item>
      {complete === 'no' ? <Lines t={t} name="missing" labelKey="officer.field.missing" /> : null}
    </>
  );
}
