/**
 * What awaits my signature (issue 12): the Director's and a Deputy Director's decisions in their
 * areas, an officer's records, a host's contracts (party B), a council's minutes (chair and
 * secretary); deadlines first, late ones marked. Each opens the document, where its draft is read
 * before it is signed.
 */
import { Empty, Typography } from 'antd';
import { Link } from 'react-router';
import { useI18n } from '../../i18n/i18n';
import { DataTable } from '../../components/DataTable';
import { ProblemAlert } from '../../components/ProblemAlert';
import { DueDate } from '../../components/Tags';
import { usePageTitle } from '../../components/usePageTitle';
import { RequireAuth } from '../auth/session';
import { BlockLabel } from './parts';
import { usePendingSignatures, type PendingItem } from './queries';

function Signatures() {
  const { t } = useI18n();
  usePageTitle(t('sign.title'));
  const pending = usePendingSignatures();
  return (
    <>
      <Typography.Title level={1} className="page-title">{t('sign.title')}</Typography.Title>
      <Typography.Paragraph>{t('sign.lead')}</Typography.Paragraph>
      <ProblemAlert error={pending.error} />
      <DataTable<PendingItem>
        label={t('sign.title')}
        rowKey="documentId"
        loading={pending.isPending}
        dataSource={pending.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: <Empty description={t('sign.empty')} /> }}
        columns={[
          { title: t('docs.document'), key: 'doc', render: (_, d) => <Link to={`/documents/${d.documentId}`}>{d.title}</Link> },
          { title: t('docs.task'), key: 'task', responsive: ['md'], render: (_, d) => <Link to={`/tasks/${encodeURIComponent(d.taskId)}`}>{d.taskTitle}</Link> },
          { title: t('sign.block'), key: 'block', responsive: ['lg'], render: (_, d) => <BlockLabel value={d.slot.label} /> },
          { title: t('docs.dueOn'), key: 'due', render: (_, d) => <DueDate on={d.dueOn} overdue={d.overdue} /> },
        ]}
      />
    </>
  );
}

export default function SignaturesPage() {
  return (
    <RequireAuth roles={['manager', 'researcher', 'council_member']}>
      <Signatures />
    </RequireAuth>
  );
}
