/**
 * The Department's outgoing documents (issue 12), by where they stand: awaiting signature,
 * signed (for the clerk to register), registered (to issue), issued (the outgoing register),
 * withdrawn. The status is kept in the address.
 */
import { Button, Empty, Segmented, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { useI18n } from '../../i18n/i18n';
import { DOCUMENT_STATUSES, label } from '../../i18n/labels';
import { formatDate } from '../../i18n/format';
import { DataTable } from '../../components/DataTable';
import { ProblemAlert } from '../../components/ProblemAlert';
import { DueDate } from '../../components/Tags';
import { usePageTitle } from '../../components/usePageTitle';
import { RequireAuth } from '../auth/session';
import { useOutgoingDocuments, type IssuanceStatus, type IssuanceSummary } from './queries';

const STATUSES: IssuanceStatus[] = ['SIGNED', 'REGISTERED', 'AWAITING_SIGNATURE', 'ISSUED', 'WITHDRAWN'];

function Documents() {
  const { t, locale } = useI18n();
  usePageTitle(t('docs.title'));
  const [params, setParams] = useSearchParams();
  const status = (STATUSES as string[]).includes(params.get('status') ?? '') ? (params.get('status') as IssuanceStatus) : 'SIGNED';
  const list = useOutgoingDocuments(status);
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const open = status !== 'ISSUED' && status !== 'WITHDRAWN';
  return (
    <>
      <Typography.Title level={1} className="page-title">{t('docs.title')}</Typography.Title>
      <Typography.Paragraph>{t('docs.lead')}</Typography.Paragraph>
      <nav aria-label={t('docs.byStatus')} style={{ marginBottom: 16, overflowX: 'auto' }}>
        <Segmented
          value={status}
          onChange={(v) => setParams(new URLSearchParams({ status: String(v) }), { replace: true })}
          options={STATUSES.map((s) => ({ value: s, label: label(DOCUMENT_STATUSES, s, locale) }))}
        />
      </nav>
      <ProblemAlert error={list.error} />
      <DataTable<IssuanceSummary>
        label={label(DOCUMENT_STATUSES, status, locale)}
        rowKey="documentId"
        loading={list.isPending}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: <Empty description={t('docs.empty')} /> }}
        columns={[
          ...(status === 'REGISTERED' || status === 'ISSUED' ? [{ title: t('docs.number'), key: 'number', render: (_: unknown, d: IssuanceSummary) => <>{d.number}<div className="muted">{d.registeredOn ? formatDate(d.registeredOn) : ''}</div></> }] : []),
          { title: t('docs.document'), key: 'doc', render: (_, d) => <Link to={`/documents/${d.documentId}`}>{d.title}</Link> },
          { title: t('docs.task'), key: 'task', responsive: ['md'], render: (_, d) => <Link to={`/tasks/${encodeURIComponent(d.taskId)}`}>{d.taskTitle}</Link> },
          { title: t('docs.signedBy'), key: 'signed', responsive: ['lg'], render: (_, d) => d.signatures.map((s) => s.name).join(', ') || '—' },
          open
            ? { title: t('docs.dueOn'), key: 'due', render: (_, d) => <DueDate on={d.dueOn} overdue={d.overdue} /> }
            : { title: t('docs.issuedAt'), key: 'issued', render: (_, d) => (d.issuedAt ? formatDate(d.issuedAt) : '—') },
        ]}
      />
      {list.hasNextPage ? (
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>{t('common.loadMore')}</Button>
        </div>
      ) : null}
    </>
  );
}

export default function DocumentsPage() {
  return (
    <RequireAuth roles={['manager', 'admin']}>
      <Documents />
    </RequireAuth>
  );
}
