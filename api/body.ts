/**
 * The JSON body of a command: an empty body is `{}` where every field is
 * optional; anything that is not JSON is a 415 naming the Content-Type.
 */
import type { Request } from 'express';
import { Problem } from './problem';

export function requireJsonBody(req: Request, allowEmpty: boolean): unknown {
  const length = req.headers['content-length'];
  const empty = (length === undefined || length === '0') && !req.headers['transfer-encoding'];
  if (allowEmpty && empty) return {};
  if (!req.is(['application/json', 'application/*+json'])) {
    throw new Problem(415, 'unsupported-media-type', { vi: 'Kiểu nội dung không được hỗ trợ', en: 'Unsupported media type' }, {
      vi: 'Gửi nội dung JSON với Content-Type: application/json.',
      en: 'Send a JSON body with Content-Type: application/json.',
    }, { errors: [{ field: '(header) Content-Type', code: 'unsupported_media_type', reason: req.get('content-type') ?? 'missing' }] });
  }
  return req.body as unknown;
}
