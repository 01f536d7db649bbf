/**
 * Server state, through one query library: every read is a query keyed by what it reads,
 * every command a mutation that refreshes what it changed. No page keeps its own copy.
 */
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from './client';
import type {
  CommandBody,
  CommandName,
  CouncilCommandBody,
  CouncilCommandName,
  CouncilList,
  CouncilView,
  TaskCreated,
  TaskList,
  TaskListQuery,
  TaskView,
  UserView,
  VoteReceipt,
  ProposalBody,
  PublicCall,
  PublicCallList,
  AuditPage,
  AuditQuery,
  NewUserBody,
  UserList,
  UserListQuery,
  UserPatchBody,
  PeopleList,
  PeopleQuery,
  PortfolioImportJob,
  PortfolioImportPreview,
  UserImportReport,
  ReconciliationStatus,
  ReconciliationRun,
  OperationsStatus,
  PublicStatus,
  PublicStatusBody,
  OpenData,
} from './types';

export const keys = {
  me: ['me'] as const,
  tasks: (q: TaskListQuery) => ['tasks', q] as const,
  task: (id: string) => ['task', id] as const,
  publicCalls: ['public-calls'] as const,
  publicCall: (id: string) => ['public-call', id] as const,
  councils: ['councils'] as const,
  council: (id: string) => ['council', id] as const,
};

/** Retries only what may pass on retry: never a refusal (4xx). */
const retry = (count: number, err: unknown) => count < 2 && !(err instanceof ApiError && err.status >= 400 && err.status < 500);

export function useMe() {
  return useQuery({
    queryKey: keys.me,
    queryFn: async () => {
      try {
        return await api<UserView>('GET', '/auth/me');
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 60_000,
    retry,
  });
}

export function useTasks(query: TaskListQuery) {
  return useInfiniteQuery({
    queryKey: keys.tasks(query),
    queryFn: ({ pageParam }) => api<TaskList>('GET', '/tasks', { query: { ...(query as Record<string, string | undefined>), ...(pageParam ? { cursor: pageParam } : {}) } }),
    initialPageParam: '' as string,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    retry,
  });
}

/** A task as the caller may see it. */
export type TaskPageView = TaskView;

export function useTask(taskId: string) {
  return useQuery({ queryKey: keys.task(taskId), queryFn: () => api<TaskPageView>('GET', `/tasks/${encodeURIComponent(taskId)}`), retry });
}

/** The kebab-case path of a command (the API's own naming rule). */
export const commandPath = (name: CommandName) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export function useTaskCommand<K extends CommandName>(taskId: string, command: K) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: CommandBody<K> & { attachments?: string[] }; idempotencyKey: string }) =>
      api<TaskPageView>('POST', `/tasks/${encodeURIComponent(taskId)}/${commandPath(command)}`, { body, idempotencyKey }),
    onSuccess: (task) => {
      qc.setQueryData(keys.task(taskId), task);
      void qc.invalidateQueries({ queryKey: ['tasks'] });
      void qc.invalidateQueries({ queryKey: keys.publicCalls });
    },
  });
}

export function useFileProposal() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: ProposalBody & { attachments?: string[] }; idempotencyKey: string }) => api<TaskCreated>('POST', '/proposals', { body, idempotencyKey }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['tasks'] }),
  });
}

export function usePublicCalls() {
  return useQuery({ queryKey: keys.publicCalls, queryFn: () => api<PublicCallList>('GET', '/public/calls'), retry });
}

export function usePublicCall(taskId: string) {
  return useQuery({ queryKey: keys.publicCall(taskId), queryFn: () => api<PublicCall>('GET', `/public/calls/${encodeURIComponent(taskId)}`), retry });
}

export function useMyCouncils() {
  return useQuery({ queryKey: keys.councils, queryFn: () => api<CouncilList>('GET', '/councils/mine'), retry });
}

/** A council as the caller may see it (the dossier and its files once declared). */
export type CouncilPageView = CouncilView;

export function useCouncil(councilId: string) {
  return useQuery({ queryKey: keys.council(councilId), queryFn: () => api<CouncilPageView>('GET', `/councils/${encodeURIComponent(councilId)}`), retry });
}

const COUNCIL_PATHS: Record<CouncilCommandName, string> = {
  declareConflict: 'conflict-declarations',
  recordAttendance: 'attendance',
  castVote: 'votes',
  reschedule: 'reschedule',
  chairTieBreak: 'tie-break',
  submitWrittenReview: 'written-reviews',
  enterPaperBallots: 'paper-ballots',
};

export function useCouncilCommand<K extends CouncilCommandName>(councilId: string, command: K) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: CouncilCommandBody<K> & { attachments?: string[] }; idempotencyKey: string }) =>
      api<K extends 'castVote' ? VoteReceipt : CouncilPageView>('POST', `/councils/${encodeURIComponent(councilId)}/${COUNCIL_PATHS[command]}`, { body, idempotencyKey }),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: keys.council(councilId) });
      void qc.invalidateQueries({ queryKey: keys.councils });
    },
  });
}

export function useSetMyLocale() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (locale: 'vi' | 'en') => api<UserView>('PATCH', '/auth/me', { body: { locale } }),
    onSuccess: (user) => qc.setQueryData(keys.me, user),
  });
}

export function useUsers(query: UserListQuery) {
  return useInfiniteQuery({
    queryKey: ['users', query],
    queryFn: ({ pageParam }) => api<UserList>('GET', '/users', { query: { ...(query as Record<string, string | undefined>), ...(pageParam ? { cursor: pageParam } : {}) } }),
    initialPageParam: '' as string,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    retry,
  });
}

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: NewUserBody; idempotencyKey: string }) => api<UserView>('POST', '/users', { body, idempotencyKey }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['users'] }),
  });
}

export function usePatchUser(userId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: UserPatchBody) => api<UserView>('PATCH', `/users/${encodeURIComponent(userId)}`, { body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['users'] }),
  });
}

export function useAuditLog(query: AuditQuery) {
  return useInfiniteQuery({
    queryKey: ['audit', query],
    queryFn: ({ pageParam }) => api<AuditPage>('GET', '/audit-log', { query: { ...(query as Record<string, string | undefined>), ...(pageParam ? { cursor: pageParam } : {}) } }),
    initialPageParam: '' as string,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    retry,
  });
}

// ---- The Department's dashboards (issue 11) ----

/** The portfolio's read-only lists and figures, by their path under /portfolio. */
export function usePortfolio<T>(path: string, query: Record<string, string | number | undefined> = {}, opts: { enabled?: boolean } = {}) {
  return useQuery({ queryKey: ['portfolio', path, query], queryFn: () => api<T>('GET', `/portfolio/${path}`, { query }), retry, ...opts });
}

/** A list's address as a file (format=csv|xlsx), downloaded with the session cookie. */
export function exportHref(path: string, format: 'csv' | 'xlsx', query: Record<string, string | number | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v));
  q.set('format', format);
  return `/api/v1${path}?${q.toString()}`;
}

export function usePeople(query: PeopleQuery) {
  return useInfiniteQuery({
    queryKey: ['people', query],
    queryFn: ({ pageParam }) => api<PeopleList>('GET', '/people', { query: { ...(query as Record<string, string | undefined>), ...(pageParam ? { cursor: pageParam } : {}) } }),
    initialPageParam: '' as string,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    retry,
  });
}

// ---- Imports and reconciliation ----

export function usePortfolioImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ uploadId, dryRun, idempotencyKey }: { uploadId: string; dryRun: boolean; idempotencyKey: string }) =>
      api<PortfolioImportPreview | PortfolioImportJob>('POST', '/portfolio/imports', { body: { uploadId, dryRun }, idempotencyKey }),
    onSuccess: (r) => {
      if ('importId' in r) qc.setQueryData(['portfolio-import', r.importId], r);
    },
  });
}

/** A running import, polled until it is done or failed. */
export function usePortfolioImportJob(importId: string | undefined) {
  return useQuery({
    queryKey: ['portfolio-import', importId],
    queryFn: () => api<PortfolioImportJob>('GET', `/portfolio/imports/${encodeURIComponent(importId!)}`),
    enabled: Boolean(importId),
    refetchInterval: (q) => (q.state.data && (q.state.data.status === 'done' || q.state.data.status === 'failed') ? false : 1_000),
    retry,
  });
}

export function useUserImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ uploadId, dryRun, idempotencyKey }: { uploadId: string; dryRun: boolean; idempotencyKey: string }) => api<UserImportReport>('POST', '/users/imports', { body: { uploadId, dryRun }, idempotencyKey }),
    onSuccess: (r) => {
      if (!r.dryRun) void qc.invalidateQueries({ queryKey: ['users'] });
      void qc.invalidateQueries({ queryKey: ['people'] });
    },
  });
}

/** The last reconciliation, polled while one runs. */
export function useReconciliation() {
  return useQuery({
    queryKey: ['reconciliation'],
    queryFn: () => api<ReconciliationStatus>('GET', '/portfolio/reconciliation'),
    refetchInterval: (q) => (q.state.data?.lastRun && (q.state.data.lastRun.status === 'queued' || q.state.data.lastRun.status === 'running') ? 1_000 : false),
    retry,
  });
}

export function useRunReconciliation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ dryRun, idempotencyKey }: { dryRun: boolean; idempotencyKey: string }) => api<ReconciliationRun>('POST', '/portfolio/reconciliation', { body: { dryRun }, idempotencyKey }),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['reconciliation'] }),
  });
}

// ---- Operations (admin) ----

export function useOperationsStatus() {
  return useQuery({ queryKey: ['operations'], queryFn: () => api<OperationsStatus>('GET', '/operations/status'), refetchInterval: 30_000, retry });
}

// ---- Public: status lookup and open data ----

export function usePublicStatusLookup() {
  return useMutation({ mutationFn: ({ body, idempotencyKey }: { body: PublicStatusBody; idempotencyKey: string }) => api<PublicStatus>('POST', '/public/status', { body, idempotencyKey }) });
}

export function useOpenData() {
  return useQuery({ queryKey: ['open-data'], queryFn: () => api<OpenData>('GET', '/public/open-data'), staleTime: 60_000, retry });
}
