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
