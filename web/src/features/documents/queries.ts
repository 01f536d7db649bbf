/**
 * Issue 12: official documents on their way out (draft → signature → number → issue), as the
 * documents API gives them: what awaits the caller's signature, the Department's outgoing
 * documents, one document and the three steps on it.
 */
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type * as D from '../../../../api/routes/documents';
import { api, ApiError } from '../../api/client';

export type IssuanceSummary = z.infer<typeof D.IssuanceSummary>;
export type IssuanceDetail = z.infer<typeof D.IssuanceDetail>;
export type PendingSignatures = z.infer<typeof D.PendingSignatures>;
export type PendingItem = PendingSignatures['items'][number];
export type IssuanceList = z.infer<typeof D.IssuanceList>;
export type RegisterBody = z.input<typeof D.RegisterBody>;
export type IssuanceStatus = IssuanceSummary['status'];
export type IssuanceAction = IssuanceDetail['allowedActions'][number];

const retry = (count: number, err: unknown) => count < 2 && !(err instanceof ApiError && err.status >= 400 && err.status < 500);

export function usePendingSignatures() {
  return useQuery({ queryKey: ['signatures-pending'], queryFn: () => api<PendingSignatures>('GET', '/signatures/pending'), retry });
}

export function useOutgoingDocuments(status: string) {
  return useInfiniteQuery({
    queryKey: ['documents', status],
    queryFn: ({ pageParam }) => api<IssuanceList>('GET', '/documents', { query: { status, ...(pageParam ? { cursor: pageParam } : {}) } }),
    initialPageParam: '' as string,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    retry,
  });
}

export function useIssuance(documentId: string) {
  return useQuery({ queryKey: ['document', documentId], queryFn: () => api<IssuanceDetail>('GET', `/documents/${encodeURIComponent(documentId)}`), retry });
}

/** Sign, register or issue; every list that shows the document is read again. */
export function useIssuanceStep(documentId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ action, body, idempotencyKey }: { action: IssuanceAction; body: Record<string, unknown>; idempotencyKey: string }) =>
      api<IssuanceDetail>('POST', `/documents/${encodeURIComponent(documentId)}/${action}`, { body, idempotencyKey }),
    onSuccess: (view) => {
      qc.setQueryData(['document', documentId], view);
      void qc.invalidateQueries({ queryKey: ['documents'] });
      void qc.invalidateQueries({ queryKey: ['signatures-pending'] });
      void qc.invalidateQueries({ queryKey: ['task', view.taskId] });
    },
  });
}
