/**
 * Open data, for anyone (GET /public/open-data): the approved, ongoing and finished tasks with
 * the fields a citizen may reuse, the licence and the date of extraction, and the two downloads
 * (CSV, JSON) with stable field names. Never an e-mail address, a phone, a ballot or a council
 * member: the API leaves them out, the page shows what it gives.
 */
import { useMemo, useState } from 'react';
import { Button, Card, Input, Space, Spin, Typography } from 'antd';
import { FileTextOutlined, CodeOutlined } from '@ant-design/icons';
import { useOpenData } from '../../api/queries';
import type { OpenData } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { formatDate, formatDateTime, formatVnd } from '../../i18n/format';
import { FORMS, LEVELS, label } from '../../i18n/labels';
import { DataTable } from '../../components/DataTable';
import { ProblemAlert } from '../../components/ProblemAlert';
import { usePageTitle } from '../../components/usePageTitle';
import { StageTag } from '../../components/Tags';

type Item = OpenData['items'][number];
const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/gi, 'd').toLowerCase();

export default function OpenDataPage() {
  const { t, locale } = useI18n();
  usePageTitle(t('openData.title'));
  const data = useOpenData();
  const [q, setQ] = useState('');
  const items = useMemo(() => {
    const all = data.data?.items ?? [];
    if (!q.trim()) return all;
    const words = fold(q).split(/\s+/).filter(Boolean);
    return all.filter((i) => {
      const hay = fold(`${i.code} ${i.title} ${i.hostOrganisation ?? ''} ${i.principalInvestigator ?? ''}`);
      return words.every((w) => hay.includes(w));
    });
  }, [data.data, q]);
  return (
    <>
      <Typography.Title level={1} className="page-title">{t('openData.title')}</Typography.Title>
      <Typography.Paragraph style={{ maxWidth: 760 }}>{t('openData.lead')}</Typography.Paragraph>
      <ProblemAlert error={data.error} />
      <Card>
        <Space direction="vertical" size={12} style={{ width: '100%' }}>
          <Space wrap>
            <Button type="primary" icon={<FileTextOutlined aria-hidden />} href="/api/v1/public/open-data?format=csv" download>{t('openData.csv')}</Button>
            <Button icon={<CodeOutlined aria-hidden />} href="/api/v1/public/open-data?format=json" download="du-lieu-mo.json">{t('openData.json')}</Button>
          </Space>
          {data.data ? (
            <Typography.Paragraph type="secondary" style={{ margin: 0 }} data-testid="open-data-meta">
              {t('openData.meta', { publisher: data.data.publisher, at: formatDateTime(data.data.extractedAt), n: data.data.items.length })}{' '}
              {t('openData.licence')} <a href={data.data.licence.url} target="_blank" rel="noreferrer">{data.data.licence.name}</a>.
            </Typography.Paragraph>
          ) : null}
          <Input.Search aria-label={t('openData.search')} placeholder={t('openData.search')} allowClear onChange={(e) => setQ(e.target.value)} style={{ maxWidth: 420 }} />
          {data.isPending ? <Spin aria-label={t('common.loading')} /> : (
            <DataTable<Item>
              label={t('openData.title')}
              size="small"
              rowKey="code"
              dataSource={items}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              locale={{ emptyText: <span className="muted">{t('openData.empty')}</span> }}
              columns={[
                { key: 'task', title: t('openData.col.task'), render: (_: unknown, r: Item) => <div><strong>{r.title}</strong><div className="muted" style={{ fontSize: 13 }}>{r.code} · {label(LEVELS, r.level, locale)} · {label(FORMS, r.form, locale)}</div></div> },
                { key: 'host', title: t('openData.col.host'), responsive: ['md'], render: (_: unknown, r: Item) => <div>{r.hostOrganisation ?? '—'}<div className="muted" style={{ fontSize: 13 }}>{r.principalInvestigator ?? ''}</div></div> },
                { key: 'period', title: t('openData.col.period'), responsive: ['lg'], render: (_: unknown, r: Item) => (r.startDate || r.endDate ? `${formatDate(r.startDate)} – ${formatDate(r.endDate)}` : '—') },
                { key: 'budget', title: t('openData.col.budget'), align: 'right' as const, responsive: ['md'], render: (_: unknown, r: Item) => formatVnd(r.stateBudgetVnd, locale) },
                { key: 'stage', title: t('openData.col.stage'), render: (_: unknown, r: Item) => <StageTag stage={r.stage} /> },
                { key: 'results', title: t('openData.col.results'), align: 'right' as const, responsive: ['lg'], render: (_: unknown, r: Item) => r.resultsRegistered },
              ]}
            />
          )}
        </Space>
      </Card>
    </>
  );
}
