/**
 * Public: one open call — what is ordered, the products, the budget ceiling, the closing
 * date — and, for a signed-in researcher of any organisation, the application: host, PI and
 * dossier files, answered with a receipt carrying the dossier code (also sent by e-mail).
 */
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Result, Skeleton, Typography } from 'antd';
import { useLocation, useParams } from 'react-router';
import { usePublicCall, useTaskCommand } from '../../api/queries';
import { ApiError, type UploadedFile } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { FORMS, LEVELS, label } from '../../i18n/labels';
import { formatDate, formatDateTime, formatVnd } from '../../i18n/format';
import { DueDate } from '../../components/Tags';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ButtonLink } from '../../components/ButtonLink';
import { focusField, showFieldErrors } from '../../components/forms';
import { useIdempotencyKey } from '../../components/useIdempotencyKey';
import { usePageTitle } from '../../components/usePageTitle';
import { InfoList } from '../../components/InfoList';
import { UploadField, uploadIds } from '../files/UploadField';
import { useSession } from '../auth/session';
import { HostFields, hostBody, hostInitial } from '../tasks/action-kit';

type Receipt = { dossierId: string; submittedAt: string; orgName: string };

function ApplyForm({ taskId, onDone }: { taskId: string; onDone: (r: Receipt) => void }) {
  const { t } = useI18n();
  const { user } = useSession();
  const [form] = Form.useForm();
  const submit = useTaskCommand(taskId, 'submitDossier');
  const keyFor = useIdempotencyKey();
  if (!user) return null;
  const onFinish = async (v: Record<string, unknown> & { attachments?: UploadedFile[]; note?: string }) => {
    const ids = uploadIds(v.attachments);
    const body = { ...hostBody(v), ...(v.note?.trim() ? { note: v.note } : {}), ...(ids.length ? { attachments: ids } : {}) };
    try {
      const task = await submit.mutateAsync({ body, idempotencyKey: keyFor(body) });
      // The receipt: the newest dossier of the applicant's organisation, as the API recorded it.
      const mine = (task.call?.dossiers ?? []).filter((d) => d.host.orgId === user.orgId).sort((a, b) => b.submittedAt.localeCompare(a.submittedAt))[0];
      if (mine) onDone({ dossierId: mine.dossierId, submittedAt: mine.submittedAt, orgName: mine.host.orgName });
    } catch (err) {
      showFieldErrors(form, err);
    }
  };
  return (
    <Form form={form} layout="vertical" name="apply" initialValues={{ ...hostInitial(user), attachments: [] }} onFinish={onFinish} scrollToFirstError>
      <ProblemAlert error={submit.error} onFieldClick={(f) => focusField(form, f)} />
      <HostFields t={t} />
      <Form.Item label={t('apply.field.files')} name="attachments" rules={[{ required: true, type: 'array', min: 1, message: t('apply.filesRequired') }]} extra={t('apply.hint.files')}>
        <UploadField />
      </Form.Item>
      <Form.Item label={t('action.field.note')} name="note">
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2_000} />
      </Form.Item>
      <Button type="primary" htmlType="submit" size="large" loading={submit.isPending}>{t('apply.submit')}</Button>
    </Form>
  );
}

export default function CallPage() {
  const { taskId = '' } = useParams();
  const { t, locale } = useI18n();
  const location = useLocation();
  const { user } = useSession();
  const call = usePublicCall(taskId);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  usePageTitle(call.data?.title ?? t('calls.title'));
  if (call.isPending) return <Skeleton active />;
  if (call.error || !call.data) {
    if (call.error instanceof ApiError && call.error.status === 404) {
      return <Result status="404" title={<h1 className="page-title">{t('calls.notFound')}</h1>} subTitle={t('calls.notFoundHint')} extra={<ButtonLink to="/calls" type="primary">{t('calls.title')}</ButtonLink>} />;
    }
    return <ProblemAlert error={call.error} />;
  }
  const c = call.data;
  return (
    <>
      <Typography.Text type="secondary">{c.departmentName} · {t('calls.code')}: {c.taskId}</Typography.Text>
      <Typography.Title level={1} className="page-title" style={{ marginTop: 4 }}>{c.title}</Typography.Title>
      <Card style={{ marginBottom: 16 }}>
        <InfoList>
          <InfoList.Item label={t('calls.kind')}>{label(LEVELS, c.level, locale)} · {label(FORMS, c.form, locale)}</InfoList.Item>
          <InfoList.Item label={t('proposal.field.objectives')}><span className="pre-line">{c.objectives}</span></InfoList.Item>
          <InfoList.Item label={t('proposal.field.products')}>
            <ol style={{ margin: 0, paddingInlineStart: 20 }}>{c.expectedProducts.map((p, i) => <li key={i}>{p}</li>)}</ol>
          </InfoList.Item>
          <InfoList.Item label={t('proposal.field.duration')}>{c.durationMonths} {t('common.months')}</InfoList.Item>
          <InfoList.Item label={t('calls.ceiling')}>{formatVnd(c.budgetCeiling.stateBudget, locale)}</InfoList.Item>
          <InfoList.Item label={t('calls.window')}>{formatDate(c.opensOn)} – <DueDate on={c.closesOn} /></InfoList.Item>
        </InfoList>
      </Card>
      <Card title={<h2 className="card-heading">{t('apply.title')}</h2>}>
        {receipt ? (
          <Result
            status="success"
            title={t('apply.received')}
            subTitle={
              <>
                {t('apply.receipt')} <strong data-testid="dossier-code">{receipt.dossierId}</strong>
                <br />
                {receipt.orgName} · {formatDateTime(receipt.submittedAt)}
                <br />
                {t('apply.receiptEmail')}
              </>
            }
            extra={<ButtonLink to={`/tasks/${encodeURIComponent(c.taskId)}`} type="primary">{t('apply.follow')}</ButtonLink>}
          />
        ) : !user ? (
          <Alert type="info" showIcon title={t('apply.signInFirst')} action={<ButtonLink to={`/sign-in?next=${encodeURIComponent(location.pathname)}`} type="primary">{t('nav.signIn')}</ButtonLink>} />
        ) : user.role !== 'researcher' ? (
          <Alert type="info" showIcon title={t('apply.researchersOnly')} />
        ) : (
          <ApplyForm taskId={c.taskId} onDone={setReceipt} />
        )}
      </Card>
    </>
  );
}
