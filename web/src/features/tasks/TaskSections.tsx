/** The parts of a task page: "5 rõ" obligations, timeline, funds, documents, files. */
import { DataTable } from '../../components/DataTable';
import { useEffect, useState } from 'react';
import { Button, Descriptions, Empty, Grid, List, Modal, Space, Tag, Timeline, Typography } from 'antd';
import { DownloadOutlined, EyeOutlined, FilePdfOutlined, PaperClipOutlined } from '@ant-design/icons';
import type { DocumentLink, Obligation, TimelineEntry } from '../../api/types';
import type { TaskFile } from '../../api/types';
import type { TaskPageView } from '../../api/queries';
import { useI18n } from '../../i18n/i18n';
import { COMMANDS, OBLIGATION_STATUSES, STAGES, label } from '../../i18n/labels';
import { formatBytes, formatDate, formatDateTime, formatVnd } from '../../i18n/format';
import { DueDate } from '../../components/Tags';

/** A link to an API file: the browser sends the session cookie, the API checks who may read it. */
const apiHref = (url: string) => url;

export function ObligationsTable({ obligations }: { obligations: Obligation[] }) {
  const { t, locale } = useI18n();
  const rows = [...obligations].sort((a, b) => (a.status === 'DONE' ? 1 : 0) - (b.status === 'DONE' ? 1 : 0) || a.dueOn.localeCompare(b.dueOn));
  return (
    <DataTable<Obligation>
      label={t('task.tab.obligations')}
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={rows}
      scroll={{ x: 720 }}
      locale={{ emptyText: <Empty description={t('task.obligations.empty')} /> }}
      columns={[
        { title: t('task.obligations.what'), key: 'what', render: (_, o) => o.deliverable[locale] },
        { title: t('task.obligations.who'), key: 'who', render: (_, o) => o.assigneeName },
        { title: t('task.obligations.due'), key: 'due', render: (_, o) => (o.status === 'DONE' ? formatDate(o.dueOn) : <DueDate on={o.dueOn} overdue={o.status === 'OVERDUE'} />) },
        {
          title: t('task.obligations.status'),
          key: 'status',
          render: (_, o) => <Tag color={{ OPEN: 'blue', DONE: 'green', OVERDUE: 'red', WAIVED: 'default', CANCELLED: 'default' }[o.status]}>{label(OBLIGATION_STATUSES, o.status, locale)}</Tag>,
        },
        { title: t('task.obligations.responsible'), key: 'resp', render: (_, o) => o.accountable?.name ?? <span className="muted">{t('task.obligations.noOfficer')}</span> },
        { title: t('task.obligations.result'), key: 'result', render: (_, o) => o.evidence ?? (o.closedAt ? formatDate(o.closedAt) : '—') },
      ]}
    />
  );
}

export function TimelineList({ timeline }: { timeline: TimelineEntry[] }) {
  const { locale } = useI18n();
  return (
    <Timeline
      mode="start"
      items={[...timeline].reverse().map((e, i) => ({
        key: `${e.at}-${i}`,
        title: formatDateTime(e.at),
        content: (
          <div>
            <strong>{label(STAGES, e.stage, locale)}</strong>
            {e.action ? <span> · {label(COMMANDS, e.action, locale)}</span> : null}
            <div className="muted">{e.by.name}</div>
            {e.note ? <div className="pre-line">{e.note}</div> : null}
          </div>
        ),
      }))}
    />
  );
}

export function FundsCard({ task }: { task: TaskPageView }) {
  const { t, locale } = useI18n();
  const f = task.funds;
  const vnd = (n: number) => formatVnd(n, locale);
  return (
    <>
      <Descriptions column={{ xs: 1, md: 2 }} bordered size="small">
        <Descriptions.Item label={t('task.funds.requestedState')}>{vnd(task.proposal.budget.stateBudget)}</Descriptions.Item>
        <Descriptions.Item label={t('task.funds.requestedOther')}>{vnd(task.proposal.budget.otherSources)}</Descriptions.Item>
        <Descriptions.Item label={t('task.funds.approvedState')}>{f.approvedState ? vnd(f.approvedState) : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('task.funds.approvedOther')}>{f.approvedOther ? vnd(f.approvedOther) : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('task.funds.disbursed')}>{vnd(f.disbursed)}</Descriptions.Item>
        <Descriptions.Item label={t('task.funds.refunded')}>{vnd(f.refunded)}</Descriptions.Item>
        {f.refundDue ? (
          <Descriptions.Item label={t('task.funds.refundDue')} span={2}>
            <strong>{vnd(f.refundDue.total)}</strong> <span className="muted">({f.refundDue.basis[locale]})</span>
          </Descriptions.Item>
        ) : null}
        {(f.writtenOff ?? []).map((w) => (
          <Descriptions.Item key={`${w.decisionNumber}-${w.on}`} label={t('task.funds.writtenOff')} span={2}>
            <strong>{vnd(w.amount)}</strong> — {t('task.funds.writtenOffBy', { number: w.decisionNumber, date: formatDate(w.decidedOn) })}. <span className="muted">{w.grounds}</span>
          </Descriptions.Item>
        ))}
      </Descriptions>
      {f.disbursements.length ? (
        <DataTable
          label={t('task.funds.disbursementOn')}
          style={{ marginTop: 16 }}
          size="small"
          pagination={false}
          rowKey={(r) => `${r.on}-${r.amount}-${r.note ?? ''}`}
          dataSource={f.disbursements}
          columns={[
            { title: t('task.funds.disbursementOn'), key: 'on', render: (_, r) => formatDate(r.on) },
            { title: t('task.funds.amount'), key: 'amount', align: 'right', render: (_, r) => vnd(r.amount) },
            { title: t('common.note'), key: 'note', render: (_, r) => r.note ?? '' },
          ]}
        />
      ) : null}
    </>
  );
}

/** A PDF shown in the page (fetched with the session, so it is never public). */
export function PdfPreview({ doc, onClose }: { doc: { title: string; url: string }; onClose: () => void }) {
  const { t } = useI18n();
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let url: string | undefined;
    let cancelled = false;
    fetch(apiHref(doc.url), { credentials: 'same-origin' })
      .then(async (r) => {
        if (!r.ok) throw new Error(String(r.status));
        const blob = new Blob([await r.arrayBuffer()], { type: 'application/pdf' });
        if (cancelled) return;
        url = URL.createObjectURL(blob);
        setSrc(url);
      })
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [doc.url]);
  return (
    <Modal open title={doc.title} onCancel={onClose} footer={<Button href={apiHref(doc.url)} download icon={<DownloadOutlined />}>{t('task.documents.download')}</Button>} width={960} styles={{ body: { height: '75vh' } }}>
      {failed ? <Empty description={t('task.documents.previewFailed')} /> : src ? <iframe title={doc.title} src={src} style={{ width: '100%', height: '100%', border: 0 }} /> : null}
    </Modal>
  );
}

export function DocumentsList({ documents }: { documents: DocumentLink[] }) {
  const { t } = useI18n();
  // On a phone the actions go under the title, which keeps the width.
  const phone = !Grid.useBreakpoint().md;
  const [preview, setPreview] = useState<DocumentLink | null>(null);
  if (!documents.length) return <Empty description={t('task.documents.empty')} />;
  return (
    <>
      <List
        itemLayout={phone ? 'vertical' : 'horizontal'}
        dataSource={[...documents].reverse()}
        renderItem={(d) => (
          <List.Item
            id={d.documentId}
            actions={[
              <Button key="view" type="link" icon={<EyeOutlined />} onClick={() => setPreview(d)} aria-label={t('task.documents.viewNamed', { name: d.title })}>{t('task.documents.view')}</Button>,
              <a key="dl" href={apiHref(d.url)} download aria-label={t('task.documents.downloadNamed', { name: d.title })}><DownloadOutlined /> {t('task.documents.download')}</a>,
            ]}
          >
            <List.Item.Meta
              avatar={<FilePdfOutlined style={{ fontSize: 22, color: '#c0262d' }} aria-hidden />}
              title={d.title}
              description={
                <Space size="small" wrap>
                  {d.number ? <span>{t('task.documents.number', { n: d.number })}</span> : null}
                  <span>{formatDateTime(d.createdAt)}</span>
                </Space>
              }
            />
          </List.Item>
        )}
      />
      {preview ? <PdfPreview doc={preview} onClose={() => setPreview(null)} /> : null}
    </>
  );
}

export function FilesList({ files }: { files: TaskFile[] | undefined }) {
  const { t, locale } = useI18n();
  const phone = !Grid.useBreakpoint().md;
  if (!files?.length) return <Empty description={t('files.none')} />;
  return (
    <List
      itemLayout={phone ? 'vertical' : 'horizontal'}
      dataSource={[...files].reverse()}
      renderItem={(f) => (
        <List.Item actions={[<a key="dl" href={apiHref(f.url)} download aria-label={t('task.documents.downloadNamed', { name: f.filename })}><DownloadOutlined /> {t('task.documents.download')}</a>]}>
          <List.Item.Meta
            avatar={<PaperClipOutlined style={{ fontSize: 20 }} aria-hidden />}
            title={f.filename}
            description={
              <Typography.Text type="secondary">
                {formatBytes(f.size, locale)} · {f.command === 'fileProposal' ? t('files.withProposal') : label(COMMANDS, f.command, locale)}{f.dossierId ? ` ${f.dossierId}` : ''} · {f.uploadedBy.name} · {formatDateTime(f.uploadedAt)}
              </Typography.Text>
            }
          />
        </List.Item>
      )}
    />
  );
}
