/**
 * A researcher's tasks (their organisation's, as proposer, host or applicant) or the
 * Department's portfolio: the API's filters and sorts, kept in the URL so a list can be
 * bookmarked and shared; each task with its stage, next deadline and overdue mark.
 */
import { DataTable } from '../../components/DataTable';
import { ButtonLink } from '../../components/ButtonLink';
import { Button, Card, Empty, Form, Input, Select, Space, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { PlusOutlined } from '@ant-design/icons';
import { useTasks } from '../../api/queries';
import type { TaskListQuery, TaskSummary } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { FORMS, LEVELS, STAGES, label } from '../../i18n/labels';
import { formatDate } from '../../i18n/format';
import { DueDate, StageTag } from '../../components/Tags';
import { ProblemAlert } from '../../components/ProblemAlert';
import { usePageTitle } from '../../components/usePageTitle';
import { RequireAuth, useSession } from '../auth/session';

const FILTERS = ['stage', 'level', 'form', 'overdue', 'q', 'sort', 'order'] as const;

function TaskList() {
  const { t, locale } = useI18n();
  const { user } = useSession();
  const title = user?.role === 'researcher' ? t('tasks.mine') : t('tasks.portfolio');
  usePageTitle(title);
  const [params, setParams] = useSearchParams();
  const query: TaskListQuery = Object.fromEntries(FILTERS.flatMap((k) => (params.get(k) ? [[k, params.get(k)!]] : [])));
  const tasks = useTasks(query);
  const rows = tasks.data?.pages.flatMap((p) => p.items) ?? [];

  const set = (k: (typeof FILTERS)[number], v: string | string[] | undefined) => {
    const next = new URLSearchParams(params);
    const value = Array.isArray(v) ? v.join(',') : v;
    if (value) next.set(k, value);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const multi = (k: 'stage' | 'level' | 'form') => (params.get(k) ? params.get(k)!.split(',') : []);
  const options = (table: Record<string, { vi: string; en: string }>) => Object.keys(table).map((value) => ({ value, label: label(table, value, locale) }));

  const columns = [
    {
      title: t('tasks.col.title'),
      key: 'title',
      render: (_: unknown, r: TaskSummary) => (
        <div>
          <Link to={`/tasks/${encodeURIComponent(r.taskId)}`}>{r.title}</Link>
          <div className="muted" style={{ fontSize: 13 }}>{r.taskId} · {r.host?.orgName ?? r.proposerOrganisation}</div>
        </div>
      ),
    },
    { title: t('tasks.col.stage'), key: 'stage', render: (_: unknown, r: TaskSummary) => <StageTag stage={r.stage} /> },
    { title: t('tasks.col.level'), key: 'level', responsive: ['lg' as const], render: (_: unknown, r: TaskSummary) => `${label(LEVELS, r.level, locale)} · ${label(FORMS, r.form, locale)}` },
    { title: t('tasks.col.nextDeadline'), key: 'deadline', render: (_: unknown, r: TaskSummary) => <DueDate on={r.nextDeadline} overdue={r.overdue} /> },
    { title: t('tasks.col.submitted'), key: 'submitted', responsive: ['md' as const], render: (_: unknown, r: TaskSummary) => formatDate(r.submittedAt) },
  ];

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', flexWrap: 'wrap' }}>
        <Typography.Title level={1} className="page-title">{title}</Typography.Title>
        {user?.role === 'researcher' || user?.role === 'manager' ? (
          <ButtonLink to="/tasks/new" type="primary" icon={<PlusOutlined />}>{t('nav.newProposal')}</ButtonLink>
        ) : null}
      </Space>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="vertical" role="search" aria-label={t('tasks.filters')}>
          <Space wrap align="end" size="middle">
            <Form.Item label={t('tasks.filter.q')} htmlFor="filter-q" style={{ marginBottom: 0 }}>
              <Input.Search id="filter-q" allowClear defaultValue={params.get('q') ?? ''} onSearch={(v) => set('q', v.trim() || undefined)} style={{ width: 260 }} />
            </Form.Item>
            <Form.Item label={t('tasks.filter.stage')} htmlFor="filter-stage" style={{ marginBottom: 0 }}>
              <Select id="filter-stage" mode="multiple" allowClear value={multi('stage')} onChange={(v: string[]) => set('stage', v)} options={options(STAGES)} style={{ minWidth: 220 }} maxTagCount="responsive" optionFilterProp="label" />
            </Form.Item>
            <Form.Item label={t('tasks.filter.level')} htmlFor="filter-level" style={{ marginBottom: 0 }}>
              <Select id="filter-level" mode="multiple" allowClear value={multi('level')} onChange={(v: string[]) => set('level', v)} options={options(LEVELS)} style={{ minWidth: 160 }} maxTagCount="responsive" />
            </Form.Item>
            <Form.Item label={t('tasks.filter.form')} htmlFor="filter-form" style={{ marginBottom: 0 }}>
              <Select id="filter-form" mode="multiple" allowClear value={multi('form')} onChange={(v: string[]) => set('form', v)} options={options(FORMS)} style={{ minWidth: 180 }} maxTagCount="responsive" />
            </Form.Item>
            <Form.Item label={t('tasks.filter.overdue')} htmlFor="filter-overdue" style={{ marginBottom: 0 }}>
              <Select id="filter-overdue" allowClear value={params.get('overdue') ?? undefined} onChange={(v?: string) => set('overdue', v)} style={{ width: 150 }} options={[{ value: 'true', label: t('tasks.filter.overdueOnly') }, { value: 'false', label: t('tasks.filter.onTime') }]} />
            </Form.Item>
            <Form.Item label={t('tasks.filter.sort')} htmlFor="filter-sort" style={{ marginBottom: 0 }}>
              <Select
                id="filter-sort"
                value={`${params.get('sort') ?? 'submittedAt'}:${params.get('order') ?? ((params.get('sort') ?? 'submittedAt') === 'submittedAt' ? 'desc' : 'asc')}`}
                onChange={(v: string) => {
                  const [sort, order] = v.split(':');
                  const next = new URLSearchParams(params);
                  next.set('sort', sort!);
                  next.set('order', order!);
                  setParams(next, { replace: true });
                }}
                style={{ width: 210 }}
                options={[
                  { value: 'submittedAt:desc', label: t('tasks.sort.newest') },
                  { value: 'submittedAt:asc', label: t('tasks.sort.oldest') },
                  { value: 'nextDeadline:asc', label: t('tasks.sort.deadline') },
                  { value: 'title:asc', label: t('tasks.sort.title') },
                ]}
              />
            </Form.Item>
          </Space>
        </Form>
      </Card>
      <ProblemAlert error={tasks.error} />
      <DataTable<TaskSummary>
        label={title}
        rowKey="taskId"
        columns={columns}
        dataSource={rows}
        loading={tasks.isPending}
        pagination={false}
        locale={{ emptyText: <Empty description={t('tasks.empty')} /> }}
      />
      {tasks.hasNextPage ? (
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          <Button onClick={() => void tasks.fetchNextPage()} loading={tasks.isFetchingNextPage}>{t('common.loadMore')}</Button>
        </div>
      ) : null}
    </>
  );
}

export default function MyTasksPage() {
  return (
    <RequireAuth roles={['researcher', 'manager', 'admin']}>
      <TaskList />
    </RequireAuth>
  );
}
