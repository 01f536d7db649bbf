/**
 * The lists behind the dashboard's figures, each as the API answers it (GET /portfolio/…):
 * its columns, and the path it is exported from. One table per list, shared by the dashboard
 * (its first rows) and the list's own page (all of them).
 */
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Tag } from 'antd';
import type { AcceptanceDossierReport, BudgetReport, EndingSoonReport, ObligationItem, ObligationReport, RefundReport, StoppedReport, TimelineReport } from '../../api/types';
import type { MessageKey } from '../../i18n/messages';
import type { Locale } from '../../i18n/locale';
import type { Translate } from '../../i18n/i18n';
import { FORMS, LEVELS, label, STAGES } from '../../i18n/labels';
import { formatDate, formatVnd } from '../../i18n/format';
import { StageTag } from '../../components/Tags';

export type ListName = 'overdue' | 'due-soon' | 'ending-soon' | 'acceptance-dossiers' | 'refunds' | 'stopped' | 'budget' | 'timeline';

interface Column<R> {
  key: string;
  title: string;
  render: (r: R) => ReactNode;
  responsive?: ('sm' | 'md' | 'lg')[];
  align?: 'right';
  width?: number;
}

export interface ListSpec<Report, Row> {
  /** Its path under /api/v1/portfolio/. */
  path: string;
  title: MessageKey;
  lead: MessageKey;
  /** The query the list is read with (from the page's address). */
  query: (params: URLSearchParams) => Record<string, string | number | undefined>;
  rows: (r: Report) => Row[];
  total: (r: Report) => number;
  rowKey: (r: Row, i: number) => string;
  columns: (t: Translate, locale: Locale) => Column<Row>[];
}

const taskCell = (r: { taskId: string; code: string; title: string }) => (
  <div style={{ minWidth: 150 }}>
    <Link to={`/tasks/${encodeURIComponent(r.taskId)}`}>{r.title}</Link>
    <div className="muted" style={{ fontSize: 13 }}>{r.code}</div>
  </div>
);

const obligationColumns = (t: Translate, locale: Locale): Column<ObligationItem>[] => [
  { key: 'task', title: t('dash.col.task'), width: 220, render: taskCell },
  { key: 'what', title: t('dash.col.obligation'), render: (r) => <span>{r.deliverable[locale]} <span className="muted">({r.rule})</span></span> },
  { key: 'person', title: t('dash.col.person'), responsive: ['md'], render: (r) => <span>{r.person.name}<div className="muted" style={{ fontSize: 13 }}>{r.unit.name}</div></span> },
  { key: 'accountable', title: t('dash.col.accountable'), render: (r) => r.accountable.name },
  { key: 'due', title: t('dash.col.due'), render: (r) => formatDate(r.dueOn) },
  {
    key: 'late',
    title: t('dash.col.daysLate'),
    align: 'right',
    render: (r) => (r.daysOverdue > 0 ? <Tag color="red">{t('due.daysLate', { n: r.daysOverdue })}</Tag> : r.daysOverdue === 0 ? <Tag color="gold">{t('due.today')}</Tag> : <Tag color="gold">{t('due.inDays', { n: -r.daysOverdue })}</Tag>),
  },
];

const days = (params: URLSearchParams, fallback: number) => {
  const n = Number(params.get('days'));
  return Number.isInteger(n) && n >= 1 && n <= 366 ? n : fallback;
};

export const LISTS: { [K in ListName]: ListSpec<any, any> } = {
  overdue: {
    path: 'obligations/overdue',
    title: 'dash.list.overdue',
    lead: 'dash.list.overdueLead',
    query: () => ({ limit: 1000 }),
    rows: (r: ObligationReport) => r.items,
    total: (r: ObligationReport) => r.total,
    rowKey: (r: ObligationItem) => `${r.taskId}/${r.obligationId}`,
    columns: obligationColumns,
  } satisfies ListSpec<ObligationReport, ObligationItem>,
  'due-soon': {
    path: 'obligations/due-soon',
    title: 'dash.list.dueSoon',
    lead: 'dash.list.dueSoonLead',
    query: (p) => ({ days: days(p, 30), limit: 1000 }),
    rows: (r: ObligationReport) => r.items,
    total: (r: ObligationReport) => r.total,
    rowKey: (r: ObligationItem) => `${r.taskId}/${r.obligationId}`,
    columns: obligationColumns,
  } satisfies ListSpec<ObligationReport, ObligationItem>,
  'ending-soon': {
    path: 'tasks/ending-soon',
    title: 'dash.list.endingSoon',
    lead: 'dash.list.endingSoonLead',
    query: () => ({}),
    rows: (r: EndingSoonReport) => r.items,
    total: (r: EndingSoonReport) => r.total,
    rowKey: (r: EndingSoonReport['items'][number]) => r.taskId,
    columns: (t, locale) => [
      { key: 'task', title: t('dash.col.task'), width: 220, render: taskCell },
      { key: 'level', title: t('dash.col.levelForm'), responsive: ['md'], render: (r) => `${label(LEVELS, r.level, locale)} · ${label(FORMS, r.form, locale)}` },
      { key: 'stage', title: t('dash.col.stage'), render: (r) => <StageTag stage={r.stage} /> },
      { key: 'end', title: t('dash.col.contractEnd'), render: (r) => formatDate(r.endOn) },
      { key: 'left', title: t('dash.col.daysLeft'), align: 'right', render: (r) => <Tag color="gold">{t('due.inDays', { n: r.daysLeft })}</Tag> },
    ],
  } satisfies ListSpec<EndingSoonReport, EndingSoonReport['items'][number]>,
  'acceptance-dossiers': {
    path: 'acceptance-dossiers/overdue',
    title: 'dash.list.acceptance',
    lead: 'dash.list.acceptanceLead',
    query: () => ({}),
    rows: (r: AcceptanceDossierReport) => r.items,
    total: (r: AcceptanceDossierReport) => r.total,
    rowKey: (r: ObligationItem) => `${r.taskId}/${r.obligationId}`,
    columns: obligationColumns,
  } satisfies ListSpec<AcceptanceDossierReport, ObligationItem>,
  refunds: {
    path: 'refunds',
    title: 'dash.list.refunds',
    lead: 'dash.list.refundsLead',
    query: () => ({}),
    rows: (r: RefundReport) => r.items,
    total: (r: RefundReport) => r.total,
    rowKey: (r: RefundReport['items'][number]) => r.taskId,
    columns: (t, locale) => [
      { key: 'task', title: t('dash.col.task'), width: 220, render: taskCell },
      { key: 'host', title: t('dash.col.host'), responsive: ['md'], render: (r) => r.host?.orgName ?? '—' },
      { key: 'stage', title: t('dash.col.stage'), responsive: ['md'], render: (r) => <StageTag stage={r.stage} /> },
      { key: 'due', title: t('dash.col.refundDue'), align: 'right', render: (r) => formatVnd(r.refundDue, locale) },
      { key: 'refunded', title: t('dash.col.refunded'), align: 'right', render: (r) => formatVnd(r.refunded, locale) },
      { key: 'outstanding', title: t('dash.col.outstanding'), align: 'right', render: (r) => <strong>{formatVnd(r.outstanding, locale)}</strong> },
    ],
  } satisfies ListSpec<RefundReport, RefundReport['items'][number]>,
  stopped: {
    path: 'tasks/stopped',
    title: 'dash.list.stopped',
    lead: 'dash.list.stoppedLead',
    query: () => ({}),
    rows: (r: StoppedReport) => r.items,
    total: (r: StoppedReport) => r.total,
    rowKey: (r: StoppedReport['items'][number]) => r.taskId,
    columns: (t, locale) => [
      { key: 'task', title: t('dash.col.task'), width: 220, render: taskCell },
      { key: 'stopped', title: t('dash.col.stoppedAs'), render: (r) => <span>{label(STAGES, r.stoppedStage, locale)} <span className="muted">({r.stopRule})</span></span> },
      { key: 'on', title: t('dash.col.stoppedOn'), render: (r) => formatDate(r.stoppedOn) },
      { key: 'grounds', title: t('dash.col.grounds'), responsive: ['md'], render: (r) => r.stopGrounds },
      { key: 'now', title: t('dash.col.stageNow'), responsive: ['lg'], render: (r) => <StageTag stage={r.stage} /> },
    ],
  } satisfies ListSpec<StoppedReport, StoppedReport['items'][number]>,
  budget: {
    path: 'budget',
    title: 'dash.list.budget',
    lead: 'dash.list.budgetLead',
    query: () => ({}),
    rows: (r: BudgetReport) => [...r.years, { year: 0, ...r.totals }],
    total: (r: BudgetReport) => r.years.length,
    rowKey: (r: BudgetReport['years'][number]) => String(r.year),
    columns: (t, locale) => [
      { key: 'year', title: t('dash.col.year'), render: (r) => (r.year ? String(r.year) : <strong>{t('dash.total')}</strong>) },
      { key: 'state', title: t('dash.budget.approvedState'), align: 'right', render: (r) => formatVnd(r.approvedState, locale) },
      { key: 'other', title: t('dash.budget.approvedOther'), align: 'right', responsive: ['md'], render: (r) => formatVnd(r.approvedOther, locale) },
      { key: 'disbursed', title: t('dash.budget.disbursed'), align: 'right', render: (r) => formatVnd(r.disbursed, locale) },
      { key: 'refunded', title: t('dash.budget.refunded'), align: 'right', responsive: ['md'], render: (r) => formatVnd(r.refunded, locale) },
    ],
  } satisfies ListSpec<BudgetReport, BudgetReport['years'][number]>,
  timeline: {
    path: 'timeline',
    title: 'dash.list.timeline',
    lead: 'dash.list.timelineLead',
    query: (p) => ({ from: p.get('from') ?? undefined, to: p.get('to') ?? undefined, limit: 1000 }),
    rows: (r: TimelineReport) => r.items,
    total: (r: TimelineReport) => r.total,
    rowKey: (r: TimelineReport['items'][number]) => r.taskId,
    columns: (t, locale) => [
      { key: 'task', title: t('dash.col.task'), width: 220, render: taskCell },
      { key: 'host', title: t('dash.col.host'), responsive: ['lg'], render: (r) => r.host?.orgName ?? '—' },
      { key: 'period', title: t('dash.col.contractPeriod'), render: (r) => `${r.startOn ? formatDate(r.startOn) : '…'} – ${formatDate(r.endOn)}` },
      {
        key: 'deadlines',
        title: t('dash.col.deadlines'),
        responsive: ['md'],
        render: (r) =>
          r.deadlines.length ? (
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {r.deadlines.map((d) => (
                <li key={d.obligationId}>{formatDate(d.dueOn)}: {d.deliverable[locale]}{d.overdue ? <Tag color="red" style={{ marginInlineStart: 6 }}>{t('due.overdue')}</Tag> : null}</li>
              ))}
            </ul>
          ) : (
            '—'
          ),
      },
    ],
  } satisfies ListSpec<TimelineReport, TimelineReport['items'][number]>,
};

export const isListName = (s: string | undefined): s is ListName => Boolean(s && s in LISTS);
