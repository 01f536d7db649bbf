/**
 * Forming a task's council (C-1), for the Department's officers: members picked from the
 * Department's people (GET /people: name, academic title, workplace, organisation), a likely
 * conflict of interest flagged (the same organisation as the host, the proposer or an
 * applicant, C-6), each member's role (chair, vice-chair, scientific secretary, reviewers,
 * members), the meeting date and the voting deadline, and for a selection council the score
 * sheet's criteria. The page sends the formCouncil command as it is; the API decides (size,
 * roles, dates) and its refusals come back next to the fields, with nothing typed lost.
 */
import { useMemo, useState } from 'react';
import { Alert, App, Breadcrumb, Button, Card, Col, Empty, Form, Input, InputNumber, Radio, Row, Select, Space, Spin, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined, WarningOutlined } from '@ant-design/icons';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { usePeople, useTask, useTaskCommand } from '../../api/queries';
import type { CommandBody, Person, TaskView } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { addDaysIso, todayInVietnam } from '../../i18n/format';
import { COUNCIL_KINDS, CRITERIA, label, MEMBER_ROLES } from '../../i18n/labels';
import { DataTable } from '../../components/DataTable';
import { DateField } from '../../components/DateField';
import { ProblemAlert } from '../../components/ProblemAlert';
import { focusField, showFieldErrors } from '../../components/forms';
import { useIdempotencyKey } from '../../components/useIdempotencyKey';
import { usePageTitle } from '../../components/usePageTitle';
import { StageTag } from '../../components/Tags';
import { RequireAuth } from '../auth/session';

type Kind = CommandBody<'formCouncil'>['kind'];
type MemberRole = CommandBody<'formCouncil'>['members'][number]['role'];
interface MemberRow {
  memberId: string;
  name: string;
  email: string;
  role: MemberRole;
  title?: string;
  /** What the list shows under the name: the workplace, else the organisation's name or ID. */
  organisation?: string;
  /** Issue 12: the workplace printed on the council's documents (the directory's, else the organisation's name; never its ID). */
  workplace?: string;
}
interface Values {
  members: MemberRow[];
  meetingOn?: string;
  votingDeadlineOn?: string;
  ballot: 'open' | 'secret';
  voting: 'online' | 'paper';
  criteria?: { id: string; max: number; products?: boolean }[];
  note?: string;
}

/** The council a stage sits (C-1): identification, selection or acceptance. */
const KIND_OF_STAGE: Partial<Record<string, Kind>> = { IDENTIFICATION_REVIEW: 'C-ID', SELECTION_REVIEW: 'C-SEL', ACCEPTANCE_REVIEW: 'C-ACC' };
const ROLE_ORDER: MemberRole[] = ['chair', 'vice_chair', 'scientific_secretary', 'reviewer', 'member'];
/** The score sheet of a selection council as the Department's forms set it (100 points). */
const SELECTION_CRITERIA = [
  { id: 'rationale', max: 15 },
  { id: 'content', max: 30, products: true },
  { id: 'products', max: 20, products: true },
  { id: 'applicability', max: 15 },
  { id: 'capacity', max: 10 },
  { id: 'budget', max: 10 },
];

/** Why a person may be conflicted on this task: the same organisation as the host, the proposer or an applicant (C-6). */
function conflictOf(p: Person, task: TaskView): string | null {
  const org = p.organisation;
  if (task.host && org.orgId === task.host.orgId) return task.host.orgName;
  const applicant = task.call?.dossiers.find((d) => d.host.orgId === org.orgId);
  if (applicant) return applicant.host.orgName;
  const proposer = task.proposal.proposer.organisation.trim().toLowerCase();
  if (org.orgName && org.orgName.trim().toLowerCase() === proposer) return task.proposal.proposer.organisation;
  return null;
}

function PeoplePicker({ task, chosen, onAdd }: { task: TaskView; chosen: Set<string>; onAdd: (p: Person) => void }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const people = usePeople({ role: 'council_member', ...(q ? { q } : {}), limit: 20 });
  const rows = people.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card title={<h2 className="card-heading">{t('formCouncil.people')}</h2>}>
      <Typography.Paragraph type="secondary">{t('formCouncil.peopleLead')}</Typography.Paragraph>
      <Input.Search id="people-search" aria-label={t('formCouncil.search')} placeholder={t('formCouncil.search')} allowClear onSearch={setQ} onChange={(e) => !e.target.value && setQ('')} style={{ maxWidth: 420, marginBottom: 12 }} />
      <ProblemAlert error={people.error} />
      <DataTable<Person>
        label={t('formCouncil.people')}
        size="small"
        rowKey="userId"
        loading={people.isFetching}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: <span className="muted">{t('formCouncil.noPeople')}</span> }}
        columns={[
          {
            key: 'name',
            title: `${t('formCouncil.col.name')}, ${t('formCouncil.col.workplace').toLowerCase()}`,
            render: (_: unknown, p: Person) => {
              const conflict = conflictOf(p, task);
              return (
                <div>
                  <strong>{p.title ? `${p.title} ` : ''}{p.name}</strong>
                  <div className="muted" style={{ fontSize: 13 }}>{p.workplace ?? p.organisation.orgName ?? p.organisation.orgId} · {p.email}</div>
                  {conflict ? <Tag color="gold" icon={<WarningOutlined aria-hidden />} style={{ marginTop: 4 }}>{t('formCouncil.conflict', { org: conflict })}</Tag> : null}
                </div>
              );
            },
          },
          {
            key: 'add',
            title: <span className="visually-hidden">{t('formCouncil.add')}</span>,
            render: (_: unknown, p: Person) => (
              <Button size="small" icon={<PlusOutlined aria-hidden />} disabled={chosen.has(p.userId)} onClick={() => onAdd(p)} aria-label={chosen.has(p.userId) ? t('formCouncil.addedName', { name: p.name }) : t('formCouncil.addName', { name: p.name })}>
                {chosen.has(p.userId) ? t('formCouncil.added') : t('formCouncil.add')}
              </Button>
            ),
          },
        ]}
      />
      {people.hasNextPage ? <Button style={{ marginTop: 8 }} onClick={() => void people.fetchNextPage()} loading={people.isFetchingNextPage}>{t('common.loadMore')}</Button> : null}
    </Card>
  );
}

function FormCouncil({ task }: { task: TaskView }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const kind = KIND_OF_STAGE[task.stage];
  const [form] = Form.useForm<Values>();
  const members: MemberRow[] = Form.useWatch('members', { form, preserve: true }) ?? [];
  const mutation = useTaskCommand(task.taskId, 'formCouncil');
  const keyFor = useIdempotencyKey();
  const [error, setError] = useState<unknown>(null);
  const chosen = useMemo(() => new Set(members.map((m) => m.memberId)), [members]);
  const allowed = task.allowedActions.some((a) => a.command === 'formCouncil');
  const title = kind ? label(COUNCIL_KINDS, kind, locale) : t('formCouncil.title');
  usePageTitle(`${t('formCouncil.title')}: ${task.title}`);

  const add = (p: Person) => {
    const list = form.getFieldValue('members') ?? [];
    const taken = new Set(list.map((m: MemberRow) => m.role));
    // The next role the council still lacks; then members.
    const role = (['chair', 'vice_chair', 'scientific_secretary'] as MemberRole[]).find((r) => !taken.has(r)) ?? (list.filter((m: MemberRow) => m.role === 'reviewer').length < 2 ? 'reviewer' : 'member');
    const workplace = p.workplace ?? p.organisation.orgName;
    form.setFieldValue('members', [...list, { memberId: p.userId, name: p.name, email: p.email, role, ...(p.title ? { title: p.title } : {}), ...(workplace ? { workplace } : {}), organisation: workplace ?? p.organisation.orgId }]);
    form.setFields([{ name: 'members', errors: [] }]);
  };

  const onFinish = async (v: Values) => {
    if (!kind) return;
    // The list's rows as the store holds them (name, e-mail and ID are not fields of their own).
    v = { ...v, members: form.getFieldValue('members') ?? [], criteria: form.getFieldValue('criteria') };
    const body: CommandBody<'formCouncil'> = {
      kind,
      // Issue 12: the academic title and workplace travel with each seat, to the formation decision and the council's records.
      members: (v.members ?? []).map((m) => ({ memberId: m.memberId, name: m.name, email: m.email, role: m.role, ...(m.title ? { title: m.title } : {}), ...(m.workplace ? { workplace: m.workplace } : {}) })),
      meetingOn: v.meetingOn ?? '',
      // The deadline is the end of the working day (17:00 Vietnam time) of the day chosen.
      votingDeadline: `${v.votingDeadlineOn ?? v.meetingOn ?? ''}T17:00:00+07:00`,
      ballot: v.ballot,
      ...(v.voting === 'paper' ? { voting: 'paper' as const } : {}),
      ...(kind === 'C-SEL' && v.criteria ? { criteria: v.criteria } : {}),
      ...(v.note ? { note: v.note } : {}),
    };
    setError(null);
    try {
      await mutation.mutateAsync({ body, idempotencyKey: keyFor(body) });
      void message.success(t('formCouncil.done'));
      navigate(`/tasks/${encodeURIComponent(task.taskId)}`);
    } catch (err) {
      setError(err);
      const unplaced = showFieldErrors(form, err);
      // A refusal of the composition (size, roles: C-1) belongs to the members list.
      if (err instanceof ApiError && !err.fieldErrors.length && err.status === 422) form.setFields([{ name: 'members', errors: [err.problem.detail ?? err.problem.title] }]);
      if (err instanceof ApiError) {
        const votingError = err.fieldErrors.find((f) => f.field === 'votingDeadline');
        if (votingError) form.setFields([{ name: 'votingDeadlineOn', errors: [votingError.reason] }]);
      }
      void unplaced;
    }
  };

  const today = todayInVietnam();
  return (
    <>
      <Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/tasks">{t('nav.portfolio')}</Link> }, { title: <Link to={`/tasks/${encodeURIComponent(task.taskId)}`}>{task.title}</Link> }, { title: t('formCouncil.title') }]} />
      <Typography.Title level={1} className="page-title">{t('formCouncil.heading', { kind: title })}</Typography.Title>
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Text strong>{task.title}</Typography.Text>
        <Typography.Text type="secondary">{task.taskId}</Typography.Text>
        <StageTag stage={task.stage} />
      </Space>
      {!allowed || !kind ? <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('formCouncil.notNow')} /> : null}
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('formCouncil.consequence')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={11}>
          <PeoplePicker task={task} chosen={chosen} onAdd={add} />
        </Col>
        <Col xs={24} xl={13}>
          <Card title={<h2 className="card-heading">{t('formCouncil.council')}</h2>}>
            <ProblemAlert error={error} onFieldClick={(f) => focusField(form, f === 'votingDeadline' ? 'votingDeadlineOn' : f)} fieldLabels={{ members: t('formCouncil.members'), meetingOn: t('formCouncil.meetingOn'), votingDeadline: t('formCouncil.votingDeadline') }} />
            <Form<Values>
              form={form}
              layout="vertical"
              name="form-council"
              initialValues={{ members: [], ballot: 'secret', voting: 'online', criteria: SELECTION_CRITERIA, meetingOn: addDaysIso(today, 7), votingDeadlineOn: addDaysIso(today, 7) }}
              onFinish={onFinish}
              scrollToFirstError
            >
              <Form.Item label={t('formCouncil.members')} required>
                <Form.List name="members">
                  {(fields, { remove }, { errors }) => (
                    <>
                      {fields.length ? (
                        <ol className="member-list" id="field-members">
                          {fields.map((f) => {
                            const m = members[f.name];
                            return (
                              <li key={f.key}>
                                <div className="member-who">
                                  <strong>{m?.title ? `${m.title} ` : ''}{m?.name}</strong>
                                  <div className="muted" style={{ fontSize: 13 }}>{m?.organisation}</div>
                                </div>
                                <Form.Item name={[f.name, 'role']} noStyle>
                                  <Select
                                    aria-label={t('formCouncil.roleOf', { name: m?.name ?? '' })}
                                    style={{ width: 220 }}
                                    options={ROLE_ORDER.map((r) => ({ value: r, label: label(MEMBER_ROLES, r, locale) }))}
                                  />
                                </Form.Item>
                                <Button type="text" icon={<DeleteOutlined aria-hidden />} aria-label={t('formCouncil.remove', { name: m?.name ?? '' })} onClick={() => remove(f.name)} />
                              </li>
                            );
                          })}
                        </ol>
                      ) : (
                        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span className="muted">{t('formCouncil.noMembers')}</span>} />
                      )}
                      <Form.ErrorList errors={errors} />
                    </>
                  )}
                </Form.List>
                <Typography.Text type="secondary" data-testid="member-count">
                  {t('formCouncil.count', { n: members.length, chair: members.filter((m) => m.role === 'chair').length, reviewers: members.filter((m) => m.role === 'reviewer').length })}
                </Typography.Text>
              </Form.Item>
              <Row gutter={16}>
                <Col xs={24} sm={12}>
                  <Form.Item label={t('formCouncil.meetingOn')} name="meetingOn" htmlFor="field-meetingOn" rules={[{ required: true, message: t('form.required', { field: t('formCouncil.meetingOn').toLowerCase() }) }]}>
                    <DateField id="field-meetingOn" min={today} />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={12}>
                  <Form.Item label={t('formCouncil.votingDeadline')} name="votingDeadlineOn" htmlFor="field-votingDeadlineOn" extra={t('formCouncil.votingDeadlineHint')}>
                    <DateField id="field-votingDeadlineOn" min={today} />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item label={t('formCouncil.ballot')} name="ballot">
                <Radio.Group options={[{ value: 'secret', label: t('formCouncil.ballot.secret') }, { value: 'open', label: t('formCouncil.ballot.open') }]} />
              </Form.Item>
              <Form.Item label={t('formCouncil.voting')} name="voting" extra={t('formCouncil.votingHint')}>
                <Radio.Group options={[{ value: 'online', label: t('formCouncil.voting.online') }, { value: 'paper', label: t('formCouncil.voting.paper') }]} />
              </Form.Item>
              {kind === 'C-SEL' ? (
                <Form.Item label={t('formCouncil.criteria')} extra={t('formCouncil.criteriaHint')}>
                  <Form.List name="criteria">
                    {(fields) => (
                      <Space direction="vertical" style={{ width: '100%' }}>
                        {fields.map((f) => {
                          const id = form.getFieldValue(['criteria', f.name, 'id']) as string;
                          return (
                            <Space key={f.key} wrap>
                              <span style={{ display: 'inline-block', minWidth: 240 }}>{label(CRITERIA, id, locale)}</span>
                              <Form.Item name={[f.name, 'max']} noStyle>
                                <InputNumber min={1} max={100} precision={0} aria-label={t('formCouncil.criterionMax', { name: label(CRITERIA, id, locale) })} />
                              </Form.Item>
                            </Space>
                          );
                        })}
                      </Space>
                    )}
                  </Form.List>
                </Form.Item>
              ) : null}
              <Form.Item label={t('action.field.note')} name="note">
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2_000} />
              </Form.Item>
              <Space wrap>
                <Button onClick={() => navigate(`/tasks/${encodeURIComponent(task.taskId)}`)}>{t('common.cancel')}</Button>
                <Button type="primary" htmlType="submit" loading={mutation.isPending} disabled={!kind}>{t('formCouncil.submit')}</Button>
              </Space>
            </Form>
          </Card>
        </Col>
      </Row>
    </>
  );
}

function FormCouncilLoader() {
  const { taskId = '' } = useParams();
  const { t } = useI18n();
  const task = useTask(taskId);
  if (task.isPending) return <Spin aria-label={t('common.loading')} style={{ display: 'block', margin: '64px auto' }} />;
  if (!task.data) return <ProblemAlert error={task.error} />;
  return <FormCouncil task={task.data} />;
}

export default function FormCouncilPage() {
  return (
    <RequireAuth roles={['manager', 'admin']}>
      <FormCouncilLoader />
    </RequireAuth>
  );
}
