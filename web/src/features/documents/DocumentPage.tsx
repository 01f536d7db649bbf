/**
 * One document on its way out (issue 12): what it is and for which task, the decision that takes
 * effect when it is issued, each signature block (who signs it, signed or not), the draft to read,
 * and the step the caller may take now: sign (the competent signer), register in the outgoing
 * register (the clerk: the next number, or the number and date of the paper register) and issue
 * (the clerk: the signed, numbered PDF goes out and the decision takes effect). The API decides
 * who may do what; the page offers what it says.
 */
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, List, Modal, Radio, Space, Typography } from 'antd';
import { CheckCircleOutlined, ClockCircleOutlined, EyeOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router';
import { useI18n } from '../../i18n/i18n';
import { formatDate, formatDateTime, todayInVietnam } from '../../i18n/format';
import { InfoList } from '../../components/InfoList';
import { ProblemAlert } from '../../components/ProblemAlert';
import { DateField } from '../../components/DateField';
import { DueDate } from '../../components/Tags';
import { focusField, showFieldErrors } from '../../components/forms';
import { useIdempotencyKey } from '../../components/useIdempotencyKey';
import { usePageTitle } from '../../components/usePageTitle';
import { PdfPreview } from '../tasks/TaskSections';
import { RequireAuth, useSession } from '../auth/session';
import { BlockLabel, IssuanceStatusTag } from './parts';
import { useIssuance, useIssuanceStep, type IssuanceDetail } from './queries';

function SignCard({ doc }: { doc: IssuanceDetail }) {
  const { t } = useI18n();
  const { user } = useSession();
  const step = useIssuanceStep(doc.documentId);
  const keyFor = useIdempotencyKey();
  const [confirming, setConfirming] = useState(false);
  const open = doc.slots.filter((s) => !s.signed);
  const sign = async () => {
    try {
      await step.mutateAsync({ action: 'sign', body: {}, idempotencyKey: keyFor({ sign: doc.documentId }) });
      setConfirming(false);
    } catch {
      setConfirming(false);
    }
  };
  return (
    <Card title={t('sign.card')} size="small" style={{ marginBottom: 16 }}>
      <Typography.Paragraph>{t('sign.cardLead')}</Typography.Paragraph>
      <ProblemAlert error={step.error} />
      <Space wrap>
        <Button type="primary" onClick={() => setConfirming(true)}>{t('sign.action')}</Button>
      </Space>
      <Modal
        open={confirming}
        title={t('sign.confirmTitle')}
        okText={t('sign.action')}
        cancelText={t('common.cancel')}
        onOk={() => void sign()}
        confirmLoading={step.isPending}
        onCancel={() => setConfirming(false)}
      >
        <Typography.Paragraph>{t('sign.confirm', { title: doc.title })}</Typography.Paragraph>
        {open.length ? (
          <Typography.Paragraph>
            {t('sign.prints')} <strong><BlockLabel value={open[0]!.label} /></strong> — {user?.name}
          </Typography.Paragraph>
        ) : null}
      </Modal>
    </Card>
  );
}

function RegisterCard({ doc }: { doc: IssuanceDetail }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const step = useIssuanceStep(doc.documentId);
  const keyFor = useIdempotencyKey();
  const source = Form.useWatch('source', form) ?? 'system';
  const onFinish = async (v: { source: 'system' | 'paper'; number?: string; registeredOn?: string }) => {
    const body = v.source === 'paper' ? { number: (v.number ?? '').trim(), registeredOn: v.registeredOn } : {};
    try {
      await step.mutateAsync({ action: 'register', body, idempotencyKey: keyFor({ register: doc.documentId, ...body }) });
    } catch (err) {
      showFieldErrors(form, err);
    }
  };
  return (
    <Card title={t('register.card')} size="small" style={{ marginBottom: 16 }}>
      <ProblemAlert error={step.error} fieldLabels={{ number: t('register.number'), registeredOn: t('register.date') }} onFieldClick={(f) => focusField(form, f)} />
      <Form form={form} layout="vertical" initialValues={{ source: 'system', registeredOn: todayInVietnam() }} onFinish={(v) => void onFinish(v)} requiredMark="optional">
        <Form.Item name="source" label={t('register.source')}>
          <Radio.Group>
            <Space direction="vertical">
              <Radio value="system">{t('register.next')}</Radio>
              <Radio value="paper">{t('register.paper')}</Radio>
            </Space>
          </Radio.Group>
        </Form.Item>
        {source === 'paper' ? (
          <>
            <Form.Item name="number" label={t('register.number')} htmlFor="register-number" extra={t('register.numberHint')} rules={[{ required: true, message: t('register.numberRequired') }]}>
              <Input id="register-number" style={{ maxWidth: 260 }} autoComplete="off" />
            </Form.Item>
            <Form.Item name="registeredOn" label={t('register.date')} htmlFor="register-date" rules={[{ required: true, message: t('register.dateRequired') }]}>
              <DateField id="register-date" />
            </Form.Item>
          </>
        ) : null}
        <Button type="primary" htmlType="submit" loading={step.isPending}>{t('register.action')}</Button>
      </Form>
    </Card>
  );
}

function IssueCard({ doc }: { doc: IssuanceDetail }) {
  const { t, locale } = useI18n();
  const step = useIssuanceStep(doc.documentId);
  const keyFor = useIdempotencyKey();
  const [confirming, setConfirming] = useState(false);
  const issue = async () => {
    try {
      await step.mutateAsync({ action: 'issue', body: {}, idempotencyKey: keyFor({ issue: doc.documentId }) });
    } finally {
      setConfirming(false);
    }
  };
  return (
    <Card title={t('issue.card')} size="small" style={{ marginBottom: 16 }}>
      <Typography.Paragraph>{doc.effective ? t('issue.leadDecision', { effect: doc.effective.label[locale] }) : t('issue.lead')}</Typography.Paragraph>
      <ProblemAlert error={step.error} />
      <Button type="primary" onClick={() => setConfirming(true)}>{t('issue.action')}</Button>
      <Modal open={confirming} title={t('issue.confirmTitle')} okText={t('issue.action')} cancelText={t('common.cancel')} onOk={() => void issue()} confirmLoading={step.isPending} onCancel={() => setConfirming(false)}>
        <Typography.Paragraph>{t('issue.confirm', { title: doc.title, number: doc.number ?? '' })}</Typography.Paragraph>
      </Modal>
    </Card>
  );
}

function Document() {
  const { t, locale } = useI18n();
  const { documentId = '' } = useParams();
  const doc = useIssuance(documentId);
  usePageTitle(doc.data?.title ?? t('docs.document'));
  const [preview, setPreview] = useState<{ title: string; url: string } | null>(null);
  if (doc.isPending) return <Typography.Paragraph>{t('common.loading')}</Typography.Paragraph>;
  // A refresh that fails keeps what was read (and says so): the clerk's typing and the forms stay.
  if (!doc.data) return <ProblemAlert error={doc.error} />;
  const d = doc.data;
  return (
    <>
      <Typography.Title level={1} className="page-title">{d.title}</Typography.Title>
      <ProblemAlert error={doc.error} />
      <Space wrap style={{ marginBottom: 16 }}>
        <IssuanceStatusTag status={d.status} />
        {d.status === 'ISSUED' && d.document ? (
          <Button icon={<EyeOutlined />} onClick={() => setPreview({ title: d.document!.title, url: d.document!.url })}>{t('docs.viewIssued')}</Button>
        ) : (
          <Button icon={<EyeOutlined />} onClick={() => setPreview({ title: `${t('docs.draft')}: ${d.title}`, url: d.links.draft })}>{t('docs.viewDraft')}</Button>
        )}
      </Space>
      {d.allowedActions.includes('sign') ? <SignCard doc={d} /> : null}
      {d.allowedActions.includes('register') ? <RegisterCard doc={d} /> : null}
      {d.allowedActions.includes('issue') ? <IssueCard doc={d} /> : null}
      {d.status === 'ISSUED' ? <Alert type="success" showIcon style={{ marginBottom: 16 }} message={t('docs.issuedNote', { number: d.number ?? '', date: formatDate(d.registeredOn) })} /> : null}
      <InfoList>
        <InfoList.Item label={t('docs.task')}><Link to={`/tasks/${encodeURIComponent(d.taskId)}`}>{d.taskTitle}</Link></InfoList.Item>
        {d.effective ? <InfoList.Item label={t('docs.effect')}>{d.effective.label[locale]}</InfoList.Item> : null}
        <InfoList.Item label={t('docs.draftedAt')}>{formatDateTime(d.draftedAt)}</InfoList.Item>
        {d.status === 'ISSUED' || d.status === 'WITHDRAWN' ? null : <InfoList.Item label={t('docs.dueOn')}><DueDate on={d.dueOn} overdue={d.overdue} /></InfoList.Item>}
        {d.number ? <InfoList.Item label={t('docs.number')}>{d.number} — {formatDate(d.registeredOn)}{d.registeredBy ? ` (${d.registeredBy.name})` : ''}</InfoList.Item> : null}
        {d.issuedAt ? <InfoList.Item label={t('docs.issuedAt')}>{formatDateTime(d.issuedAt)}{d.issuedBy ? ` (${d.issuedBy.name})` : ''}</InfoList.Item> : null}
      </InfoList>
      <Typography.Title level={2} style={{ marginTop: 24 }}>{t('docs.blocks')}</Typography.Title>
      <List
        bordered
        dataSource={d.slots}
        renderItem={(s) => {
          const signed = d.signatures.find((x) => x.slotId === s.slotId);
          return (
            <List.Item>
              <List.Item.Meta
                avatar={signed ? <CheckCircleOutlined style={{ color: '#389e0d', fontSize: 20 }} aria-label={t('docs.signed')} /> : <ClockCircleOutlined style={{ color: '#d48806', fontSize: 20 }} aria-label={t('docs.notSigned')} />}
                title={<BlockLabel value={signed?.label ?? s.label} />}
                description={signed ? t('docs.signedByAt', { name: signed.name, at: formatDateTime(signed.at) }) : t('docs.toSign', { who: s.who[locale] })}
              />
            </List.Item>
          );
        }}
      />
      {preview ? <PdfPreview doc={preview} onClose={() => setPreview(null)} /> : null}
    </>
  );
}

export default function DocumentPage() {
  return (
    <RequireAuth>
      <Document />
    </RequireAuth>
  );
}
