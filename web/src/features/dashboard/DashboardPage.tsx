/**
 * The Department's "5 rõ" dashboard (domain.md §8) for officers and leaders: the portfolio's
 * counts by level, form and stage; what is overdue and who answers for it; what falls due in 7
 * and 30 days; contracts ending soon; overdue acceptance dossiers; budget by year and source;
 * refunds owed and recovered; stopped tasks; a timeline of contract periods. Every figure is a
 * link to the list behind it, every list downloads as CSV or XLSX; the figures are the API's
 * own (GET /portfolio/…), never computed here.
 */
import type { ReactNode } from 'react';
import { Card, Col, Row, Space, Spin, Typography } from 'antd';
import { Link } from 'react-router';
import { usePortfolio } from '../../api/queries';
import type { AcceptanceDossierReport, BudgetReport, EndingSoonReport, ObligationReport, PortfolioCounts, TimelineReport } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { addDaysIso, formatDate, formatVnd, todayInVietnam } from '../../i18n/format';
import { FORMS, LEVELS, label, STAGES } from '../../i18n/labels';
import { ProblemAlert } from '../../components/ProblemAlert';
import { usePageTitle } from '../../components/usePageTitle';
import { RequireAuth } from '../auth/session';
import { ExportButtons } from './ExportButtons';
import { PortfolioTable } from './PortfolioListPage';
import { BudgetBars, ContractTimeline, CountBars, stageColour } from './charts';
import './dashboard.css';

function Figure({ to, value, caption, testId, tone }: { to: string; value: ReactNode; caption: string; testId: string; tone?: 'alert' | 'warn' | 'good' }) {
  return (
    <Link to={to} className={`figure${tone ? ` figure-${tone}` : ''}`} data-testid={testId}>
      <span className="figure-value" data-testid={`${testId}-value`}>{value}</span>
      <span className="figure-caption">{caption}</span>
    </Link>
  );
}

/** A card's heading (a real h2) with its downloads. */
function Section({ title, extra, children, testId }: { title: string; extra?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <Card title={<h2 className="card-heading">{title}</h2>} extra={extra} style={{ height: '100%' }} data-testid={testId}>
      {children}
    </Card>
  );
}

/** A count per code as a list of links (the text the chart beside it pictures). */
function CountList({ items }: { items: { key: string; name: string; count: number; to: string; testId: string }[] }) {
  const { t } = useI18n();
  if (!items.length) return <Typography.Text type="secondary">{t('dash.none')}</Typography.Text>;
  return (
    <ul className="count-list">
      {items.map((i) => (
        <li key={i.key}>
          <Link to={i.to} data-testid={i.testId}>
            <span>{i.name}</span>
            <strong data-testid={`${i.testId}-value`}>{i.count}</strong>
          </Link>
        </li>
      ))}
    </ul>
  );
}

function Dashboard() {
  const { t, locale } = useI18n();
  usePageTitle(t('dash.title'));
  const today = todayInVietnam();
  const period = { from: addDaysIso(today, -180), to: addDaysIso(today, 540) };
  const counts = usePortfolio<PortfolioCounts>('counts');
  const overdue = usePortfolio<ObligationReport>('obligations/overdue', { limit: 5 });
  const due7 = usePortfolio<ObligationReport>('obligations/due-soon', { days: 7, limit: 1 });
  const due30 = usePortfolio<ObligationReport>('obligations/due-soon', { days: 30, limit: 1 });
  const ending = usePortfolio<EndingSoonReport>('tasks/ending-soon');
  const dossiers = usePortfolio<AcceptanceDossierReport>('acceptance-dossiers/overdue');
  const budget = usePortfolio<BudgetReport>('budget');
  const timeline = usePortfolio<TimelineReport>('timeline', { ...period, limit: 15 });
  const error = counts.error ?? overdue.error ?? due7.error ?? due30.error ?? ending.error ?? dossiers.error ?? budget.error ?? timeline.error;

  const c = counts.data;
  // The stages a task is in (the API lists every stage, most with none).
  const stages = c?.byStage.filter((s) => s.count > 0) ?? [];
  const n = (v: number | undefined) => (v === undefined ? '…' : String(v));
  const vnd = (v: number | undefined) => (v === undefined ? '…' : formatVnd(v, locale));

  return (
    <>
      <Typography.Title level={1} className="page-title">{t('dash.title')}</Typography.Title>
      <Space wrap style={{ marginBottom: 16, justifyContent: 'space-between', width: '100%' }}>
        <Typography.Text type="secondary">{t('dash.lead', { date: formatDate(c?.asOf ?? today) })}</Typography.Text>
        <ExportButtons path="/portfolio/counts" what={t('dash.countsTitle')} />
      </Space>
      <ProblemAlert error={error} />
      {counts.isPending ? <Spin aria-label={t('common.loading')} style={{ display: 'block', margin: '32px auto' }} /> : null}

      <section aria-labelledby="dash-key-figures">
        <h2 id="dash-key-figures" className="visually-hidden">{t('dash.keyFigures')}</h2>
        <div className="figure-grid">
          <Figure to="/tasks" value={n(c?.total)} caption={t('dash.fig.total')} testId="figure-total" />
          <Figure to="/dashboard/overdue" value={n(overdue.data?.total)} caption={t('dash.fig.overdue')} testId="figure-overdue" tone={overdue.data?.total ? 'alert' : undefined} />
          <Figure to="/dashboard/due-soon?days=7" value={n(due7.data?.total)} caption={t('dash.fig.due7')} testId="figure-due7" tone={due7.data?.total ? 'warn' : undefined} />
          <Figure to="/dashboard/due-soon?days=30" value={n(due30.data?.total)} caption={t('dash.fig.due30')} testId="figure-due30" />
          <Figure to="/dashboard/ending-soon" value={n(ending.data?.total)} caption={t('dash.fig.ending', { n: ending.data?.days ?? 60 })} testId="figure-ending" tone={ending.data?.total ? 'warn' : undefined} />
          <Figure to="/dashboard/acceptance-dossiers" value={n(dossiers.data?.total)} caption={t('dash.fig.acceptance')} testId="figure-acceptance" tone={dossiers.data?.total ? 'alert' : undefined} />
          <Figure to="/dashboard/refunds" value={vnd(c?.refunds.owed)} caption={t('dash.fig.refundsOwed', { n: c?.refunds.tasks ?? 0 })} testId="figure-refunds-owed" tone={c?.refunds.outstanding ? 'alert' : undefined} />
          <Figure to="/dashboard/refunds" value={vnd(c?.refunds.recovered)} caption={t('dash.fig.refundsRecovered')} testId="figure-refunds-recovered" tone="good" />
          <Figure to="/dashboard/refunds" value={vnd(c?.refunds.outstanding)} caption={t('dash.fig.refundsOutstanding')} testId="figure-refunds-outstanding" />
          <Figure to="/dashboard/stopped" value={n(c?.stopped.total)} caption={t('dash.fig.stopped')} testId="figure-stopped" />
        </div>
      </section>

      {c ? (
        <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
          <Col xs={24} lg={14}>
            <Section title={t('dash.byStage')} extra={<Link to="/tasks">{t('dash.allTasks')}</Link>}>
              <CountBars data={stages.map((s) => ({ key: s.stage, name: label(STAGES, s.stage, locale), count: s.count, to: `/tasks?stage=${s.stage}`, colour: stageColour(s.stage) }))} />
              <CountList items={stages.map((s) => ({ key: s.stage, name: label(STAGES, s.stage, locale), count: s.count, to: `/tasks?stage=${s.stage}`, testId: `figure-stage-${s.stage}` }))} />
            </Section>
          </Col>
          <Col xs={24} lg={10}>
            <Space direction="vertical" size={16} style={{ width: '100%' }}>
              <Section title={t('dash.byLevel')}>
                <CountBars data={c.byLevel.map((s) => ({ key: s.level, name: label(LEVELS, s.level, locale), count: s.count, to: `/tasks?level=${s.level}` }))} />
                <CountList items={c.byLevel.map((s) => ({ key: s.level, name: label(LEVELS, s.level, locale), count: s.count, to: `/tasks?level=${s.level}`, testId: `figure-level-${s.level}` }))} />
              </Section>
              <Section title={t('dash.byForm')}>
                <CountList items={c.byForm.map((s) => ({ key: s.form, name: label(FORMS, s.form, locale), count: s.count, to: `/tasks?form=${s.form}`, testId: `figure-form-${s.form}` }))} />
              </Section>
              <Section title={t('dash.stoppedTitle')} extra={<ExportButtons path="/portfolio/tasks/stopped" what={t('dash.stoppedTitle')} />}>
                <CountList items={c.stopped.byStage.map((s) => ({ key: s.stage, name: label(STAGES, s.stage, locale), count: s.count, to: '/dashboard/stopped', testId: `figure-stopped-${s.stage}` }))} />
              </Section>
            </Space>
          </Col>

          <Col xs={24}>
            <Section
              title={t('dash.overdueTitle')}
              extra={<ExportButtons path="/portfolio/obligations/overdue" what={t('dash.overdueTitle')} />}
              testId="overdue-section"
            >
              {overdue.data ? <PortfolioTable list="overdue" report={overdue.data} limit={5} /> : null}
              {overdue.data && overdue.data.total > 5 ? <Link to="/dashboard/overdue">{t('dash.seeAll', { n: overdue.data.total })}</Link> : null}
            </Section>
          </Col>

          <Col xs={24} lg={12}>
            <Section title={t('dash.endingTitle')} extra={<ExportButtons path="/portfolio/tasks/ending-soon" what={t('dash.endingTitle')} />}>
              {ending.data ? <PortfolioTable list="ending-soon" report={ending.data} limit={5} /> : null}
              {ending.data && ending.data.total > 5 ? <Link to="/dashboard/ending-soon">{t('dash.seeAll', { n: ending.data.total })}</Link> : null}
            </Section>
          </Col>
          <Col xs={24} lg={12}>
            <Section title={t('dash.refundsTitle')} extra={<ExportButtons path="/portfolio/refunds" what={t('dash.refundsTitle')} />}>
              <ul className="count-list">
                <li><Link to="/dashboard/refunds"><span>{t('dash.fig.refundsOwedShort')}</span><strong>{vnd(c.refunds.owed)}</strong></Link></li>
                <li><Link to="/dashboard/refunds"><span>{t('dash.fig.refundsRecovered')}</span><strong>{vnd(c.refunds.recovered)}</strong></Link></li>
                <li><Link to="/dashboard/refunds"><span>{t('dash.fig.refundsOutstanding')}</span><strong>{vnd(c.refunds.outstanding)}</strong></Link></li>
              </ul>
            </Section>
          </Col>

          <Col xs={24}>
            <Section title={t('dash.budgetTitle')} extra={<ExportButtons path="/portfolio/budget" what={t('dash.budgetTitle')} />}>
              {budget.data ? (
                <>
                  {budget.data.years.length ? <BudgetBars budget={budget.data} /> : null}
                  <PortfolioTable list="budget" report={budget.data} />
                </>
              ) : null}
            </Section>
          </Col>

          <Col xs={24}>
            <Section title={t('dash.timelineTitle')} extra={<ExportButtons path="/portfolio/timeline" query={period} what={t('dash.timelineTitle')} />}>
              {timeline.data ? (
                <>
                  <Typography.Paragraph type="secondary">
                    {t('dash.timelineLead', { from: formatDate(timeline.data.from), to: formatDate(timeline.data.to), n: timeline.data.total })}{' '}
                    <Link to={`/dashboard/timeline?from=${period.from}&to=${period.to}`}>{t('dash.seeAll', { n: timeline.data.total })}</Link>
                  </Typography.Paragraph>
                  {timeline.data.items.length ? <ContractTimeline timeline={timeline.data} /> : <Typography.Text type="secondary">{t('dash.none')}</Typography.Text>}
                </>
              ) : null}
            </Section>
          </Col>
        </Row>
      ) : null}
    </>
  );
}

export default function DashboardPage() {
  return (
    <RequireAuth roles={['manager', 'admin']}>
      <Dashboard />
    </RequireAuth>
  );
}
