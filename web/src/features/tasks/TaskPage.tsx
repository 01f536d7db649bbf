/**
 * One task as its people follow it: where it is (stage and phases), what they may do now
 * (the API's allowed actions, each a form), who owes what by when ("5 rõ"), what happened,
 * the money, the official documents and the files.
 */
import { Alert, Card, Col, Collapse, Descriptions, Grid, Result, Row, Skeleton, Space, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { useTask, type TaskPageView } from '../../api/queries';
import { ApiError } from '../../api/client';
import type { Stage } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { COUNCIL_KINDS, COUNCIL_STATUSES, FORMS, LEVELS, OUTCOMES, label } from '../../i18n/labels';
import { formatDate, formatDateTime, formatVnd } from '../../i18n/format';
import { DueDate, StageTag } from '../../components/Tags';
import { ProblemAlert } from '../../components/ProblemAlert';
import { usePageTitle } from '../../components/usePageTitle';
import { InfoList } from '../../components/InfoList';
import { ButtonLink } from '../../components/ButtonLink';
import { RequireAuth, useSession } from '../auth/session';
import { StageStepper } from './StageStepper';
import { ActionsPanel } from './actions';
import { DocumentsList, FilesList, FundsCard, ObligationsTable, TimelineList } from './TaskSections';

function Overview({ task }: { task: TaskPageView }) {
  const { t, locale } = useI18n();
  const { user } = useSession();
  const canOpenCouncils = user?.role === 'manager' || user?.role === 'admin';
  const p = task.proposal;
  return (
    <InfoList>
      <InfoList.Item label={t('proposal.field.urgency')}><span className="pre-line">{p.urgency}</span></InfoList.Item>
      <InfoList.Item label={t('proposal.field.objectives')}><span className="pre-line">{p.objectives}</span></InfoList.Item>
      <InfoList.Item label={t('proposal.field.products')}>
        <ol style={{ margin: 0, paddingInlineStart: 20 }}>{p.expectedProducts.map((x, i) => <li key={i}>{x}</li>)}</ol>
      </InfoList.Item>
      <InfoList.Item label={t('proposal.field.resultUsage')}><span className="pre-line">{p.resultUsage}</span></InfoList.Item>
      <InfoList.Item label={t('proposal.field.duration')}>{p.durationMonths} {t('common.months')}</InfoList.Item>
      <InfoList.Item label={t('task.requestedBudget')}>
        {formatVnd(p.budget.stateBudget, locale)} ({t('task.stateBudget')}) + {formatVnd(p.budget.otherSources, locale)} ({t('task.otherSources')})
      </InfoList.Item>
      <InfoList.Item label={t('task.proposer')}>{p.proposer.name}, {p.proposer.organisation}</InfoList.Item>
      {task.contract?.startOn ? (
        <InfoList.Item label={t('task.contractPeriod')}>
          {formatDate(task.contract.startOn)} – {formatDate(task.contract.endOn)}
          {task.contract.originalEndOn && task.contract.originalEndOn !== task.contract.endOn ? <span className="muted"> ({t('task.extendedFrom', { date: formatDate(task.contract.originalEndOn) })})</span> : null}
        </InfoList.Item>
      ) : null}
      {task.call ? (
        <InfoList.Item label={t('task.call')}>
          {t('task.callWindow', { from: formatDate(task.call.opensOn), to: formatDate(task.call.closesOn) })}
          {task.call.dossiers.length ? (
            <ul style={{ margin: '8px 0 0', paddingInlineStart: 20 }}>
              {task.call.dossiers.map((d) => (
                <li key={d.dossierId}><strong>{d.dossierId}</strong> · {d.host.orgName} · {formatDateTime(d.submittedAt)}</li>
              ))}
            </ul>
          ) : null}
        </InfoList.Item>
      ) : null}
      {task.councilSittings.length ? (
        <InfoList.Item label={t('task.councils')}>
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {task.councilSittings.map((c) => (
              <li key={c.councilId}>
                {/* The Department's staff open the sitting; applicants and hosts see its state only. */}
                {canOpenCouncils ? <Link to={`/councils/${encodeURIComponent(c.councilId)}`}>{label(COUNCIL_KINDS, c.kind, locale)}</Link> : label(COUNCIL_KINDS, c.kind, locale)} · {label(COUNCIL_STATUSES, c.status, locale)}
                {c.outcome ? ` · ${label(OUTCOMES, c.outcome, locale)}` : ''} · {formatDate(c.formedAt)}
              </li>
            ))}
          </ul>
        </InfoList.Item>
      ) : null}
    </InfoList>
  );
}

function TaskDetail({ taskId }: { taskId: string }) {
  const { t, locale } = useI18n();
  const q = useTask(taskId);
  const task = q.data;
  usePageTitle(task?.title ?? taskId);
  // An e-mail's link to a document (/tasks/{taskId}#doc-…) opens the documents with that one in view.
  const { hash } = useLocation();
  const phone = !Grid.useBreakpoint().md;
  const [tab, setTab] = useState(hash.startsWith('#doc-') ? 'documents' : 'overview');
  useEffect(() => {
    if (task && hash.startsWith('#doc-')) document.getElementById(hash.slice(1))?.scrollIntoView({ block: 'center' });
  }, [task, hash]);
  if (q.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (q.error || !task) {
    if (q.error instanceof ApiError && q.error.status === 404) {
      return <Result status="404" title={<h1 className="page-title">{t('task.notFound')}</h1>} subTitle={t('task.notFoundHint')} extra={<ButtonLink to="/tasks" type="primary">{t('nav.myTasks')}</ButtonLink>} />;
    }
    return <ProblemAlert error={q.error} />;
  }
  const sections = [
    { key: 'overview', label: t('task.tab.overview'), children: <Overview task={task} /> },
    { key: 'obligations', label: t('task.tab.obligations'), children: <ObligationsTable obligations={task.obligations} /> },
    { key: 'timeline', label: t('task.tab.timeline'), children: <TimelineList timeline={task.timeline} /> },
    { key: 'funds', label: t('task.tab.funds'), children: <FundsCard task={task} /> },
    { key: 'documents', label: `${t('task.tab.documents')} (${task.documents.length})`, children: <DocumentsList documents={task.documents} /> },
    { key: 'files', label: `${t('task.tab.files')} (${task.files.length})`, children: <FilesList files={task.files} /> },
  ];
  const closed = task.allowedActions.length === 0 && ['ARCHIVED', 'PROPOSAL_REJECTED', 'WITHDRAWN', 'CANCELLED_BEFORE_CONTRACT'].includes(task.stage);
  const openObligations = task.obligations.filter((o) => o.status === 'OPEN' || o.status === 'OVERDUE').length;
  return (
    <>
      <Typography.Text type="secondary">{t('task.code')}: <strong>{task.taskId}</strong></Typography.Text>
      <Typography.Title level={1} className="page-title" style={{ marginTop: 4 }}>{task.title}</Typography.Title>
      <Space wrap style={{ marginBottom: 16 }}>
        <StageTag stage={task.stage} />
        <span>{label(LEVELS, task.level, locale)} · {label(FORMS, task.form, locale)}</span>
        {task.host ? <span>· {t('task.host')}: {task.host.orgName} ({t('task.pi')}: {task.host.pi.name})</span> : null}
      </Space>
      <StageStepper stage={task.stage as Stage} closed={closed} />
      <PendingIssuance task={task} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Card title={<h2 className="card-heading">{t('task.actions.title')}</h2>} style={{ marginBottom: 16 }}>
            <ActionsPanel task={task} />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card title={<h2 className="card-heading">{t('task.next')}</h2>} style={{ marginBottom: 16 }}>
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('task.nextDeadline')}><DueDate on={task.nextDeadline} overdue={task.overdue} /></Descriptions.Item>
              <Descriptions.Item label={t('task.openObligations')}>{openObligations}</Descriptions.Item>
              <Descriptions.Item label={t('task.officer')}>{task.accountableOfficer?.name ?? t('task.obligations.noOfficer')}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
      </Row>
      <Card>
        {/* Tabs on a wide screen; on a phone, sections that open and close (no tab strip to scroll). */}
        {phone ? <Collapse defaultActiveKey={[tab]} items={sections.map((x) => ({ key: x.key, label: x.label, children: x.children }))} /> : <Tabs activeKey={tab} onChange={setTab} items={sections} />}
      </Card>
    </>
  );
}

export default function TaskPage() {
  const { taskId = '' } = useParams();
  return (
    <RequireAuth>
      <TaskDetail taskId={taskId} />
    </RequireAuth>
  );
}

/**
 * Issue 12: the task's documents on their way out (drafted, awaiting signature, number or issue).
 * A decision takes effect only when issued, so until then the stage does not move: the page says
 * so and, for the Department, links each document's page.
 */
function PendingIssuance({ task }: { task: TaskPageView }) {
  const { t } = useI18n();
  const { user } = useSession();
  const pending = (task.issuance ?? []).filter((d) => d.status === 'PENDING');
  if (!pending.length) return null;
  const department = user?.role === 'manager' || user?.role === 'admin';
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 16 }}
      message={t('task.issuance.title')}
      description={
        <>
          <Typography.Paragraph style={{ marginBottom: 8 }}>{t('task.issuance.lead')}</Typography.Paragraph>
          <ul style={{ margin: 0, paddingLeft: 20 }}>
            {pending.map((d) => (
              <li key={d.documentId}>{department ? <Link to={`/documents/${d.documentId}`}>{d.title}</Link> : d.title}</li>
            ))}
          </ul>
        </>
      }
    />
  );
}
