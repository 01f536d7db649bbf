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
export function problemHandler(onUnexpected: (err: unknown, req: Request) => void): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof Problem) return sendProblem(req, res, err);
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
