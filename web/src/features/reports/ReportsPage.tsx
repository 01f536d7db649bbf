/**
 * The six-month portfolio report (§8) for a period the officer picks: downloaded as the PDF the
 * Department sends or as a spreadsheet, straight from the API with the session.
 */
import { useState } from 'react';
import { Button, Card, DatePicker, Form, Space, Typography } from 'antd';
import { DownloadOutlined, FilePdfOutlined, FileExcelOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useI18n } from '../../i18n/i18n';
import { formatDate, todayInVietnam } from '../../i18n/format';
import { usePageTitle } from '../../components/usePageTitle';
import { RequireAuth } from '../auth/session';

/** The last half-year that has ended: 1 January – 30 June or 1 July – 31 December. */
export function lastHalfYear(today: string): [string, string] {
  const [y, m] = today.split('-').map(Number) as [number, number];
  return m >= 7 ? [`${y}-01-01`, `${y}-06-30`] : [`${y - 1}-07-01`, `${y - 1}-12-31`];
}

function Reports() {
  const { t } = useI18n();
  usePageTitle(t('reports.title'));
  const [from0, to0] = lastHalfYear(todayInVietnam());
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs(from0), dayjs(to0)]);
  const href = (format: 'pdf' | 'xlsx') => `/api/v1/portfolio/reports/six-month?from=${range[0].format('YYYY-MM-DD')}&to=${range[1].format('YYYY-MM-DD')}&format=${format}`;
  return (
    <>
      <Typography.Title level={1} className="page-title">{t('reports.title')}</Typography.Title>
      <Card title={<h2 className="card-heading">{t('reports.sixMonth')}</h2>}>
        <Typography.Paragraph>{t('reports.sixMonthLead')}</Typography.Paragraph>
        <Form layout="vertical">
          <Form.Item label={t('reports.period')} htmlFor="report-period">
            <DatePicker.RangePicker id={{ start: 'report-period' }} format="DD/MM/YYYY" value={range} allowClear={false} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} />
          </Form.Item>
        </Form>
        <Typography.Paragraph type="secondary">{t('reports.periodIs', { from: formatDate(range[0].format('YYYY-MM-DD')), to: formatDate(range[1].format('YYYY-MM-DD')) })}</Typography.Paragraph>
        <Space wrap>
          <Button type="primary" icon={<FilePdfOutlined />} href={href('pdf')} download>{t('reports.pdf')}</Button>
          <Button icon={<FileExcelOutlined />} href={href('xlsx')} download>{t('reports.xlsx')}</Button>
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}><DownloadOutlined aria-hidden /> {t('reports.note')}</Typography.Paragraph>
      </Card>
    </>
  );
}

export default function ReportsPage() {
  return (
    <RequireAuth roles={['manager', 'admin']}>
      <Reports />
    </RequireAuth>
  );
}
