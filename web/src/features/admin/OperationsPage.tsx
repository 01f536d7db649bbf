/**
 * Operations, for the admin (GET /operations/status): each service as /health checks it and
 * whether a worker polls the task queue; workflows that are stuck (a workflow task that keeps
 * failing, an activity retrying past the threshold); e-mails that keep failing; the last
 * reconciliation's drift; links into the Temporal Web UI for the details. Refreshed every 30 s.
 */
import { Alert, Button, Card, Space, Spin, Tag, Typography } from 'antd';
import { ExportOutlined, ReloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useOperationsStatus } from '../../api/queries';
import type { OperationsStatus } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { formatBytes, formatDateTime } from '../../i18n/format';
import { DataTable } from '../../components/DataTable';
import { ProblemAlert } from '../../components/ProblemAlert';
import { usePageTitle } from '../../components/usePageTitle';
import { RequireAuth } from '../auth/session';
import type { MessageKey } from '../../i18n/messages';

type Stuck = OperationsStatus['workflows']['stuck'][number];
type FailingEmail = OperationsStatus['emails']['items'][number];
interface ServiceRow {
  key: string;
  status: 'up' | 'down' | 'ok' | 'low' | 'unknown';
  detail: string;
  error?: string | undefined;
}

const Up = ({ status }: { status: ServiceRow['status'] }) => {
  const { t } = useI18n();
  const good = status === 'up' || status === 'ok';
  return <Tag color={good ? 'green' : status === 'unknown' ? 'default' : 'red'}>{t(`ops.${status}` as MessageKey)}</Tag>;
};

/** An outside link (the Temporal Web UI), opened in a new tab and said so. */
const External = ({ href, children }: { href: string; children: React.ReactNode }) => {
  const { t } = useI18n();
  return (
    <a href={href} target="_blank" rel="noreferrer">
      {children} <ExportOutlined aria-label={t('ops.newTab')} />
    </a>
  );
};

function Operations() {
  const { t, locale } = useI18n();
  usePageTitle(t('ops.title'));
  const status = useOperationsStatus();
  const s = status.data;
  const services: ServiceRow[] = s
    ? [
        { key: 'temporal', status: s.services.temporal.status, detail: t('ops.latency', { ms: Math.round(s.services.temporal.latencyMs) }), error: s.services.temporal.error },
        { key: 'mongodb', status: s.services.mongodb.status, detail: t('ops.latency', { ms: Math.round(s.services.mongodb.latencyMs) }), error: s.services.mongodb.error },
        { key: 'smtp', status: s.services.smtp.status, detail: t('ops.latency', { ms: Math.round(s.services.smtp.latencyMs) }), error: s.services.smtp.error },
        {
          key: 'worker',
          status: s.services.worker.status,
          detail: t('ops.pollers', { queue: s.services.worker.taskQueue, workflow: s.services.worker.workflow.pollers, activity: s.services.worker.activity.pollers }),
          error: s.services.worker.workflow.error ?? s.services.worker.activity.error,
        },
        // Issue 17: the data directory's disk, when the API watches one (DATA_DIR).
        ...(s.disk
          ? [
              s.disk.status === 'unknown'
                ? { key: 'disk', status: 'unknown' as const, detail: t('ops.disk.unknown'), error: s.disk.error }
                : {
                    key: 'disk',
                    status: s.disk.status,
                    detail: t('ops.disk.detail', { used: s.disk.usedPercent, free: formatBytes(s.disk.freeBytes, locale), total: formatBytes(s.disk.totalBytes, locale), percent: s.disk.thresholds.freePercent, mb: s.disk.thresholds.freeMb }),
                  },
            ]
          : []),
      ]
    : [];
  return (
    <>
      <Typography.Title level={1} className="page-title">{t('ops.title')}</Typography.Title>
      <ProblemAlert error={status.error} />
      {status.isPending ? <Spin aria-label={t('common.loading')} style={{ display: 'block', margin: '32px auto' }} /> : null}
      {s ? (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Alert
            type={s.status === 'ok' ? 'success' : s.status === 'attention' ? 'warning' : 'error'}
            showIcon
            data-testid="ops-status"
            title={t(`ops.status.${s.status}` as MessageKey)}
            description={
              <Space wrap>
                <span>{t('ops.checkedAt', { at: formatDateTime(s.checkedAt) })}</span>
                <Button size="small" icon={<ReloadOutlined aria-hidden />} onClick={() => void status.refetch()} loading={status.isFetching}>{t('ops.refresh')}</Button>
                <External href={s.temporalUi.workflows}>{t('ops.temporalUi')}</External>
              </Space>
            }
          />
          <Card title={<h2 className="card-heading">{t('ops.services')}</h2>}>
            <DataTable<ServiceRow>
              label={t('ops.services')}
              size="small"
              rowKey="key"
              pagination={false}
              dataSource={services}
              columns={[
                { key: 'name', title: t('ops.col.service'), render: (_: unknown, r: ServiceRow) => <span data-testid={`service-${r.key}`}>{t(`ops.service.${r.key}` as MessageKey)}</span> },
                { key: 'status', title: t('ops.col.status'), render: (_: unknown, r: ServiceRow) => <span data-testid={`service-${r.key}-status`}><Up status={r.status} /></span> },
                { key: 'detail', title: t('ops.col.detail'), render: (_: unknown, r: ServiceRow) => <span>{r.detail}{r.error ? <div className="muted">{r.error}</div> : null}</span> },
              ]}
            />
          </Card>
          <Card title={<h2 className="card-heading">{t('ops.stuck', { n: s.workflows.stuck.length })}</h2>}>
            <Typography.Paragraph type="secondary">
              {t('ops.stuckLead', { scanned: s.workflows.scanned, activity: s.workflows.thresholds.activityFailures, workflow: s.workflows.thresholds.workflowTaskFailures })}
              {s.workflows.truncated ? ` ${t('ops.truncated')}` : ''}
            </Typography.Paragraph>
            {s.workflows.error ? <Alert type="error" showIcon title={s.workflows.error} style={{ marginBottom: 8 }} /> : null}
            <DataTable<Stuck>
              label={t('ops.stuck', { n: s.workflows.stuck.length })}
              size="small"
              rowKey="workflowId"
              pagination={false}
              dataSource={s.workflows.stuck}
              locale={{ emptyText: <span className="muted">{t('ops.noneStuck')}</span> }}
              columns={[
                { key: 'wf', title: t('ops.col.workflow'), render: (_: unknown, r: Stuck) => <div><External href={r.links.temporal}>{r.workflowId}</External><div className="muted" style={{ fontSize: 13 }}>{r.type}{r.taskId ? <> · <Link to={`/tasks/${encodeURIComponent(r.taskId)}`}>{r.taskId}</Link></> : null}</div></div> },
                { key: 'problem', title: t('ops.col.problem'), render: (_: unknown, r: Stuck) => <Space direction="vertical" size={2}>{r.problems.map((p) => <Tag key={p} color="red">{t(`ops.problem.${p}` as MessageKey)}</Tag>)}</Space> },
                {
                  key: 'detail',
                  title: t('ops.col.detail'),
                  render: (_: unknown, r: Stuck) => (
                    <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                      {r.workflowTask ? <li>{t('ops.workflowTask', { n: r.workflowTask.failures })}{r.workflowTask.lastFailure ? `: ${r.workflowTask.lastFailure}` : ''}</li> : null}
                      {r.activities.map((a) => (
                        <li key={a.activityId}>{t('ops.activity', { type: a.activityType, n: a.attempt })}{a.lastFailure ? `: ${a.lastFailure}` : ''}</li>
                      ))}
                    </ul>
                  ),
                },
              ]}
            />
          </Card>
          <Card title={<h2 className="card-heading">{t('ops.emails', { n: s.emails.total })}</h2>}>
            <DataTable<FailingEmail>
              label={t('ops.emails', { n: s.emails.total })}
              size="small"
              rowKey="key"
              pagination={false}
              dataSource={s.emails.items}
              locale={{ emptyText: <span className="muted">{t('ops.noEmails')}</span> }}
              columns={[
                { key: 'what', title: t('ops.col.email'), render: (_: unknown, r: FailingEmail) => <div>{r.template}<div className="muted" style={{ fontSize: 13 }}>{r.to.join(', ')}</div>{r.taskId ? <Link to={`/tasks/${encodeURIComponent(r.taskId)}`}>{r.taskId}</Link> : null}</div> },
                { key: 'attempts', title: t('ops.col.attempts'), render: (_: unknown, r: FailingEmail) => r.attempts },
                { key: 'error', title: t('ops.col.lastError'), render: (_: unknown, r: FailingEmail) => <div>{r.lastError}<div className="muted" style={{ fontSize: 13 }}>{formatDateTime(r.lastFailedAt)}</div></div> },
              ]}
            />
          </Card>
          <Card title={<h2 className="card-heading">{t('ops.readModels')}</h2>} extra={<Link to="/imports">{t('ops.toReconciliation')}</Link>}>
            {s.readModels.lastReconciliation ? (
              <>
                <Typography.Paragraph data-testid="ops-drift">
                  {t('ops.lastReconciliation', { at: formatDateTime(s.readModels.lastReconciliation.finishedAt), who: s.readModels.lastReconciliation.by.name, scanned: s.readModels.lastReconciliation.scanned, drifted: s.readModels.lastReconciliation.drifted, repaired: s.readModels.lastReconciliation.repaired })}
                </Typography.Paragraph>
                {s.readModels.lastReconciliation.driftedTasks.length ? (
                  <ul>
                    {s.readModels.lastReconciliation.driftedTasks.map((d) => (
                      <li key={d.taskId}><Link to={`/tasks/${encodeURIComponent(d.taskId)}`}>{d.taskId}</Link> · {d.repaired ? t('reconcile.repaired') : t('reconcile.notRepaired')}</li>
                    ))}
                  </ul>
                ) : null}
              </>
            ) : (
              <Typography.Paragraph type="secondary" data-testid="ops-drift">{t('reconcile.never')}</Typography.Paragraph>
            )}
          </Card>
        </Space>
      ) : null}
    </>
  );
}

export default function OperationsPage() {
  return (
    <RequireAuth roles={['admin']}>
      <Operations />
    </RequireAuth>
  );
}
