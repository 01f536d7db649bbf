/**
 * The list behind one of the dashboard's figures (overdue obligations, refunds, stopped tasks,
 * …), every row the API gives, with its CSV and XLSX download: what a figure counts, a reader
 * can see line by line.
 */
import { Breadcrumb, Card, Space, Spin, Typography } from 'antd';
import { Link, useParams, useSearchParams } from 'react-router';
import { usePortfolio } from '../../api/queries';
import { useI18n } from '../../i18n/i18n';
import { formatDate } from '../../i18n/format';
import { DataTable } from '../../components/DataTable';
import { ProblemAlert } from '../../components/ProblemAlert';
import { usePageTitle } from '../../components/usePageTitle';
import { RequireAuth } from '../auth/session';
import NotFoundPage from '../../app/NotFoundPage';
import { ExportButtons } from './ExportButtons';
import { isListName, LISTS, type ListName } from './lists';

export function PortfolioTable({ list, report, limit }: { list: ListName; report: unknown; limit?: number }) {
  const { t, locale } = useI18n();
  const spec = LISTS[list];
  const rows = spec.rows(report);
  return (
    <DataTable<Record<string, unknown>>
      label={t(spec.title)}
      size="small"
      rowKey={(r) => spec.rowKey(r, 0)}
      dataSource={limit ? rows.slice(0, limit) : rows}
      pagination={limit ? false : { pageSize: 50, hideOnSinglePage: true }}
      // At least 640 px wide: on a phone it scrolls inside its box (titles still wrap), never the page.
      scroll={{ x: 640 }}
      locale={{ emptyText: <span className="muted">{t('dash.emptyList')}</span> }}
      columns={spec.columns(t, locale).map((c) => ({ key: c.key, title: c.title, render: (_: unknown, r: Record<string, unknown>) => c.render(r), ...(c.responsive ? { responsive: c.responsive } : {}), ...(c.align ? { align: c.align } : {}), ...(c.width ? { width: c.width } : {}) }))}
    />
  );
}

function PortfolioList({ list }: { list: ListName }) {
  const { t } = useI18n();
  const spec = LISTS[list];
  const [params] = useSearchParams();
  const query = spec.query(params);
  const title = list === 'due-soon' ? t('dash.list.dueSoonDays', { n: query.days ?? 30 }) : t(spec.title);
  usePageTitle(title);
  const report = usePortfolio<Record<string, unknown>>(spec.path, query);
  const { limit: _limit, ...exportQuery } = query;
  return (
    <>
      <Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/dashboard">{t('dash.title')}</Link> }, { title }]} />
      <Typography.Title level={1} className="page-title">{title}</Typography.Title>
      <Typography.Paragraph style={{ maxWidth: 760 }}>{t(spec.lead)}</Typography.Paragraph>
      <ProblemAlert error={report.error} />
      <Card
        title={report.data ? <span data-testid="list-total">{t('dash.rows', { n: spec.total(report.data) })}</span> : null}
        extra={<ExportButtons path={`/portfolio/${spec.path}`} query={exportQuery} what={title} />}
      >
        {report.isPending ? <Spin aria-label={t('common.loading')} /> : report.data ? (
          <Space direction="vertical" style={{ width: '100%' }}>
            {'asOf' in report.data ? <Typography.Text type="secondary">{t('dash.asOf', { date: formatDate(String(report.data.asOf)) })}</Typography.Text> : null}
            <PortfolioTable list={list} report={report.data} />
          </Space>
        ) : null}
      </Card>
    </>
  );
}

export default function PortfolioListPage() {
  const { list } = useParams();
  if (!isListName(list)) return <NotFoundPage />;
  return (
    <RequireAuth roles={['manager', 'admin']}>
      <PortfolioList list={list} />
    </RequireAuth>
  );
}
