/**
 * A council member's councils, what awaits them first (OpenReview's reviewer console):
 * to declare, to vote with the deadline, upcoming meetings, then the decided ones.
 */
import { Card, Empty, List, Skeleton, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useMyCouncils } from '../../api/queries';
import type { CouncilView } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import { COUNCIL_KINDS, COUNCIL_STATUSES, label } from '../../i18n/labels';
import { formatDate, formatDateTime } from '../../i18n/format';
import { ProblemAlert } from '../../components/ProblemAlert';
import { usePageTitle } from '../../components/usePageTitle';
import { RequireAuth } from '../auth/session';

type Group = 'todo' | 'upcoming' | 'voting' | 'decided';

/** What the member has to do about a council now. */
export function groupOf(c: CouncilView): Group {
  if (c.status === 'DECIDED') return 'decided';
  if (c.access === 'undeclared') return 'todo';
  if ((c.status === 'VOTING' || c.status === 'AWAITING_CHAIR') && c.you && c.access === 'full' && c.you.present !== false && !c.you.voted) return 'todo';
  if (c.status === 'VOTING' || c.status === 'AWAITING_CHAIR') return 'voting';
  return 'upcoming';
}

const GROUPS: { key: Group; title: MessageKey }[] = [
  { key: 'todo', title: 'councils.group.todo' },
  { key: 'voting', title: 'councils.group.voting' },
  { key: 'upcoming', title: 'councils.group.upcoming' },
  { key: 'decided', title: 'councils.group.decided' },
];

function todoText(c: CouncilView, t: ReturnType<typeof useI18n>['t']): string | null {
  if (c.access === 'undeclared') return t('councils.todo.declare');
  if (c.status === 'VOTING' && c.you && !c.you.voted) return t('councils.todo.vote', { deadline: formatDateTime(c.votingDeadline) });
  if (c.status === 'AWAITING_CHAIR') return t('councils.todo.chair');
  return null;
}

function Councils() {
  const { t, locale } = useI18n();
  usePageTitle(t('councils.title'));
  const q = useMyCouncils();
  const items = q.data?.items ?? [];
  return (
    <>
      <Typography.Title level={1} className="page-title">{t('councils.title')}</Typography.Title>
      <ProblemAlert error={q.error} />
      {q.isPending ? <Skeleton active /> : null}
      {!q.isPending && !items.length ? <Empty description={t('councils.empty')} /> : null}
      {GROUPS.map((g) => {
        const rows = items.filter((c) => groupOf(c) === g.key).sort((a, b) => a.votingDeadline.localeCompare(b.votingDeadline));
        if (!rows.length) return null;
        return (
          <Card key={g.key} title={<h2 className="card-heading">{t(g.title)} ({rows.length})</h2>} style={{ marginBottom: 16 }}>
            <List
              dataSource={rows}
              renderItem={(c) => (
                <List.Item>
                  <List.Item.Meta
                    title={<Link to={`/councils/${encodeURIComponent(c.councilId)}`}>{label(COUNCIL_KINDS, c.kind, locale)}: {c.taskTitle}</Link>}
                    description={
                      <Space direction="vertical" size={2}>
                        <Space wrap size="small">
                          <Tag color={c.status === 'VOTING' ? 'blue' : c.status === 'DECIDED' ? 'green' : 'default'}>{label(COUNCIL_STATUSES, c.status, locale)}</Tag>
                          {c.ballot === 'secret' ? <Tag color="purple">{t('council.secret')}</Tag> : null}
                          <span>{t('council.meetingOn')}: {formatDate(c.meetingOn)}</span>
                          <span>{t('council.deadline')}: {formatDateTime(c.votingDeadline)}</span>
                        </Space>
                        {todoText(c, t) ? <strong>{todoText(c, t)}</strong> : null}
                      </Space>
                    }
                  />
                </List.Item>
              )}
            />
          </Card>
        );
      })}
    </>
  );
}

export default function MyCouncilsPage() {
  return (
    <RequireAuth roles={['council_member']}>
      <Councils />
    </RequireAuth>
  );
}
