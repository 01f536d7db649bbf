/**
 * The one HTTP client of the web app: every page reaches the API through it (never fetch
 * directly). Browser sessions ride on the httpOnly session cookie; unsafe methods carry the
 * CSRF token (double submit: the readable khcn_csrf cookie, echoed in X-CSRF-Token); every
 * POST carries an Idempotency-Key so that a retried submission is answered, not repeated;
 * errors arrive as RFC 9457 problem details and become ApiError with their field errors.
 */
import type { Locale } from '../i18n/locale';
import type { ProblemDetails, UploadedFile, UploadResult } from './types';

export type { UploadedFile };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: ProblemDetails,
  ) {
    super(problem.detail ?? problem.title);
  }

  /** Field errors keyed by the API's field path ('host.pi.email', 'expectedProducts.1'). */
  get fieldErrors(): { field: string; reason: string }[] {
    return (this.problem.errors ?? []).filter((e) => e.field && !e.field.startsWith('(')).map((e) => ({ field: e.field, reason: e.reason }));
  }
}

let locale: Locale = 'vi';
/** The language the API answers in (Accept-Language), kept in step with the page's. */
export const setApiLocale = (l: Locale) => {
  locale = l;
};

export function readCookie(name: string): string | undefined {
  const hit = document.cookie.split('; ').find((c) => c.startsWith(`${name}=`));
  return hit ? decodeURIComponent(hit.slice(name.length + 1)) : undefined;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const newIdempotencyKey = () => `web-${crypto.randomUUID()}`;

function headersFor(method: string, extra: Record<string, string> = {}): Record<string, string> {
  const h: Record<string, string> = { Accept: 'application/json, application/problem+json', 'Accept-Language': locale, ...extra };
  if (UNSAFE.has(method)) {
    const csrf = readCookie('khcn_csrf');
    if (csrf) h['X-CSRF-Token'] = csrf;
  }
  return h;
}

async function problemOf(res: Response): Promise<ProblemDetails> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as ProblemDetails;
    if (body && typeof body === 'object' && typeof body.status === 'number') return body;
  } catch {
    /* not JSON: a proxy or the network */
  }
  return { type: 'about:blank', title: res.statusText || `HTTP ${res.status}`, status: res.status };
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export async function api<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const url = new URL(`/api/v1${path}`, window.location.origin);
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
  const extra: Record<string, string> = {};
  if (opts.body !== undefined) extra['Content-Type'] = 'application/json';
  if (method === 'POST') extra['Idempotency-Key'] = opts.idempotencyKey ?? newIdempotencyKey();
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: headersFor(method, extra),
      credentials: 'same-origin',
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, { type: 'urn:khcn-flow:problem:network', title: 'network', status: 0 });
  }
  if (!res.ok) throw new ApiError(res.status, await problemOf(res));
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}


/**
 * Uploads files (multipart, streamed by the API into the store) and reports progress
 * (0–1). XMLHttpRequest, not fetch: fetch reports no upload progress.
 */
export function uploadFiles(files: File[], onProgress?: (share: number) => void, signal?: AbortSignal): Promise<UploadedFile[]> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const f of files) form.append('file', f, f.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/uploads');
    xhr.withCredentials = true;
    for (const [k, v] of Object.entries(headersFor('POST'))) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, { type: 'urn:khcn-flow:problem:network', title: 'network', status: 0 }));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve((body as UploadResult).items);
      else reject(new ApiError(xhr.status, (body as ProblemDetails | undefined) ?? { type: 'about:blank', title: `HTTP ${xhr.status}`, status: xhr.status }));
    };
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(form);
  });
}
