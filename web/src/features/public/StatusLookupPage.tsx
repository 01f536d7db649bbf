/**
 * Where a filing stands, for anyone, without signing in (POST /public/status): the code of the
 * receipt e-mail (a proposal "NV-…", a dossier "NV-…/HS-1-2") and the e-mail it was filed with
 * give the stage, the date of the last step and what is expected next. A wrong pair and an
 * unknown code get the same answer (the API's 404), so nothing tells whether a code exists.
 */
import { useState } from 'react';
import { Button, Card, Form, Input, Typography } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { ApiError } from '../../api/client';
import { usePublicStatusLookup } from '../../api/queries';
import type { PublicStatus, PublicStatusBody } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { formatDate } from '../../i18n/format';
import { InfoList } from '../../components/InfoList';
import { ProblemAlert } from '../../components/ProblemAlert';
import { focusField, showFieldErrors } from '../../components/forms';
import { useIdempotencyKey } from '../../components/useIdempotencyKey';
import { usePageTitle } from '../../components/usePageTitle';
import { StageTag } from '../../components/Tags';
import { Alert } from 'antd';

export default function StatusLookupPage() {
  const { t, locale } = useI18n();
  usePageTitle(t('status.title'));
  const [form] = Form.useForm<PublicStatusBody>();
  const lookup = usePublicStatusLookup();
  const keyFor = useIdempotencyKey();
  const [result, setResult] = useState<PublicStatus | null>(null);
  const [error, setError] = useState<unknown>(null);

  const onFinish = async (v: PublicStatusBody) => {
    const body = { code: v.code.trim(), email: v.email.trim() };
    setError(null);
    setResult(null);
    try {
      setResult(await lookup.mutateAsync({ body, idempotencyKey: keyFor({ ...body, at: Date.now() }) }));
    } catch (err) {
      setError(err);
      showFieldErrors(form, err);
    }
  };
  const notFound = error instanceof ApiError && error.status === 404;

  return (
    <>
      <Typography.Title level={1} className="page-title">{t('status.title')}</Typography.Title>
      <Typography.Paragraph style={{ maxWidth: 720 }}>{t('status.lead')}</Typography.Paragraph>
      <Card style={{ maxWidth: 720 }}>
        {notFound ? (
          <Alert type="warning" showIcon role="alert" style={{ marginBottom: 16 }} title={t('status.notFound')} description={t('status.notFoundHint')} data-testid="status-not-found" />
        ) : (
          <ProblemAlert error={error} onFieldClick={(f) => focusField(form, f)} fieldLabels={{ code: t('status.code'), email: t('status.email') }} />
        )}
        <Form<PublicStatusBody> form={form} layout="vertical" name="status" onFinish={onFinish} requiredMark={false}>
          <Form.Item label={t('status.code')} name="code" extra={t('status.codeHint')} rules={[{ required: true, message: t('form.required', { field: t('status.code').toLowerCase() }) }]}>
            <Input autoComplete="off" spellCheck={false} style={{ maxWidth: 360 }} />
          </Form.Item>
          <Form.Item label={t('status.email')} name="email" rules={[{ required: true, message: t('form.required', { field: t('status.email').toLowerCase() }) }]}>
            <Input type="email" autoComplete="email" style={{ maxWidth: 360 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" icon={<SearchOutlined aria-hidden />} loading={lookup.isPending}>{t('status.submit')}</Button>
        </Form>
      </Card>
      {result ? (
        <Card style={{ maxWidth: 720, marginTop: 16 }} title={<h2 className="card-heading">{result.title}</h2>} data-testid="status-result">
          <InfoList>
            <InfoList.Item label={t('status.result.code')}>{result.code}</InfoList.Item>
            <InfoList.Item label={t('status.result.kind')}>{t(result.kind === 'proposal' ? 'status.kind.proposal' : 'status.kind.dossier')}</InfoList.Item>
            <InfoList.Item label={t('status.result.stage')}><StageTag stage={result.stage.code} /></InfoList.Item>
            {result.dossier ? <InfoList.Item label={t('status.result.dossier')}>{result.dossier.statusName[locale]} ({t('status.result.submittedOn', { date: formatDate(result.dossier.submittedOn) })})</InfoList.Item> : null}
            <InfoList.Item label={t('status.result.lastStep')}>{formatDate(result.lastStepOn)}</InfoList.Item>
            <InfoList.Item label={t('status.result.next')}>{result.next[locale]}</InfoList.Item>
          </InfoList>
        </Card>
      ) : null}
    </>
  );
}
