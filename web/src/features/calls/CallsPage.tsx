/** Public: the open calls (thông báo tuyển chọn) every organisation may apply to, closing dates first. */
import { Card, Col, Empty, Row, Skeleton, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { usePublicCalls } from '../../api/queries';
import { useI18n } from '../../i18n/i18n';
import { FORMS, LEVELS, label } from '../../i18n/labels';
import { formatVnd } from '../../i18n/format';
import { DueDate } from '../../components/Tags';
import { ProblemAlert } from '../../components/ProblemAlert';
import { usePageTitle } from '../../components/usePageTitle';

export default function CallsPage() {
  const { t, locale } = useI18n();
  usePageTitle(t('calls.title'));
  const calls = usePublicCalls();
  const items = [...(calls.data?.items ?? [])].sort((a, b) => a.closesOn.localeCompare(b.closesOn));
  return (
    <>
      <Typography.Title level={1} className="page-title">{t('calls.title')}</Typography.Title>
      <Typography.Paragraph style={{ maxWidth: 760 }}>{t('calls.lead')}</Typography.Paragraph>
      <ProblemAlert error={calls.error} />
      {calls.isPending ? <Skeleton active /> : null}
      {!calls.isPending && !items.length ? <Empty description={t('calls.empty')} /> : null}
      <Row gutter={[16, 16]}>
        {items.map((c) => (
          <Col key={c.taskId} xs={24} md={12}>
            <Card>
              <Space wrap size="small" style={{ marginBottom: 8 }}>
                <Tag>{label(LEVELS, c.level, locale)}</Tag>
                <Tag>{label(FORMS, c.form, locale)}</Tag>
              </Space>
              <h2 style={{ fontSize: 18, margin: '0 0 8px' }}><Link to={`/calls/${encodeURIComponent(c.taskId)}`}>{c.title}</Link></h2>
              <Typography.Paragraph ellipsis={{ rows: 3 }} className="muted">{c.objectives}</Typography.Paragraph>
              <div>{t('calls.closesOn')}: <DueDate on={c.closesOn} /></div>
              <div>{t('calls.ceiling')}: {formatVnd(c.budgetCeiling.stateBudget, locale)}</div>
            </Card>
          </Col>
        ))}
      </Row>
    </>
  );
}
