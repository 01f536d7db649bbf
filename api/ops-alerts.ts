/**
 * E-mail alerts to the Department's admins (issue 17): "when one of these starts, once, and when
 * it clears", "these" being what GET /api/v1/operations/status reports (api/routes/operations.ts,
 * whose checks this reuses): a service down (Temporal, the store, SMTP), no worker polling,
 * workflows whose workflow task keeps failing, activities retrying past OPS_ACTIVITY_FAILURES,
 * e-mails whose last attempt failed, read-model drift the last reconciliation left unrepaired.
 *
 * The API process checks every OPS_ALERT_INTERVAL_SECONDS (off with OPS_ALERTS=false), for each
 * Department that has an active admin: one scan of Temporal serves them all. Each problem of a
 * Department is one document of `ops_alerts` (`<departmentId>:<key>`): active or not, and its
 * episode, a number that grows each time the problem starts again. A problem found that was not
 * active starts a new episode; an active one no longer found is resolved. A problem that cannot be
 * judged now (Temporal did not answer, so neither the workflows nor the pollers are known) keeps
 * the state it had: an outage of one thing never "resolves" another.
 *
 * Each episode owes one "problem" e-mail while it is active and one "resolved" e-mail once it is
 * not: one message to all the Department's admins, Vietnamese with English alongside
 * (templates/emails/ops-alert), sent with the API's mail transport (SMTP_*, MAIL_FROM). Several
 * API processes may check at once, so the state changes are conditional updates (on the episode
 * the process read), and the right to send a notice is taken by inserting its record into
 * `ops_alert_notices` under the notice's own ID (`<alert>#<episode>:<started|resolved>`): an insert
 * under a unique ID succeeds once, on MongoDB and on FerretDB alike (FerretDB v1 runs a conditional
 * update as a read and then a write, so two processes can both "win" one; both then compute the same
 * episode and only one inserts its notice). A notice SMTP refused is released and sent at a later
 * check; a process that died while sending leaves its record `sending`, and after NOTICE_STALE_MS a
 * later check sends it once more under the same Message-ID (mail clients fold the two), never a
 * third time. A problem that clears before its "problem" e-mail could go (SMTP itself was down)
 * gets the "resolved" e-mail alone, which says when it started and when it cleared.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { isDuplicateKey } from '../activities/store';
import { renderEmail } from '../activities/mail/templates';
import { timesAndDays } from '../workflows/labels';
import type { ApiDeps } from './deps';
import type { Bilingual } from './problem';
import { driftUnrepaired, operationsChecks, type OperationsChecks, type OperationsStatusBody } from './routes/operations';

export const ALERT_KEYS = ['service_down:temporal', 'service_down:mongodb', 'service_down:smtp', 'worker_down', 'workflow_task_failing', 'activity_retrying', 'email_failing', 'read_model_drift', 'disk_low'] as const;
export type AlertKey = (typeof ALERT_KEYS)[number];

/** What each problem is called, in the subject and the body (the English after the Vietnamese). */
export const ALERT_TITLES: Record<AlertKey, Bilingual> = {
  'service_down:temporal': { vi: 'Máy chủ Temporal không phản hồi', en: 'Temporal server down' },
  'service_down:mongodb': { vi: 'Cơ sở dữ liệu (MongoDB) không phản hồi', en: 'database (MongoDB) down' },
  'service_down:smtp': { vi: 'Máy chủ thư (SMTP) không phản hồi', en: 'mail server (SMTP) down' },
  worker_down: { vi: 'Không có worker xử lý', en: 'no worker polling' },
  workflow_task_failing: { vi: 'Quy trình (workflow) lỗi lặp lại khi xử lý', en: 'workflows with repeated workflow-task failures' },
  activity_retrying: { vi: 'Tác vụ (activity) phải thử lại quá ngưỡng', en: 'activities retrying past the threshold' },
  email_failing: { vi: 'Thư điện tử gửi không thành công', en: 'e-mails failing' },
  read_model_drift: { vi: 'Dữ liệu hiển thị lệch so với quy trình', en: 'read-model drift' },
  disk_low: { vi: 'Ổ đĩa dữ liệu sắp đầy', en: 'data disk running low' },
};

/** A process that claimed a notice and gave no news for this long died while sending it. */
export const NOTICE_STALE_MS = 10 * 60_000;
/** Lines of detail at most in an e-mail (the operations page has the rest). */
const DETAIL_LINES = 10;

export interface Finding {
  key: AlertKey;
  details: Bilingual[];
}

/** The problems a Department's operations status shows, and those it cannot tell now. */
export function problemsOf(s: OperationsStatusBody): { present: Finding[]; unknown: AlertKey[] } {
  const present: Finding[] = [];
  const unknown: AlertKey[] = [];
  const add = (key: AlertKey, details: Bilingual[]) => present.push({ key, details });
  for (const name of ['temporal', 'mongodb', 'smtp'] as const) {
    const svc = s.services[name];
    if (svc.status === 'down') add(`service_down:${name}`, svc.error ? [{ vi: `Lỗi: ${svc.error}`, en: `Error: ${svc.error}` }] : []);
  }

  // Without Temporal the pollers are unknown: only a worker without a heartbeat is surely down.
  const w = s.services.worker;
  const temporalAnswered = !w.workflow.error && !w.activity.error;
  const beat = w.heartbeats.lastSeenAt ? timesAndDays(w.heartbeats.lastSeenAt) : { vi: 'chưa có', en: 'none' };
  const workerDetails: Bilingual[] = [
    {
      vi: `Hàng đợi ${w.taskQueue}: ${w.workflow.pollers} worker nhận việc quy trình, ${w.activity.pollers} worker nhận việc tác vụ; ${w.heartbeats.live} worker còn hoạt động (tín hiệu gần nhất: ${beat.vi}).`,
      en: `Task queue ${w.taskQueue}: ${w.workflow.pollers} worker(s) polling for workflow tasks, ${w.activity.pollers} for activity tasks; ${w.heartbeats.live} worker(s) live (last heartbeat: ${beat.en}).`,
    },
  ];
  if (w.heartbeats.error) unknown.push('worker_down');
  else if (temporalAnswered ? w.status === 'down' : w.heartbeats.live === 0) add('worker_down', workerDetails);
  else if (!temporalAnswered) unknown.push('worker_down');

  if (s.workflows.error) unknown.push('workflow_task_failing', 'activity_retrying');
  else {
    const failing = s.workflows.stuck.filter((x) => x.problems.includes('workflow_task_failing'));
    if (failing.length)
      add('workflow_task_failing', moreLines(failing.length, failing.slice(0, DETAIL_LINES).map((x) => {
        const why = x.workflowTask?.lastFailure ? ` — ${x.workflowTask.lastFailure.slice(0, 200)}` : '';
        const n = x.workflowTask?.failures ?? 0;
        return { vi: `${x.workflowId} (${x.type}): lỗi ${n} lần liên tiếp${why}. Xem: ${x.links.temporal}`, en: `${x.workflowId} (${x.type}): failed ${n} times in a row${why}. See ${x.links.temporal}` };
      })));
    const retrying = s.workflows.stuck.flatMap((x) => x.activities.map((a) => ({ x, a })));
    if (retrying.length)
      add('activity_retrying', moreLines(retrying.length, retrying.slice(0, DETAIL_LINES).map(({ x, a }) => {
        const why = a.lastFailure ? ` — ${a.lastFailure.slice(0, 200)}` : '';
        return { vi: `${x.workflowId}: tác vụ ${a.activityType} đã thất bại ${a.failures} lần${why}. Xem: ${x.links.temporal}`, en: `${x.workflowId}: activity ${a.activityType} failed ${a.failures} attempts${why}. See ${x.links.temporal}` };
      })));
  }

  if (s.emails.total > 0) {
    const latest = s.emails.items[0];
    add('email_failing', [
      {
        vi: `${s.emails.total} thư có lần gửi gần nhất không thành công (các thư này vẫn được gửi lại).${latest ? ` Lỗi gần nhất: ${latest.lastError.slice(0, 200)}` : ''}`,
        en: `${s.emails.total} e-mail(s) whose last attempt failed (they are still being retried).${latest ? ` Latest error: ${latest.lastError.slice(0, 200)}` : ''}`,
      },
    ]);
  }

  // Issue 17: the data directory's disk (only when the API watches one); unreadable, it keeps its state.
  if (s.disk?.status === 'low') {
    const gb = (n: number) => (n / 1024 ** 3).toFixed(1);
    add('disk_low', [
      {
        vi: `Đã dùng ${s.disk.usedPercent}%, còn trống ${gb(s.disk.freeBytes).replace('.', ',')} GB / ${gb(s.disk.totalBytes).replace('.', ',')} GB (ngưỡng cảnh báo: dưới ${s.disk.thresholds.freePercent}% hoặc dưới ${s.disk.thresholds.freeMb} MB). Dọn bớt hoặc mở rộng ổ đĩa trước khi cơ sở dữ liệu ngừng ghi.`,
        en: `${s.disk.usedPercent}% used, ${gb(s.disk.freeBytes)} GB free of ${gb(s.disk.totalBytes)} GB (warned below ${s.disk.thresholds.freePercent}% or ${s.disk.thresholds.freeMb} MB free). Free some space or grow the disk before the database stops writing.`,
      },
    ]);
  } else if (s.disk?.status === 'unknown') unknown.push('disk_low');

  const last = s.readModels.lastReconciliation;
  if (last && driftUnrepaired(last)) {
    const at = timesAndDays(last.finishedAt);
    add('read_model_drift', [
      {
        vi: `Lần đối soát gần nhất (${at.vi}${last.dryRun ? ', chạy thử' : ''}) phát hiện ${last.drifted} nhiệm vụ lệch, đã sửa ${last.repaired}.`,
        en: `The last reconciliation (${at.en}${last.dryRun ? ', a dry run' : ''}) found ${last.drifted} task(s) drifted and repaired ${last.repaired}.`,
      },
    ]);
  }
  return { present, unknown };
}

function moreLines(total: number, lines: Bilingual[]): Bilingual[] {
  return total > lines.length ? [...lines, { vi: `… và ${total - lines.length} mục khác (xem trang Vận hành).`, en: `… and ${total - lines.length} more (see the operations page).` }] : lines;
}

interface OpsAlertDoc {
  _id: string;
  departmentId: string;
  key: AlertKey;
  active: boolean;
  episode: number;
  startedAt: Date;
  resolvedAt?: Date;
  lastSeenAt: Date;
  /** What the last check that found it saw (the "problem" e-mail shows it). */
  details: Bilingual[];
  updatedAt: Date;
}

interface OpsAlertNoticeDoc {
  _id: string;
  alertId: string;
  departmentId: string;
  key: AlertKey;
  episode: number;
  kind: 'started' | 'resolved';
  status: 'sending' | 'sent';
  to: string[];
  subject: string;
  messageId: string;
  claimedAt: Date;
  sentAt?: Date;
}

export interface SentNotice {
  departmentId: string;
  key: AlertKey;
  kind: 'started' | 'resolved';
  episode: number;
  to: string[];
}

export interface OpsAlerts {
  /** One check of every Department; what it sent. */
  check(): Promise<SentNotice[]>;
  /** Checks every OPS_ALERT_INTERVAL_SECONDS (the first after one interval) until stopped. */
  start(): { stop(): Promise<void> };
}

export function createOpsAlerts(deps: Pick<ApiDeps, 'config' | 'store' | 'temporal' | 'mailer'> & { logger: Logger; operations?: OperationsChecks }): OpsAlerts {
  const { config, store, mailer, logger } = deps;
  const ops = deps.operations ?? operationsChecks(deps);
  const alerts = store.connection.collection<OpsAlertDoc>('ops_alerts');
  const notices = store.connection.collection<OpsAlertNoticeDoc>('ops_alert_notices');
  const operationsUrl = `${config.PUBLIC_BASE_URL.replace(/\/+$/, '')}/admin/operations`;

  /** Brings the stored state of one problem in line with what the check found. */
  async function transition(departmentId: string, key: AlertKey, found: Finding | undefined, doc: OpsAlertDoc | undefined, now: Date): Promise<void> {
    const _id = `${departmentId}:${key}`;
    if (found) {
      if (!doc) {
        try {
          await alerts.insertOne({ _id, departmentId, key, active: true, episode: 1, startedAt: now, lastSeenAt: now, details: found.details, updatedAt: now });
        } catch (err) {
          if (!isDuplicateKey(err)) throw err; // another process recorded it first
        }
      } else if (!doc.active) {
        await alerts.updateOne({ _id, active: false, episode: doc.episode }, { $set: { active: true, episode: doc.episode + 1, startedAt: now, lastSeenAt: now, details: found.details, updatedAt: now }, $unset: { resolvedAt: '' } });
      } else {
        await alerts.updateOne({ _id, active: true, episode: doc.episode }, { $set: { lastSeenAt: now, details: found.details, updatedAt: now } });
      }
    } else if (doc?.active) {
      await alerts.updateOne({ _id, active: true, episode: doc.episode }, { $set: { active: false, resolvedAt: now, updatedAt: now } });
    }
  }

  /** Sends the notice an episode owes, unless it went (or is going) already; see the module's comment. */
  async function deliver(doc: OpsAlertDoc, admins: string[]): Promise<SentNotice | undefined> {
    const kind = doc.active ? ('started' as const) : ('resolved' as const);
    const noticeId = `${doc._id}#${doc.episode}:${kind}`;
    const earlier = await notices.findOne({ _id: noticeId });
    if (earlier?.status === 'sent') return undefined;
    let claimId = noticeId;
    if (earlier) {
      if (Date.now() - new Date(earlier.claimedAt).getTime() < NOTICE_STALE_MS) return undefined; // being sent by another process
      claimId = `${noticeId}~resent`; // its sender died: once more, never a third time
    }
    const messageId = `<ops-${createHash('sha256').update(noticeId).digest('hex').slice(0, 32)}@khcn-flow.local>`;
    const { subject, html, text } = renderEmail('ops-alert', 'vi', {
      started: doc.active,
      title: ALERT_TITLES[doc.key],
      since: timesAndDays(new Date(doc.startedAt).toISOString()),
      until: doc.resolvedAt ? timesAndDays(new Date(doc.resolvedAt).toISOString()) : null,
      details: doc.active ? doc.details : [],
      departmentId: doc.departmentId,
      operationsUrl,
    });
    try {
      await notices.insertOne({ _id: claimId, alertId: doc._id, departmentId: doc.departmentId, key: doc.key, episode: doc.episode, kind, status: 'sending', to: admins, subject, messageId, claimedAt: new Date() });
    } catch (err) {
      if (isDuplicateKey(err)) return undefined; // another process took it
      throw err;
    }
    try {
      await mailer.sendMail({ from: config.MAIL_FROM, to: admins, subject, html, text, messageId });
    } catch (err) {
      // Released: a later check sends it (while it is still owed).
      await notices.deleteOne({ _id: claimId, status: 'sending' });
      logger.warn({ err, departmentId: doc.departmentId, alert: doc.key, kind }, 'operations alert not sent; retried at the next check');
      return undefined;
    }
    const sentAt = new Date();
    await notices.updateOne({ _id: claimId }, { $set: { status: 'sent', sentAt } });
    if (claimId !== noticeId) await notices.updateOne({ _id: noticeId }, { $set: { status: 'sent', sentAt } });
    logger.info({ departmentId: doc.departmentId, alert: doc.key, kind, episode: doc.episode, recipients: admins.length }, 'operations alert sent');
    return { departmentId: doc.departmentId, key: doc.key, kind, episode: doc.episode, to: admins };
  }

  async function checkDepartment(departmentId: string, admins: string[], shared: Parameters<OperationsChecks['status']>[1]): Promise<SentNotice[]> {
    const now = new Date();
    const { present, unknown } = problemsOf(await ops.status(departmentId, shared));
    const byKey = new Map(present.map((f) => [f.key, f]));
    const stored = new Map((await alerts.find({ departmentId }).toArray()).map((d) => [d.key, d]));
    for (const key of ALERT_KEYS) {
      if (unknown.includes(key)) continue;
      await transition(departmentId, key, byKey.get(key), stored.get(key), now);
    }
    const sent: SentNotice[] = [];
    for (const doc of await alerts.find({ departmentId }).toArray()) {
      const s = await deliver(doc, admins);
      if (s) sent.push(s);
    }
    return sent;
  }

  async function check(): Promise<SentNotice[]> {
    const admins = await store.User.find({ role: 'admin', active: true }).select({ email: 1, departmentId: 1 }).lean<{ email: string; departmentId: string }[]>();
    const byDepartment = new Map<string, string[]>();
    for (const a of admins) byDepartment.set(a.departmentId, [...(byDepartment.get(a.departmentId) ?? []), a.email]);
    if (!byDepartment.size) return [];
    // What is the same for every Department is looked at once.
    const [services, worker, scan] = await Promise.all([ops.dependencies(), ops.workerStatus(), ops.scanWorkflows()]);
    const sent: SentNotice[] = [];
    for (const [departmentId, emails] of byDepartment) {
      try {
        sent.push(...(await checkDepartment(departmentId, [...new Set(emails)].sort(), { services, worker, scan })));
      } catch (err) {
        logger.error({ err, departmentId }, 'operations alert check failed');
      }
    }
    return sent;
  }

  return {
    check,
    start() {
      let running: Promise<unknown> | undefined;
      const tick = () => {
        running ??= check()
          .catch((err) => logger.error({ err }, 'operations alert check failed'))
          .finally(() => {
            running = undefined;
          });
      };
      const timer = setInterval(tick, config.OPS_ALERT_INTERVAL_SECONDS * 1000);
      timer.unref();
      return {
        async stop() {
          clearInterval(timer);
          await running;
        },
      };
    },
  };
}
