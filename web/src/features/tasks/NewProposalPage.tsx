/**
 * Filing a proposal (phiếu đề xuất đặt hàng, L-1): the form, a review of what will be filed,
 * then the receipt with the task code. The API checks everything; its refusals come back
 * next to the fields and in a summary at the top, and nothing typed or uploaded is lost.
 */
import { ButtonLink } from '../../components/ButtonLink';
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, InputNumber, Result, Select, Space, Steps, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useFileProposal } from '../../api/queries';
import type { ProposalBody, TaskCreated } from '../../api/types';
import type { UploadedFile } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { FORMS, LEVELS, label } from '../../i18n/labels';
import { formatVnd } from '../../i18n/format';
import { ProblemAlert } from '../../components/ProblemAlert';
import { MoneyInput } from '../../components/MoneyInput';
import { focusField, showFieldErrors } from '../../components/forms';
import { useIdempotencyKey } from '../../components/useIdempotencyKey';
import { usePageTitle } from '../../components/usePageTitle';
import { InfoList } from '../../components/InfoList';
import { UploadField, uploadIds } from '../files/UploadField';
import { RequireAuth, useSession } from '../auth/session';

type Values = Omit<ProposalBody, 'budget' | 'attachments'> & { budget: { stateBudget: number | null; otherSources: number | null }; attachments?: UploadedFile[] };

function bodyOf(v: Values): ProposalBody & { attachments?: string[] } {
  const phone = v.proposer.phone?.trim();
  const ids = uploadIds(v.attachments);
  return {
    title: v.title,
    urgency: v.urgency,
    objectives: v.objectives,
    expectedProducts: (v.expectedProducts ?? []).filter((p) => p !== undefined),
    resultUsage: v.resultUsage,
    durationMonths: v.durationMonths,
    budget: { stateBudget: v.budget.stateBudget ?? 0, otherSources: v.budget.otherSources ?? 0 },
    level: v.level,
    form: v.form,
    proposer: { name: v.proposer.name, organisation: v.proposer.organisation, email: v.proposer.email, ...(phone ? { phone } : {}) },
    ...(ids.length ? { attachments: ids } : {}),
  };
}

function NewProposal() {
  const { t, locale } = useI18n();
  usePageTitle(t('proposal.title'));
  const { user } = useSession();
  const [form] = Form.useForm<Values>();
  const [step, setStep] = useState<0 | 1 | 2>(0);
  const [created, setCreated] = useState<TaskCreated | null>(null);
  const file = useFileProposal();
  const keyFor = useIdempotencyKey();
  const values = Form.useWatch([], { form, preserve: true }) as Values | undefined;

  const fieldLabels: Record<string, string> = {
    title: t('proposal.field.title'),
    level: t('proposal.field.level'),
    form: t('proposal.field.form'),
    urgency: t('proposal.field.urgency'),
    objectives: t('proposal.field.objectives'),
    expectedProducts: t('proposal.field.products'),
    resultUsage: t('proposal.field.resultUsage'),
    durationMonths: t('proposal.field.duration'),
    'budget.stateBudget': t('proposal.field.stateBudget'),
    'budget.otherSources': t('proposal.field.otherSources'),
    'proposer.name': t('proposal.field.proposerName'),
    'proposer.organisation': t('proposal.field.organisation'),
    'proposer.email': t('proposal.field.email'),
    'proposer.phone': t('proposal.field.phone'),
    attachments: t('proposal.field.attachments'),
  };

  const review = async () => {
    file.reset();
    try {
      await form.validateFields();
      setStep(1);
      window.scrollTo({ top: 0 });
    } catch {
      /* the fields show what is missing */
    }
  };

  const submit = async () => {
    const body = bodyOf(form.getFieldsValue(true) as Values);
    try {
      const r = await file.mutateAsync({ body, idempotencyKey: keyFor(body) });
      setCreated(r);
      setStep(2);
      window.scrollTo({ top: 0 });
    } catch (err) {
      // Back to the form, with each refusal next to its field.
      setStep(0);
      setTimeout(() => showFieldErrors(form, err), 0);
    }
  };

  const required = (key: Parameters<typeof t>[0]) => [{ required: true, message: t('form.required', { field: t(key) }) }];

  return (
    <>
      <Typography.Title level={1} className="page-title">{t('proposal.title')}</Typography.Title>
      <Steps
        size="small"
        current={step}
        style={{ marginBottom: 24 }}
        items={[{ title: t('proposal.step.form') }, { title: t('proposal.step.review') }, { title: t('proposal.step.receipt') }]}
      />
      {step < 2 ? <ProblemAlert error={file.error} fieldLabels={fieldLabels} onFieldClick={(f) => focusField(form, f)} /> : null}
      <Form<Values>
        form={form}
        layout="vertical"
        name="proposal"
        scrollToFirstError
        style={{ display: step === 0 ? undefined : 'none' }}
        initialValues={{
          expectedProducts: [''],
          durationMonths: 24,
          level: 'provincial',
          form: 'research_topic',
          budget: { stateBudget: null, otherSources: 0 },
          proposer: { name: user?.name ?? '', organisation: user?.orgName ?? '', email: user?.email ?? '' },
          attachments: [],
        }}
        onFinish={review}
      >
        <Card title={<h2 className="card-heading">{t('proposal.section.task')}</h2>} style={{ marginBottom: 16 }}>
          <Form.Item label={fieldLabels.title} name="title" rules={required('proposal.field.title')} extra={t('proposal.hint.title')}>
            <Input.TextArea autoSize={{ minRows: 1, maxRows: 3 }} maxLength={500} showCount />
          </Form.Item>
          <Space wrap size="large">
            <Form.Item label={fieldLabels.level} name="level" rules={required('proposal.field.level')}>
              <Select style={{ minWidth: 200 }} options={Object.keys(LEVELS).map((v) => ({ value: v, label: label(LEVELS, v, locale) }))} />
            </Form.Item>
            <Form.Item label={fieldLabels.form} name="form" rules={required('proposal.field.form')}>
              <Select style={{ minWidth: 260 }} options={Object.keys(FORMS).map((v) => ({ value: v, label: label(FORMS, v, locale) }))} />
            </Form.Item>
            <Form.Item label={fieldLabels.durationMonths} name="durationMonths" rules={required('proposal.field.duration')}>
              <InputNumber min={1} max={120} precision={0} suffix={t('common.months')} style={{ width: 160 }} />
            </Form.Item>
          </Space>
          <Form.Item label={fieldLabels.urgency} name="urgency" rules={required('proposal.field.urgency')} extra={t('proposal.hint.urgency')}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={10_000} />
          </Form.Item>
          <Form.Item label={fieldLabels.objectives} name="objectives" rules={required('proposal.field.objectives')}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={10_000} />
          </Form.Item>
          <Form.List name="expectedProducts">
            {(fields, { add, remove }, { errors }) => (
              <Form.Item label={fieldLabels.expectedProducts} required extra={t('proposal.hint.products')}>
                {fields.map((f, i) => (
                  <Space key={f.key} align="baseline" style={{ display: 'flex' }}>
                    <Form.Item name={f.name} rules={[{ required: true, whitespace: true, message: t('proposal.productRequired', { n: i + 1 }) }]} style={{ flex: 1, minWidth: 260, marginBottom: 8 }}>
                      <Input aria-label={t('proposal.productN', { n: i + 1 })} maxLength={2000} />
                    </Form.Item>
                    {fields.length > 1 ? <Button type="text" icon={<MinusCircleOutlined />} aria-label={t('proposal.removeProduct', { n: i + 1 })} onClick={() => remove(f.name)} /> : null}
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add('')} disabled={fields.length >= 50}>{t('proposal.addProduct')}</Button>
                <Form.ErrorList errors={errors} />
              </Form.Item>
            )}
          </Form.List>
          <Form.Item label={fieldLabels.resultUsage} name="resultUsage" rules={required('proposal.field.resultUsage')}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={10_000} />
          </Form.Item>
        </Card>
        <Card title={<h2 className="card-heading">{t('proposal.section.budget')}</h2>} style={{ marginBottom: 16 }}>
          <Space wrap size="large">
            <Form.Item label={fieldLabels['budget.stateBudget']} name={['budget', 'stateBudget']} rules={required('proposal.field.stateBudget')}>
              <MoneyInput />
            </Form.Item>
            <Form.Item label={fieldLabels['budget.otherSources']} name={['budget', 'otherSources']}>
              <MoneyInput />
            </Form.Item>
          </Space>
        </Card>
        <Card title={<h2 className="card-heading">{t('proposal.section.proposer')}</h2>} style={{ marginBottom: 16 }}>
          <Space wrap size="large" style={{ width: '100%' }}>
            <Form.Item label={fieldLabels['proposer.name']} name={['proposer', 'name']} rules={required('proposal.field.proposerName')}>
              <Input autoComplete="name" style={{ width: 280 }} />
            </Form.Item>
            <Form.Item label={fieldLabels['proposer.organisation']} name={['proposer', 'organisation']} rules={required('proposal.field.organisation')}>
              <Input autoComplete="organization" style={{ width: 360 }} />
            </Form.Item>
            <Form.Item label={fieldLabels['proposer.email']} name={['proposer', 'email']} rules={required('proposal.field.email')}>
              <Input inputMode="email" autoComplete="email" style={{ width: 280 }} />
            </Form.Item>
            <Form.Item label={fieldLabels['proposer.phone']} name={['proposer', 'phone']}>
              <Input type="tel" autoComplete="tel" style={{ width: 200 }} />
            </Form.Item>
          </Space>
        </Card>
        <Card title={<h2 className="card-heading">{t('proposal.section.attachments')}</h2>} style={{ marginBottom: 16 }}>
          <Form.Item label={fieldLabels.attachments} name="attachments" extra={t('proposal.hint.attachments')}>
            <UploadField />
          </Form.Item>
        </Card>
        <Button type="primary" htmlType="submit" size="large">{t('proposal.toReview')}</Button>
      </Form>

      {step === 1 && values ? (
        <Card title={<h2 className="card-heading">{t('proposal.step.review')}</h2>}>
          <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('proposal.reviewHint')} />
          <InfoList>
            <InfoList.Item label={fieldLabels.title}>{values.title}</InfoList.Item>
            <InfoList.Item label={fieldLabels.level}>{label(LEVELS, values.level, locale)} · {label(FORMS, values.form, locale)}</InfoList.Item>
            <InfoList.Item label={fieldLabels.durationMonths}>{values.durationMonths} {t('common.months')}</InfoList.Item>
            <InfoList.Item label={fieldLabels.urgency}><span className="pre-line">{values.urgency}</span></InfoList.Item>
            <InfoList.Item label={fieldLabels.objectives}><span className="pre-line">{values.objectives}</span></InfoList.Item>
            <InfoList.Item label={fieldLabels.expectedProducts}>
              <ol style={{ margin: 0, paddingInlineStart: 20 }}>{(values.expectedProducts ?? []).map((p, i) => <li key={i}>{p}</li>)}</ol>
            </InfoList.Item>
            <InfoList.Item label={fieldLabels.resultUsage}><span className="pre-line">{values.resultUsage}</span></InfoList.Item>
            <InfoList.Item label={fieldLabels['budget.stateBudget']}>{formatVnd(values.budget?.stateBudget ?? 0, locale)}</InfoList.Item>
            <InfoList.Item label={fieldLabels['budget.otherSources']}>{formatVnd(values.budget?.otherSources ?? 0, locale)}</InfoList.Item>
            <InfoList.Item label={t('proposal.section.proposer')}>
              {values.proposer?.name}, {values.proposer?.organisation} · {values.proposer?.email}{values.proposer?.phone ? ` · ${values.proposer.phone}` : ''}
            </InfoList.Item>
            <InfoList.Item label={fieldLabels.attachments}>
              {values.attachments?.length ? values.attachments.map((f) => f.filename).join(', ') : t('files.none')}
            </InfoList.Item>
          </InfoList>
          <Space style={{ marginTop: 16 }} wrap>
            <Button onClick={() => setStep(0)}>{t('common.back')}</Button>
            <Button type="primary" size="large" loading={file.isPending} onClick={() => void submit()}>{t('proposal.file')}</Button>
          </Space>
        </Card>
      ) : null}

      {step === 2 && created ? (
        <Result
          status="success"
          title={t('proposal.filed')}
          subTitle={
            <>
              <span>{t('proposal.receipt')} </span>
              <strong data-testid="task-code">{created.taskId}</strong>
              <br />
              {t('proposal.receiptEmail')}
            </>
          }
          extra={[
            <ButtonLink key="open" to={`/tasks/${encodeURIComponent(created.taskId)}`} type="primary">{t('proposal.openTask')}</ButtonLink>,
            <ButtonLink key="list" to="/tasks">{t('nav.myTasks')}</ButtonLink>,
          ]}
        />
      ) : null}
    </>
  );
}

export default function NewProposalPage() {
  return (
    <RequireAuth roles={['researcher', 'manager']}>
      <NewProposal />
    </RequireAuth>
  );
}
