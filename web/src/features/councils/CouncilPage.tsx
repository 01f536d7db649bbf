/**
 * One council sitting for a member: the meeting, the declaration of conflicts of interest
 * first (C-6: no dossier before it), then the dossier and its files, the members by role,
 * and the ballot of the council's kind once voting is open; an absent member's written
 * review (C-3); the chair's tie-break (C-SEL-2); the result, counts only (C-4).
 */
import { DataTable } from '../../components/DataTable';
import { useState } from 'react';
import { Alert, Button, Card, Col, Form, Input, List, Radio, Result, Row, Skeleton, Space, Steps, Tag, Typography } from 'antd';
import { DownloadOutlined, LockOutlined, PaperClipOutlined } from '@ant-design/icons';
import { useParams } from 'react-router';
import { useCouncil, useCouncilCommand, type CouncilPageView } from '../../api/queries';
import { ApiError, type UploadedFile } from '../../api/client';
import type { VoteReceipt } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { COUNCIL_KINDS, COUNCIL_STATUSES, FORMS, LEVELS, MEMBER_ROLES, OUTCOMES, label } from '../../i18n/labels';
import { formatBytes, formatDate, formatDateTime, formatVnd } from '../../i18n/format';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ButtonLink } from '../../components/ButtonLink';
import { useIdempotencyKey } from '../../components/useIdempotencyKey';
import { usePageTitle } from '../../components/usePageTitle';
import { InfoList } from '../../components/InfoList';
import { UploadField, uploadIds } from '../files/UploadField';
import { RequireAuth, useSession } from '../auth/session';
import { AcceptanceBallot, IdentificationBallot, ReceiptView, SelectionBallot, storedReceipt } from './ballots';
import { ManagerPanel } from './ManagerPanel';

function Declaration({ council }: { council: CouncilPageView }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ conflicted: 'no' | 'yes'; reason?: string }>();
  const declare = useCouncilCommand(council.councilId, 'declareConflict');
  const keyFor = useIdempotencyKey();
  const conflicted = Form.useWatch('conflicted', form);
  const onFinish = async (v: { conflicted: 'no' | 'yes'; reason?: string }) => {
    const body = { conflicted: v.conflicted === 'yes', ...(v.conflicted === 'yes' && v.reason?.trim() ? { reason: v.reason } : {}) };
    try {
      await declare.mutateAsync({ body, idempotencyKey: keyFor(body) });
    } catch {
      /* shown above the form */
    }
  };
  return (
    <Form form={form} layout="vertical" name="declaration" onFinish={onFinish}>
      <ProblemAlert error={declare.error} />
      <Typography.Paragraph>{t('council.declare.lead')}</Typography.Paragraph>
      <ul>
        {(['applicant', 'staff', 'family', 'bias', 'sanction'] as const).map((k) => <li key={k}>{t(`council.declare.${k}`)}</li>)}
      </ul>
      <Form.Item label={t('council.declare.question')} name="conflicted" rules={[{ required: true, message: t('council.declare.required') }]}>
        <Radio.Group>
          <Space direction="vertical">
            <Radio value="no">{t('council.declare.no')}</Radio>
            <Radio value="yes">{t('council.declare.yes')}</Radio>
          </Space>
        </Radio.Group>
      </Form.Item>
      {conflicted === 'yes' ? (
        <Form.Item label={t('council.declare.reason')} name="reason" rules={[{ required: true, whitespace: true, message: t('form.required', { field: t('council.declare.reason') }) }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2_000} />
        </Form.Item>
      ) : null}
      <Button type="primary" htmlType="submit" loading={declare.isPending}>{t('council.declare.submit')}</Button>
    </Form>
  );
}

function Dossier({ council }: { council: CouncilPageView }) {
  const { t, locale } = useI18n();
  const d = council.dossier;
  const files = council.files ?? d?.items.flatMap((i) => i.files) ?? [];
  return (
    <>
      {d ? (
        <InfoList labelWidth={200} style={{ marginBottom: 16 }}>
          <InfoList.Item label={t('council.dossier.task')}>{d.task.title}</InfoList.Item>
          <InfoList.Item label={t('calls.kind')}>{label(LEVELS, d.task.level, locale)} · {label(FORMS, d.task.form, locale)}</InfoList.Item>
          <InfoList.Item label={t('proposal.field.urgency')}><span className="pre-line">{d.task.proposal.urgency}</span></InfoList.Item>
          <InfoList.Item label={t('proposal.field.objectives')}><span className="pre-line">{d.task.proposal.objectives}</span></InfoList.Item>
          <InfoList.Item label={t('proposal.field.products')}>
            <ol style={{ margin: 0, paddingInlineStart: 20 }}>{(d.task.approval?.products ?? d.task.proposal.expectedProducts).map((p, i) => <li key={i}>{p}</li>)}</ol>
          </InfoList.Item>
          <InfoList.Item label={t('proposal.field.resultUsage')}><span className="pre-line">{d.task.proposal.resultUsage}</span></InfoList.Item>
          <InfoList.Item label={t('task.requestedBudget')}>{formatVnd(d.task.proposal.budget.stateBudget, locale)} + {formatVnd(d.task.proposal.budget.otherSources, locale)}</InfoList.Item>
          <InfoList.Item label={t('task.proposer')}>{d.task.proposal.proposer.name}, {d.task.proposal.proposer.organisation}</InfoList.Item>
          {d.items.filter((i) => i.host).map((i) => (
            <InfoList.Item key={i.itemId} label={i.label}>{i.host!.orgName} · {t('task.pi')}: {i.host!.pi.name}</InfoList.Item>
          ))}
        </InfoList>
      ) : (
        <Typography.Paragraph>{council.taskTitle}</Typography.Paragraph>
      )}
      <h3 style={{ fontSize: 16 }}>{t('council.dossier.files')}</h3>
      {files.length ? (
        <List
          size="small"
          dataSource={files}
          renderItem={(f) => (
            <List.Item actions={[<a key="dl" href={f.url} download aria-label={t('task.documents.downloadNamed', { name: f.filename })}><DownloadOutlined /> {t('task.documents.download')}</a>]}>
              <Space><PaperClipOutlined aria-hidden />{f.filename}<Typography.Text type="secondary">{formatBytes(f.size, locale)}</Typography.Text></Space>
            </List.Item>
          )}
        />
      ) : (
        <Typography.Paragraph type="secondary">{t('files.none')}</Typography.Paragraph>
      )}
    </>
  );
}

function Members({ council }: { council: CouncilPageView }) {
  const { t, locale } = useI18n();
  const order = ['chair', 'vice_chair', 'reviewer', 'scientific_secretary', 'member'];
  const members = [...(council.members ?? [])].sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role));
  return (
    <DataTable
      label={t('council.members.title')}
      size="small"
      rowKey="memberId"
      pagination={false}
      dataSource={members}
      columns={[
        {
          title: t('council.members.name'),
          key: 'name',
          render: (_, m) => (
            <>
              {m.title ? `${m.title} ` : ''}{m.name}
              <div className="muted" style={{ fontSize: 13 }}>{label(MEMBER_ROLES, m.role, locale)}{m.workplace ? ` · ${m.workplace}` : ''}</div>
            </>
          ),
        },
        // Present, and whether a member has voted, never how (C-4).
        {
          title: t('council.members.status'),
          key: 'status',
          render: (_, m) => (
            <Space size={4} wrap>
              {m.conflicted ? <Tag>{t('council.members.conflicted')}</Tag> : null}
              {m.present === true ? <Tag>{t('council.members.present')}</Tag> : m.present === false ? <Tag>{t('council.members.absent')}</Tag> : null}
              {m.conflicted ? null : m.voted ? <Tag color="green">{t('council.members.hasVoted')}</Tag> : m.present === false ? null : <Tag>{t('council.members.notVoted')}</Tag>}
            </Space>
          ),
        },
      ]}
    />
  );
}

function WrittenReview({ council }: { council: CouncilPageView }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ review: string; attachments?: UploadedFile[] }>();
  const submit = useCouncilCommand(council.councilId, 'submitWrittenReview');
  const keyFor = useIdempotencyKey();
  const onFinish = async (v: { review: string; attachments?: UploadedFile[] }) => {
    const ids = uploadIds(v.attachments);
    const body = { review: v.review, ...(ids.length ? { attachments: ids } : {}) };
    try {
      await submit.mutateAsync({ body, idempotencyKey: keyFor(body) });
    } catch {
      /* shown above */
    }
  };
  return (
    <Form form={form} layout="vertical" name="written-review" onFinish={onFinish} initialValues={{ attachments: [] }}>
      <ProblemAlert error={submit.error} />
      <Typography.Paragraph>{t('council.review.lead')}</Typography.Paragraph>
      <Form.Item label={t('council.review.text')} name="review" rules={[{ required: true, whitespace: true, message: t('form.required', { field: t('council.review.text') }) }]}>
        <Input.TextArea autoSize={{ minRows: 5, maxRows: 16 }} maxLength={20_000} showCount />
      </Form.Item>
      <Form.Item label={t('action.field.attachments')} name="attachments"><UploadField /></Form.Item>
      <Button type="primary" htmlType="submit" loading={submit.isPending}>{t('council.review.submit')}</Button>
    </Form>
  );
}

function TieBreak({ council }: { council: CouncilPageView }) {
  const { t } = useI18n();
  const tieBreak = useCouncilCommand(council.councilId, 'chairTieBreak');
  const keyFor = useIdempotencyKey();
  const tied = (council.result?.figures.tied as string[] | undefined) ?? [];
  const onFinish = async (v: { dossierId: string }) => {
    const body = { dossierId: v.dossierId };
    try {
      await tieBreak.mutateAsync({ body, idempotencyKey: keyFor(body) });
    } catch {
      /* shown above */
    }
  };
  return (
    <Form layout="vertical" name="tie-break" onFinish={onFinish}>
      <ProblemAlert error={tieBreak.error} />
      <Typography.Paragraph>{t('council.tie.lead')}</Typography.Paragraph>
      <Form.Item label={t('council.tie.choose')} name="dossierId" rules={[{ required: true, message: t('council.tie.required') }]}>
        <Radio.Group options={tied.map((d) => ({ value: d, label: d }))} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={tieBreak.isPending}>{t('council.tie.submit')}</Button>
    </Form>
  );
}

function ResultView({ council }: { council: CouncilPageView }) {
  const { t, locale } = useI18n();
  const r = council.result!;
  const f = r.figures as Record<string, unknown>;
  const counts = f.counts as Record<string, number> | undefined;
  return (
    <Result
      status={r.outcome === 'NOT_RECOMMENDED' || r.outcome === 'FAIL' || r.outcome === 'NO_QUALIFIED_APPLICANT' ? 'warning' : 'success'}
      title={<span data-testid="council-outcome">{label(OUTCOMES, r.outcome, locale)}</span>}
      subTitle={
        <>
          {r.explanation[locale]}
          <br />
          {typeof f.yes === 'number' ? t('council.result.yesNo', { yes: f.yes, no: Number(f.no ?? 0), present: Number(f.present ?? 0) }) : null}
          {counts ? t('council.result.ratings', { excellent: counts.EXCELLENT ?? 0, pass: counts.PASS ?? 0, fail: counts.FAIL ?? 0 }) : null}
          {r.winner ? t('council.result.winner', { dossier: r.winner }) : null}
          <br />
          {t('council.result.decidedAt', { at: formatDateTime(r.decidedAt) })}
        </>
      }
    />
  );
}

function BallotSection({ council }: { council: CouncilPageView }) {
  const { t } = useI18n();
  const { user } = useSession();
  const you = council.you;
  const [receipt, setReceipt] = useState<VoteReceipt | null>(() => (user ? storedReceipt(council.councilId, user.userId, 'item') : null));
  // The Department's officers run the sitting; the result shows to them as to the members.
  if (user && (user.role === 'manager' || user.role === 'admin')) return council.status === 'DECIDED' && council.result ? <ResultView council={council} /> : user.role === 'manager' ? <ManagerPanel council={council} /> : null;
  if (!you || !user) return null;
  if (council.status === 'DECIDED') {
    // The ballot that completes the voting is answered once the result is in: its voter sees the receipt and the result together.
    return (
      <>
        {receipt && council.kind !== 'C-SEL' ? <ReceiptView receipt={receipt} secret={council.ballot === 'secret'} /> : null}
        {council.result ? <ResultView council={council} /> : null}
      </>
    );
  }
  if (council.status === 'AWAITING_CHAIR') return you.role === 'chair' ? <TieBreak council={council} /> : <Alert type="info" showIcon title={t('council.tie.waiting')} />;
  if (council.status === 'FORMED') {
    return (
      <>
        <Alert type="info" showIcon title={t('council.formed', { date: formatDate(council.meetingOn) })} style={{ marginBottom: 16 }} />
        <Typography.Paragraph type="secondary">{t('council.review.ifAbsent')}</Typography.Paragraph>
        {council.writtenReviews?.some((r) => r.memberId === you.memberId) ? <Alert type="success" showIcon title={t('council.review.sent')} /> : <WrittenReview council={council} />}
      </>
    );
  }
  if (council.status === 'POSTPONED') return <Alert type="warning" showIcon title={t('council.postponed')} />;
  // VOTING
  if (you.present === false) {
    return council.writtenReviews?.some((r) => r.memberId === you.memberId) ? <Alert type="success" showIcon title={t('council.review.sent')} /> : <WrittenReview council={council} />;
  }
  if (council.kind === 'C-SEL') return <SelectionBallot council={council} memberId={user.userId} />;
  if (receipt || you.voted) {
    return receipt ? <ReceiptView receipt={receipt} secret={council.ballot === 'secret'} /> : <Alert type="success" showIcon title={t('ballot.alreadyVoted')} />;
  }
  return council.kind === 'C-ID' ? <IdentificationBallot council={council} onVoted={setReceipt} /> : <AcceptanceBallot council={council} onVoted={setReceipt} />;
}

function CouncilDetail({ councilId }: { councilId: string }) {
  const { t, locale } = useI18n();
  const q = useCouncil(councilId);
  const c = q.data;
  usePageTitle(c ? `${label(COUNCIL_KINDS, c.kind, locale)}: ${c.taskTitle}` : t('councils.title'));
  if (q.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (q.error || !c) {
    if (q.error instanceof ApiError && q.error.status === 404) {
      return <Result status="404" title={<h1 className="page-title">{t('council.notFound')}</h1>} extra={<ButtonLink to="/councils" type="primary">{t('councils.title')}</ButtonLink>} />;
    }
    return <ProblemAlert error={q.error} />;
  }
  const step = c.access === 'undeclared' ? 0 : c.status === 'FORMED' || c.status === 'POSTPONED' ? 1 : c.status === 'DECIDED' ? 3 : 2;
  return (
    <>
      <Typography.Text type="secondary">{label(COUNCIL_KINDS, c.kind, locale)}</Typography.Text>
      <Typography.Title level={1} className="page-title" style={{ marginTop: 4 }}>{c.taskTitle}</Typography.Title>
      <Space wrap style={{ marginBottom: 16 }}>
        <Tag color={c.status === 'VOTING' ? 'blue' : c.status === 'DECIDED' ? 'green' : 'default'}>{label(COUNCIL_STATUSES, c.status, locale)}</Tag>
        {c.ballot === 'secret' ? <Tag color="purple" icon={<LockOutlined />}>{t('council.secret')}</Tag> : <Tag>{t('council.open')}</Tag>}
        <span>{t('council.meetingOn')}: {formatDate(c.meetingOn)}</span>
        <span>{t('council.deadline')}: <strong>{formatDateTime(c.votingDeadline)}</strong> ({t('common.vnTime')})</span>
      </Space>
      {c.ballot === 'secret' ? <Alert type="info" showIcon icon={<LockOutlined />} style={{ marginBottom: 16 }} title={t('council.secretExplained')} /> : null}
      <Steps
        size="small"
        current={step}
        style={{ marginBottom: 24 }}
        items={[{ title: t('council.step.declare') }, { title: t('council.step.read') }, { title: t('council.step.vote') }, { title: t('council.step.result') }]}
      />
      {c.access === 'undeclared' ? (
        <Card title={<h2 className="card-heading">{t('council.declare.title')}</h2>}>
          <Declaration council={c} />
        </Card>
      ) : c.access === 'conflicted' ? (
        <Alert type="warning" showIcon title={t('council.conflicted')} description={t('council.conflictedHint')} />
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={14}>
            <Card title={<h2 className="card-heading">{c.you ? t('council.ballot.title') : t('manager.title')}</h2>} style={{ marginBottom: 16 }}>
              <BallotSection council={c} />
            </Card>
            <Card title={<h2 className="card-heading">{t('council.dossier.title')}</h2>}>
              <Dossier council={c} />
            </Card>
          </Col>
          <Col xs={24} lg={10}>
            <Card title={<h2 className="card-heading">{t('council.members.title')}</h2>}>
              <Members council={c} />
              {c.quorum ? <Typography.Paragraph style={{ marginTop: 12 }}>{c.quorum.ok ? t('council.quorum.ok', { present: c.quorum.present, eligible: c.quorum.eligible }) : t('council.quorum.missing', { present: c.quorum.present, eligible: c.quorum.eligible })}</Typography.Paragraph> : null}
            </Card>
          </Col>
        </Row>
      )}
    </>
  );
}

export default function CouncilPage() {
  const { councilId = '' } = useParams();
  return (
    <RequireAuth roles={['council_member', 'manager', 'admin']}>
      <CouncilDetail councilId={councilId} />
    </RequireAuth>
  );
}
