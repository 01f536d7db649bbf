/**
 * The Department's side of a sitting (the administrative secretary): recording attendance at
 * the meeting, which opens voting when there is a quorum (C-2); rescheduling a postponed
 * sitting; recording a member's conflict of interest with its reason (C-6); at a paper sitting,
 * entering each member's ballot, which the sitting checks and counts as an online one (issue 13).
 * Voting progress is the members' table: who has voted, never how (C-4).
 */
import { useState } from 'react';
import { Alert, Button, Card, Checkbox, DatePicker, Form, Input, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCouncilCommand, type CouncilPageView } from '../../api/queries';
import { useI18n } from '../../i18n/i18n';
import { label, MEMBER_ROLES } from '../../i18n/labels';
import { formatDate, todayInVietnam } from '../../i18n/format';
import { ProblemAlert } from '../../components/ProblemAlert';
import { DateField } from '../../components/DateField';
import { useIdempotencyKey } from '../../components/useIdempotencyKey';
import { AcceptanceBallot, IdentificationBallot, SelectionBallot } from './ballots';

/** A paper sitting: the secretary picks a member present and enters the ballot from their paper sheet. */
function PaperBallots({ council }: { council: CouncilPageView }) {
  const { t, locale } = useI18n();
  const [memberId, setMemberId] = useState<string | undefined>();
  const [entered, setEntered] = useState<string | null>(null);
  const waiting = (council.members ?? []).filter((m) => m.present && !m.conflicted && !m.voted);
  const chosen = waiting.find((m) => m.memberId === memberId);
  const done = (name: string) => {
    setEntered(name);
    setMemberId(undefined);
  };
  return (
    <Card size="small" title={<h3 className="card-heading">{t('manager.paper.title')}</h3>}>
      <Typography.Paragraph>{t('manager.paper.lead')}</Typography.Paragraph>
      {entered ? <Alert type="success" showIcon style={{ marginBottom: 16 }} title={t('manager.paper.entered', { name: entered })} /> : null}
      {waiting.length === 0 ? (
        <Typography.Paragraph type="secondary">{t('manager.paper.none')}</Typography.Paragraph>
      ) : (
        <div style={{ marginBottom: 16 }}>
          <label htmlFor="paper-member" style={{ display: 'block', marginBottom: 8 }}>{t('manager.paper.member')}</label>
          <Select
            id="paper-member"
            value={memberId}
            onChange={(v: string) => {
              setMemberId(v);
              setEntered(null);
            }}
            options={waiting.map((m) => ({ value: m.memberId, label: `${m.name} · ${label(MEMBER_ROLES, m.role, locale)}` }))}
            style={{ width: '100%', maxWidth: 420 }}
          />
        </div>
      )}
      {chosen && council.kind === 'C-ID' ? <IdentificationBallot key={chosen.memberId} council={council} paperMember={chosen.memberId} onVoted={() => done(chosen.name)} /> : null}
      {chosen && council.kind === 'C-ACC' ? <AcceptanceBallot key={chosen.memberId} council={council} paperMember={chosen.memberId} onVoted={() => done(chosen.name)} /> : null}
      {chosen && council.kind === 'C-SEL' ? <SelectionBallot key={chosen.memberId} council={council} memberId={chosen.memberId} paper /> : null}
    </Card>
  );
}

function Attendance({ council }: { council: CouncilPageView }) {
  const { t, locale } = useI18n();
  const record = useCouncilCommand(council.councilId, 'recordAttendance');
  const keyFor = useIdempotencyKey();
  const eligible = (council.members ?? []).filter((m) => !m.conflicted);
  const onFinish = async (v: { present: string[]; chairAuthorisedViceChair?: boolean }) => {
    const body = { present: v.present ?? [], ...(v.chairAuthorisedViceChair ? { chairAuthorisedViceChair: true } : {}) };
    try {
      await record.mutateAsync({ body, idempotencyKey: keyFor(body) });
    } catch {
      /* shown above the form */
    }
  };
  return (
    <Form layout="vertical" name="attendance" onFinish={onFinish} initialValues={{ present: eligible.filter((m) => m.declared).map((m) => m.memberId) }}>
      <ProblemAlert error={record.error} />
      <Typography.Paragraph>{t('manager.attendance.lead', { date: formatDate(council.meetingOn) })}</Typography.Paragraph>
      <Form.Item label={t('manager.attendance.present')} name="present">
        <Checkbox.Group
          style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
          options={eligible.map((m) => ({ value: m.memberId, label: `${m.name} · ${label(MEMBER_ROLES, m.role, locale)}${m.declared ? '' : ` (${t('manager.attendance.undeclared')})`}` }))}
        />
      </Form.Item>
      <Form.Item name="chairAuthorisedViceChair" valuePropName="checked">
        <Checkbox>{t('manager.attendance.viceChair')}</Checkbox>
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={record.isPending}>{t('manager.attendance.submit')}</Button>
    </Form>
  );
}

function Reschedule({ council }: { council: CouncilPageView }) {
  const { t } = useI18n();
  const reschedule = useCouncilCommand(council.councilId, 'reschedule');
  const keyFor = useIdempotencyKey();
  const onFinish = async (v: { meetingOn: string; votingDeadline: dayjs.Dayjs }) => {
    const body = { meetingOn: v.meetingOn, votingDeadline: v.votingDeadline.format('YYYY-MM-DDTHH:mm:00+07:00') };
    try {
      await reschedule.mutateAsync({ body, idempotencyKey: keyFor(body) });
    } catch {
      /* shown above the form */
    }
  };
  return (
    <Form layout="vertical" name="reschedule" onFinish={onFinish}>
      <ProblemAlert error={reschedule.error} />
      {council.postponements?.length ? <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={council.postponements.at(-1)!.reason} /> : null}
      <Form.Item label={t('officer.field.meetingOn')} name="meetingOn" rules={[{ required: true, message: t('form.required', { field: t('officer.field.meetingOn') }) }]}>
        <DateField min={todayInVietnam()} />
      </Form.Item>
      <Form.Item label={t('manager.reschedule.deadline')} name="votingDeadline" rules={[{ required: true, message: t('form.required', { field: t('manager.reschedule.deadline') }) }]} extra={t('common.vnTime')}>
        <DatePicker showTime={{ format: 'HH:mm' }} format="HH:mm DD/MM/YYYY" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={reschedule.isPending}>{t('manager.reschedule.submit')}</Button>
    </Form>
  );
}

function RecordConflict({ council }: { council: CouncilPageView }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ memberId: string; reason: string }>();
  const declare = useCouncilCommand(council.councilId, 'declareConflict');
  const keyFor = useIdempotencyKey();
  const [done, setDone] = useState(false);
  const onFinish = async (v: { memberId: string; reason: string }) => {
    const body = { memberId: v.memberId, conflicted: true, reason: v.reason };
    try {
      await declare.mutateAsync({ body, idempotencyKey: keyFor(body) });
      form.resetFields();
      setDone(true);
    } catch {
      /* shown above the form */
    }
  };
  return (
    <Form form={form} layout="vertical" name="record-conflict" onFinish={onFinish}>
      <ProblemAlert error={declare.error} />
      {done ? <Alert type="success" showIcon style={{ marginBottom: 16 }} title={t('manager.conflict.done')} /> : null}
      <Form.Item label={t('manager.conflict.member')} name="memberId" rules={[{ required: true, message: t('form.required', { field: t('manager.conflict.member') }) }]}>
        <Select options={(council.members ?? []).filter((m) => !m.conflicted && !m.voted).map((m) => ({ value: m.memberId, label: m.name }))} style={{ maxWidth: 360 }} />
      </Form.Item>
      <Form.Item label={t('council.declare.reason')} name="reason" rules={[{ required: true, whitespace: true, message: t('form.required', { field: t('council.declare.reason') }) }]}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={1_000} />
      </Form.Item>
      <Button htmlType="submit" danger loading={declare.isPending}>{t('manager.conflict.submit')}</Button>
    </Form>
  );
}

export function ManagerPanel({ council }: { council: CouncilPageView }) {
  const { t } = useI18n();
  const voted = (council.members ?? []).filter((m) => m.voted).length;
  const voters = (council.members ?? []).filter((m) => m.present && !m.conflicted).length;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {council.status === 'FORMED' ? <Attendance council={council} /> : null}
      {council.status === 'POSTPONED' ? <Reschedule council={council} /> : null}
      {council.status === 'VOTING' || council.status === 'AWAITING_CHAIR' ? <Typography.Paragraph style={{ margin: 0 }}>{t('manager.progress', { voted, voters })}</Typography.Paragraph> : null}
      {council.status === 'VOTING' && council.voting === 'paper' ? <PaperBallots council={council} /> : null}
      {council.status !== 'DECIDED' ? (
        <details>
          <summary style={{ cursor: 'pointer' }}>{t('manager.conflict.title')}</summary>
          <div style={{ marginTop: 12 }}>
            <RecordConflict council={council} />
          </div>
        </details>
      ) : null}
    </Space>
  );
}
