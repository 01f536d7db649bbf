/**
 * RFC 9457 problem details (application/problem+json) with stable type codes,
 * field paths and messages in the caller's language. Never a stack trace.
 */
import type { ErrorRequestHandler, Request, Response } from 'express';
import type { z } from 'zod';
import type { Locale } from '../workflows/definitions';
import { errorMap, pickLocale } from './i18n';

export type Bilingual = { vi: string; en: string };

export interface FieldError {
  field: string;
  code: string;
  reason: string;
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: Bilingual,
    readonly detail?: Bilingual,
    readonly extras: Record<string, unknown> = {},
  ) {
    super(title.en);
  }
}

export const problemType = (code: string) => `urn:khcn-flow:problem:${code}`;

export function sendProblem(req: Request, res: Response, p: Problem): void {
  const locale = pickLocale(req);
  res
    .status(p.status)
    .type('application/problem+json')
    .set('Content-Language', locale)
    .json({
      type: problemType(p.code),
      title: p.title[locale],
      status: p.status,
      ...(p.detail ? { detail: p.detail[locale] } : {}),
      instance: req.originalUrl,
      requestId: req.id,
      ...p.extras,
    });
}

/** Parses with a strict schema; a failure becomes a 400 naming every field and reason. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, locale: Locale, where = 'body'): z.infer<S> {
  const parsed = schema.safeParse(value, { error: errorMap(locale) });
  if (parsed.success) return parsed.data;
  const errors: FieldError[] = parsed.error.issues.flatMap((i): FieldError[] => {
    const base = i.path.map(String);
    if (i.code === 'unrecognized_keys') {
      return i.keys.map((k) => ({ field: [...base, k].join('.'), code: i.code, reason: i.message }));
    }
    // A text field's fault carries its own code (ill_formed_unicode, control_character, blank, invisible_only).
    const code = (i as { params?: { code?: unknown } }).params?.code;
    return [{ field: base.join('.') || '(root)', code: typeof code === 'string' ? code : i.code, reason: i.message }];
  });
  throw new Problem(
    400,
    'validation-error',
    { vi: 'Dữ liệu không hợp lệ', en: 'Invalid input' },
    {
      vi: errors.map((e) => `${e.field}: ${e.reason}`).join(' '),
      en: errors.map((e) => `${e.field}: ${e.reason}`).join(' '),
    },
    { in: where, errors },
  );
}

export const notFound = () =>
  new Problem(404, 'not-found', { vi: 'Không tìm thấy', en: 'Not found' });

/** The last middleware: known problems, body-parser failures, and everything else as a bare 500. */
const STORE_DOWN = /^(MongoServerSelectionError|MongooseServerSelectionError|MongoNetworkError|MongoNetworkTimeoutError|MongoNotConnectedError|MongoTopologyClosedError|MongoPoolClearedError)$/;

/**
 * Which dependency an error says is down (issue 17): the store (the driver found no server or lost
 * it) or Temporal (gRPC UNAVAILABLE or DEADLINE_EXCEEDED). Such a request is not at fault and not a
 * bug of ours: it may pass again shortly.
 */
export function dependencyDown(err: unknown): 'store' | 'temporal' | undefined {
  for (let e = err as { name?: string; code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.name === 'string' && STORE_DOWN.test(e.name)) return 'store';
    // Mongoose holds commands while disconnected, then gives up with this.
    if (e.name === 'MongooseError' && /buffering timed out/.test(String((e as { message?: unknown }).message))) return 'store';
    if (e.name === 'ServiceError' || e.name === 'GrpcError' || ((e.code === 14 || e.code === 4) && typeof (e as { details?: unknown }).details === 'string')) return 'temporal';
  }
  return undefined;
}

/** Seconds a client waits before trying again when a dependency is down. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

export function serviceUnavailable(which: 'store' | 'temporal'): Problem {
  return new Problem(503, 'service-unavailable', { vi: 'Hệ thống tạm thời gián đoạn', en: 'Temporarily unavailable' }, which === 'store'
    ? { vi: 'Cơ sở dữ liệu tạm thời không phản hồi; chưa có gì được ghi. Vui lòng thử lại sau ít giây.', en: 'The database is not answering for the moment; nothing was recorded. Please try again in a few seconds.' }
    : { vi: 'Máy chủ quy trình tạm thời không phản hồi. Vui lòng thử lại sau ít giây với cùng yêu cầu (cùng Idempotency-Key).', en: 'The workflow server is not answering for the moment. Please try again in a few seconds with the same request (the same Idempotency-Key).' },
  { dependency: which });
}

export function problemHandler(onUnexpected: (err: unknown, req: Request) => void): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof Problem) return sendProblem(req, res, err);
    const down = dependencyDown(err);
    if (down) {
      res.set('Retry-After', String(OUTAGE_RETRY_AFTER_SECONDS));
      return sendProblem(req, res, serviceUnavailable(down));
    }
    const type = (err as { type?: string }).type;
    if (type === 'entity.parse.failed') {
      return sendProblem(
        req,
        res,
        new Problem(400, 'malformed-json', { vi: 'JSON không hợp lệ', en: 'Malformed JSON' }, {
          vi: 'Nội dung yêu cầu không phải là JSON hợp lệ.',
          en: 'The request body is not valid JSON.',
        }, { errors: [{ field: '(body)', code: 'malformed_json', reason: (err as Error).message }] }),
      );
    }
    if (type === 'entity.too.large') {
      const limit = (err as { limit?: number }).limit;
      return sendProblem(
        req,
        res,
        new Problem(413, 'payload-too-large', { vi: 'Nội dung quá lớn', en: 'Payload too large' }, {
          vi: `Nội dung yêu cầu vượt quá giới hạn ${limit ?? ''} byte.`,
          en: `The request body exceeds the limit of ${limit ?? ''} bytes.`,
        }, { errors: [{ field: '(body)', code: 'too_large', reason: `limit ${limit} bytes` }] }),
      );
    }
    if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
      return sendProblem(req, res, new Problem(415, 'unsupported-media-type', { vi: 'Mã hóa không được hỗ trợ', en: 'Unsupported encoding' }));
    }
    // Any other error that says the request was at fault (a malformed gzip body, a path that does
    // not decode) keeps its 4xx: a bad request is never answered as our own failure (issue 15).
    const status = Number((err as { status?: unknown; statusCode?: unknown }).status ?? (err as { statusCode?: unknown }).statusCode);
    if (status >= 400 && status < 500) {
      return sendProblem(
        req,
        res,
        new Problem(status, 'bad-request', { vi: 'Yêu cầu không hợp lệ', en: 'Bad request' }, {
          vi: 'Yêu cầu không đọc được (nội dung nén hỏng, đường dẫn không giải mã được hoặc tương tự).',
          en: 'The request could not be read (a corrupt compressed body, a path that does not decode, or the like).',
        }),
      );
    }
    onUnexpected(err, req);
    return sendProblem(req, res, new Problem(500, 'internal-error', { vi: 'Lỗi hệ thống', en: 'Internal error' }));
  };
}
