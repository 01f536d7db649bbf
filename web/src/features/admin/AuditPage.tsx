/**
 * The audit log (admin): who did what, when, on which task or council, from which stage or
 * status to which; newest first, append-only; a vote only as "voted on the item", never how.
 * Filters are the API's, kept in the address.
 */
import { Button, Card, DatePicker, Empty, Form, Input, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link, useSearchParams } from 'react-router';
import { useAuditLog } from '../../api/queries';
import type { AuditEntry, AuditQuery } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { AUDIT_ACTIONS, COMMANDS, COUNCIL_STATUSES, DOCUMENT_STATUSES, label, ROLES, STAGES } from '../../i18n/labels';
import { formatDateTime } from '../../i18n/format';
import { DataTable } from '../../components/DataTable';
import { ProblemAlert } from '../../components/ProblemAlert';
import { usePageTitle } from '../../components/usePageTitle';
import { RequireAuth } from '../auth/session';

const KINDS = ['transition', 'command', 'council', 'user', 'file', 'document'] as const;
const FILTERS = ['kind', 'action', 'taskId', 'actorId', 'since', 'until'] as const;

function Audit() {
  const { t, locale } = useI18n();
  usePageTitle(t('audit.title'));
  const [params, setParams] = useSearchParams();
  const query = Object.fromEntries(FILTERS.flatMap((k) => (params.get(k) ? [[k, params.get(k)!]] : []))) as AuditQuery;
  const log = useAuditLog(query);
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];
  const set = (k: (typeof FILTERS)[number], v?: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const actionName = (a: string) => (a in COMMANDS ? label(COMMANDS, a, locale) : label(AUDIT_ACTIONS, a, locale));
  // A user's entry changes a role; a council's, its status; the rest, the task's stage.
  const stateName = (e: AuditEntry, code?: string) => (code ? label(e.kind === 'user' ? ROLES : e.kind === 'council' ? COUNCIL_STATUSES : e.kind === 'document' ? DOCUMENT_STATUSES : STAGES, code, locale) : '—');
  return (
    <>
      <Typography.Title level={1} className="page-title">{t('audit.title')}</Typography.Title>
      <Typography.Paragraph>{t('audit.lead')}</Typography.Paragraph>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="vertical" role="search" aria-label={t('audit.filters')}>
          <Space wrap align="end">
            <Form.Item label={t('audit.kind')} htmlFor="audit-kind" style={{ marginBottom: 0 }}>
              <Select id="audit-kind" allowClear value={params.get('kind') ?? undefined} onChange={(v?: string) => set('kind', v)} style={{ width: 180 }} options={KINDS.map((k) => ({ value: k, label: t(`audit.kind.${k}`) }))} />
            </Form.Item>
            <Form.Item label={t('audit.taskId')} htmlFor="audit-task" style={{ marginBottom: 0 }}>
              <Input.Search id="audit-task" allowClear defaultValue={params.get('taskId') ?? ''} onSearch={(v) => set('taskId', v.trim() || undefined)} style={{ width: 240 }} />
            </Form.Item>
            <Form.Item label={t('audit.actorId')} htmlFor="audit-actor" style={{ marginBottom: 0 }}>
              <Input.Search id="audit-actor" allowClear defaultValue={params.get('actorId') ?? ''} onSearch={(v) => set('actorId', v.trim() || undefined)} style={{ width: 200 }} />
            </Form.Item>
            <Form.Item label={t('audit.period')} htmlFor="audit-since" style={{ marginBottom: 0 }}>
              <DatePicker.RangePicker
                id={{ start: 'audit-since' }}
                format="DD/MM/YYYY"
                value={params.get('since') && params.get('until') ? [dayjs(params.get('since')), dayjs(params.get('until'))] : null}
                onChange={(v) => {
                  const next = new URLSearchParams(params);
                  if (v?.[0] && v[1]) {
                    next.set('since', v[0].startOf('day').format('YYYY-MM-DDTHH:mm:ssZ'));
                    next.set('until', v[1].endOf('day').format('YYYY-MM-DDTHH:mm:ssZ'));
                  } else {
                    next.delete('since');
                    next.delete('until');
                  }
                  setParams(next, { replace: true });
                }}
              />
            </Form.Item>
          </Space>
        </Form>
      </Card>
      <ProblemAlert error={log.error} />
      <DataTable<AuditEntry>
        label={t('audit.title')}
        rowKey="id"
        loading={log.isPending}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: <Empty description={t('audit.empty')} /> }}
        columns={[
          { title: t('audit.at'), key: 'at', render: (_, e) => formatDateTime(e.at) },
          { title: t('audit.who'), key: 'who', render: (_, e) => <>{e.actor.name}<div className="muted" style={{ fontSize: 13 }}>{e.actor.userId}</div></> },
          { title: t('audit.what'), key: 'what', render: (_, e) => <>{t(`audit.kind.${e.kind}`)}: {actionName(e.action)}{e.item ? ` (${e.item})` : ''}</> },
          {
            title: t('audit.on'),
            key: 'on',
            responsive: ['md'],
            render: (_, e) => (e.councilId ? <Link to={`/councils/${encodeURIComponent(e.councilId)}`}>{e.councilId}</Link> : e.taskId ? <Link to={`/tasks/${encodeURIComponent(e.taskId)}`}>{e.taskId}</Link> : e.subjectUserId ?? ''),
          },
          { title: t('audit.change'), key: 'change', responsive: ['lg'], render: (_, e) => (e.from || e.to ? `${stateName(e, e.from)} → ${stateName(e, e.to)}` : '') },
        ]}
      />
      {log.hasNextPage ? (
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          <Button onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>{t('common.loadMore')}</Button>
        </div>
      ) : null}
    </>
  );
}

export default function AuditPage() {
  return (
    <RequireAuth roles={['admin']}>
      <Audit />
    </RequireAuth>
  );
}
