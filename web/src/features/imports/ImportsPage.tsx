/**
 * Bringing sheets in, for the Department: the tasks under way (POST /portfolio/imports) and, for
 * the admin, council members in bulk (POST /users/imports). Each goes upload → dry run (a table
 * of every row's outcome, with each bad cell's column and reason; nothing is written) → run
 * (the tasks' import is a job: a progress bar until it is done). Below, the read models'
 * reconciliation: the last run and a button to run it now. The API checks every row; the page
 * shows what it answered.
 */
import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Progress, Space, Spin, Tag, Typography, Upload } from 'antd';
import { CheckOutlined, FileExcelOutlined, FileTextOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { uploadFiles, type UploadedFile } from '../../api/client';
import { usePortfolioImport, usePortfolioImportJob, useReconciliation, useRunReconciliation, useUserImport } from '../../api/queries';
import type { PortfolioImportJob, PortfolioImportPreview, ReconciliationRun, UserImportReport } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { formatBytes, formatDateTime } from '../../i18n/format';
import { DataTable } from '../../components/DataTable';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useIdempotencyKey } from '../../components/useIdempotencyKey';
import { usePageTitle } from '../../components/usePageTitle';
import { RequireAuth, useSession } from '../auth/session';
import type { MessageKey } from '../../i18n/messages';

type ImportRow = PortfolioImportPreview['rows'][number];
type UserRow = UserImportReport['rows'][number];

const OUTCOME_TONE: Record<string, string> = {
  imported: 'green',
  created: 'green',
  updated: 'blue',
  already_imported: 'default',
  unchanged: 'default',
  would_import: 'blue',
  would_create: 'blue',
  would_update: 'blue',
  invalid: 'red',
  refused: 'red',
};

function Outcome({ outcome }: { outcome: string }) {
  const { t } = useI18n();
  return <Tag color={OUTCOME_TONE[outcome] ?? 'default'}>{t(`imports.outcome.${outcome}` as MessageKey)}</Tag>;
}

function RowErrors({ errors, refusal }: { errors?: { column: string; reason: string }[] | undefined; refusal?: { rule: string; reason: string } | undefined }) {
  if (!errors?.length && !refusal) return <span className="muted">—</span>;
  return (
    <ul style={{ margin: 0, paddingInlineStart: 18 }}>
      {errors?.map((e, i) => (
        <li key={i}><code>{e.column}</code>: {e.reason}</li>
      ))}
      {refusal ? <li>{refusal.reason} <span className="muted">({refusal.rule})</span></li> : null}
    </ul>
  );
}

/** The blank sheet to fill in (GET /portfolio/import-templates/{name}), as XLSX or CSV. */
function Templates({ name }: { name: 'danh-muc-nhiem-vu' | 'thanh-vien-hoi-dong' }) {
  const { t } = useI18n();
  return (
    <Space wrap size="small" style={{ marginBottom: 8 }}>
      <Typography.Text>{t('imports.template')}</Typography.Text>
      <Button size="small" icon={<FileExcelOutlined aria-hidden />} href={`/api/v1/portfolio/import-templates/${name}.xlsx`} download aria-label={t('imports.templateOf', { format: 'XLSX' })}>XLSX</Button>
      <Button size="small" icon={<FileTextOutlined aria-hidden />} href={`/api/v1/portfolio/import-templates/${name}.csv`} download aria-label={t('imports.templateOf', { format: 'CSV' })}>CSV</Button>
    </Space>
  );
}

/** One sheet chosen and uploaded (XLSX or CSV): the API checks its content. */
function SheetUpload({ id, value, onChange }: { id: string; value: UploadedFile | null; onChange: (f: UploadedFile | null) => void }) {
  const { t, locale } = useI18n();
  const [busy, setBusy] = useState(0);
  const [error, setError] = useState<unknown>(null);
  return (
    <div>
      <Upload
        accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
        showUploadList={false}
        maxCount={1}
        beforeUpload={(file) => {
          setError(null);
          onChange(null);
          setBusy(0.01);
          uploadFiles([file as File], (s) => setBusy(Math.max(0.01, s)))
            .then(([f]) => onChange(f ?? null))
            .catch(setError)
            .finally(() => setBusy(0));
          return false;
        }}
      >
        <Button id={id} icon={<UploadOutlined aria-hidden />}>{t('imports.choose')}</Button>
      </Upload>
      {busy ? <Progress percent={Math.round(busy * 100)} size="small" aria-label={t('imports.uploading')} style={{ maxWidth: 320 }} /> : null}
      {value ? <Typography.Paragraph style={{ margin: '8px 0 0' }} data-testid={`${id}-file`}><CheckOutlined aria-hidden /> {value.filename} <Typography.Text type="secondary">({formatBytes(value.size, locale)})</Typography.Text></Typography.Paragraph> : null}
      <div style={{ marginTop: 8 }}><ProblemAlert error={error} /></div>
    </div>
  );
}

function Counts({ counts }: { counts: Record<string, number> }) {
  const { t } = useI18n();
  return (
    <Space wrap data-testid="import-counts">
      {Object.entries(counts)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => (
          <Tag key={k} color={OUTCOME_TONE[k] ?? 'default'}>{t(`imports.outcome.${k}` as MessageKey)}: {n}</Tag>
        ))}
    </Space>
  );
}

function PortfolioRows({ rows }: { rows: ImportRow[] }) {
  const { t } = useI18n();
  return (
    <DataTable<ImportRow>
      label={t('imports.rows')}
      size="small"
      rowKey="row"
      dataSource={rows}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      columns={[
        { key: 'row', title: t('imports.col.row'), render: (_: unknown, r: ImportRow) => r.row },
        { key: 'task', title: t('imports.col.task'), render: (_: unknown, r: ImportRow) => <div>{r.taskId ? <Link to={`/tasks/${encodeURIComponent(r.taskId)}`}>{r.title ?? r.taskId}</Link> : (r.title ?? '—')}<div className="muted" style={{ fontSize: 13 }}>{r.code}</div></div> },
        { key: 'outcome', title: t('imports.col.outcome'), render: (_: unknown, r: ImportRow) => <Outcome outcome={r.outcome} /> },
        { key: 'errors', title: t('imports.col.errors'), render: (_: unknown, r: ImportRow) => <RowErrors errors={r.errors} refusal={r.refusal} /> },
      ]}
    />
  );
}

function PortfolioImport() {
  const { t } = useI18n();
  const [sheet, setSheet] = useState<UploadedFile | null>(null);
  const [preview, setPreview] = useState<PortfolioImportPreview | null>(null);
  const [importId, setImportId] = useState<string>();
  const post = usePortfolioImport();
  const job = usePortfolioImportJob(importId);
  const keyFor = useIdempotencyKey();
  const j: PortfolioImportJob | undefined = job.data;

  const send = async (dryRun: boolean) => {
    if (!sheet) return;
    const body = { uploadId: sheet.uploadId, dryRun };
    try {
      const r = await post.mutateAsync({ ...body, idempotencyKey: keyFor(body) });
      if ('importId' in r) setImportId(r.importId);
      else setPreview(r);
    } catch {
      /* shown below */
    }
  };

  return (
    <Card title={<h2 className="card-heading">{t('imports.portfolio')}</h2>} data-testid="portfolio-import">
      <Typography.Paragraph>{t('imports.portfolioLead')}</Typography.Paragraph>
      <ol className="steps">
        <li>
          <label htmlFor="portfolio-sheet" className="step-label">{t('imports.step.upload')}</label>
          <Templates name="danh-muc-nhiem-vu" />
          <SheetUpload id="portfolio-sheet" value={sheet} onChange={(f) => { setSheet(f); setPreview(null); setImportId(undefined); post.reset(); }} />
        </li>
        <li>
          <span className="step-label">{t('imports.step.check')}</span>
          <Button disabled={!sheet} loading={post.isPending && post.variables?.dryRun} onClick={() => void send(true)}>{t('imports.dryRun')}</Button>
          {preview ? (
            <div style={{ marginTop: 12 }}>
              <Typography.Paragraph>{t('imports.previewLead', { n: preview.total, file: preview.file.filename })}</Typography.Paragraph>
              <Counts counts={preview.counts} />
              <div style={{ marginTop: 8 }}><PortfolioRows rows={preview.rows} /></div>
            </div>
          ) : null}
        </li>
        <li>
          <span className="step-label">{t('imports.step.run')}</span>
          <Button type="primary" disabled={!sheet || !preview || Boolean(importId)} loading={post.isPending && post.variables?.dryRun === false} onClick={() => void send(false)}>{t('imports.run')}</Button>
          {preview && preview.counts.invalid + preview.counts.refused > 0 ? <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>{t('imports.runSkipsInvalid')}</Typography.Paragraph> : null}
          {j ? (
            <div style={{ marginTop: 12 }} data-testid="import-job">
              {j.repeated ? <Alert type="info" showIcon style={{ marginBottom: 8 }} title={t('imports.repeated')} /> : null}
              <Progress
                percent={j.progress.total ? Math.round((j.progress.done / j.progress.total) * 100) : j.status === 'done' ? 100 : 0}
                status={j.status === 'failed' ? 'exception' : j.status === 'done' ? 'success' : 'active'}
                aria-label={t('imports.progress')}
              />
              <Typography.Paragraph data-testid="import-status">{t(`imports.status.${j.status}` as MessageKey)} · {t('imports.progressText', { done: j.progress.done, total: j.progress.total })}</Typography.Paragraph>
              {j.error ? <Alert type="error" showIcon title={j.error} style={{ marginBottom: 8 }} /> : null}
              <Counts counts={j.counts} />
              <div style={{ marginTop: 8 }}><PortfolioRows rows={j.rows} /></div>
            </div>
          ) : null}
        </li>
      </ol>
      <ProblemAlert error={post.error ?? job.error} />
    </Card>
  );
}

function UserImport() {
  const { t } = useI18n();
  const [sheet, setSheet] = useState<UploadedFile | null>(null);
  const [report, setReport] = useState<UserImportReport | null>(null);
  const post = useUserImport();
  const keyFor = useIdempotencyKey();
  const send = async (dryRun: boolean) => {
    if (!sheet) return;
    const body = { uploadId: sheet.uploadId, dryRun };
    try {
      setReport(await post.mutateAsync({ ...body, idempotencyKey: keyFor(body) }));
    } catch {
      /* shown below */
    }
  };
  return (
    <Card title={<h2 className="card-heading">{t('imports.members')}</h2>} data-testid="member-import">
      <Typography.Paragraph>{t('imports.membersLead')}</Typography.Paragraph>
      <ol className="steps">
        <li>
          <label htmlFor="member-sheet" className="step-label">{t('imports.step.upload')}</label>
          <Templates name="thanh-vien-hoi-dong" />
          <SheetUpload id="member-sheet" value={sheet} onChange={(f) => { setSheet(f); setReport(null); post.reset(); }} />
        </li>
        <li>
          <span className="step-label">{t('imports.step.checkRun')}</span>
          <Space wrap>
            <Button disabled={!sheet} loading={post.isPending && post.variables?.dryRun} onClick={() => void send(true)}>{t('imports.dryRun')}</Button>
            <Button type="primary" disabled={!sheet || !report?.dryRun} loading={post.isPending && post.variables?.dryRun === false} onClick={() => void send(false)}>{t('imports.runMembers')}</Button>
          </Space>
        </li>
      </ol>
      <ProblemAlert error={post.error} />
      {report ? (
        <div data-testid="member-report">
          <Typography.Paragraph>{report.dryRun ? t('imports.membersDry', { file: report.file.filename }) : t('imports.membersDone', { file: report.file.filename })}</Typography.Paragraph>
          <Counts counts={report.counts} />
          <DataTable<UserRow>
            label={t('imports.rows')}
            size="small"
            rowKey="row"
            style={{ marginTop: 8 }}
            dataSource={report.rows}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            columns={[
              { key: 'row', title: t('imports.col.row'), render: (_: unknown, r: UserRow) => r.row },
              { key: 'who', title: t('imports.col.person'), render: (_: unknown, r: UserRow) => <div>{r.name ?? '—'}<div className="muted" style={{ fontSize: 13 }}>{r.email}</div></div> },
              { key: 'outcome', title: t('imports.col.outcome'), render: (_: unknown, r: UserRow) => <Outcome outcome={r.outcome} /> },
              { key: 'errors', title: t('imports.col.errors'), render: (_: unknown, r: UserRow) => <RowErrors errors={r.errors} /> },
            ]}
          />
        </div>
      ) : null}
    </Card>
  );
}

function RunSummary({ run }: { run: ReconciliationRun }) {
  const { t } = useI18n();
  return (
    <div data-testid="reconciliation-run">
      <Typography.Paragraph style={{ marginBottom: 4 }}>
        <Tag color={run.status === 'done' ? 'green' : run.status === 'failed' ? 'red' : 'blue'}>{t(`imports.status.${run.status}` as MessageKey)}</Tag>
        {run.dryRun ? <Tag>{t('reconcile.dryRunTag')}</Tag> : null}
        {t('reconcile.runBy', { who: run.by.name, at: formatDateTime(run.finishedAt ?? run.startedAt ?? run.createdAt) })}
      </Typography.Paragraph>
      <Typography.Paragraph data-testid="reconciliation-figures">
        {t('reconcile.figures', { scanned: run.progress.scanned, inSync: run.inSync, drifted: run.drifted, repaired: run.repaired })}
      </Typography.Paragraph>
      {run.error ? <Alert type="error" showIcon title={run.error} /> : null}
      {run.repairs.length ? (
        <ul>
          {run.repairs.map((r) => (
            <li key={r.taskId}>
              <Link to={`/tasks/${encodeURIComponent(r.taskId)}`}>{r.taskId}</Link>: {[r.task && t('reconcile.task', { drift: r.task }), r.portfolio && t('reconcile.portfolio', { drift: r.portfolio })].filter(Boolean).join('; ') || t('reconcile.obligations')} · {r.repaired ? t('reconcile.repaired') : t('reconcile.notRepaired')}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function Reconciliation() {
  const { t } = useI18n();
  const status = useReconciliation();
  const run = useRunReconciliation();
  const keyFor = useIdempotencyKey();
  const [dryRun, setDryRun] = useState(false);
  const [nonce, setNonce] = useState(0);
  const last = status.data?.lastRun;
  const running = last?.status === 'queued' || last?.status === 'running';
  return (
    <Card title={<h2 className="card-heading">{t('reconcile.title')}</h2>} data-testid="reconciliation">
      <Typography.Paragraph>{t('reconcile.lead')}</Typography.Paragraph>
      <ProblemAlert error={status.error ?? run.error} />
      {status.isPending ? <Spin aria-label={t('common.loading')} /> : last ? <RunSummary run={last} /> : <Typography.Paragraph type="secondary">{t('reconcile.never')}</Typography.Paragraph>}
      {last && status.data?.lastCompletedRun && status.data.lastCompletedRun.runId !== last.runId ? (
        <Typography.Paragraph type="secondary">{t('reconcile.lastCompleted', { at: formatDateTime(status.data.lastCompletedRun.finishedAt), drifted: status.data.lastCompletedRun.drifted })}</Typography.Paragraph>
      ) : null}
      <Space wrap>
        <Checkbox checked={dryRun} onChange={(e) => setDryRun(e.target.checked)}>{t('reconcile.dryRun')}</Checkbox>
        <Button
          type="primary"
          icon={<ReloadOutlined aria-hidden />}
          loading={run.isPending || running}
          onClick={() => {
            const body = { dryRun, nonce };
            run.mutate({ dryRun, idempotencyKey: keyFor(body) }, { onSettled: () => setNonce((n) => n + 1) });
          }}
        >
          {running ? t('reconcile.running') : t('reconcile.runNow')}
        </Button>
      </Space>
    </Card>
  );
}

function Imports() {
  const { t } = useI18n();
  const { user } = useSession();
  usePageTitle(t('imports.title'));
  return (
    <>
      <Typography.Title level={1} className="page-title">{t('imports.title')}</Typography.Title>
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <PortfolioImport />
        {user?.role === 'admin' ? <UserImport /> : null}
        <Reconciliation />
      </Space>
    </>
  );
}

export default function ImportsPage() {
  return (
    <RequireAuth roles={['manager', 'admin']}>
      <Imports />
    </RequireAuth>
  );
}
