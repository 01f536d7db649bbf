/**
 * The codec endpoint for the Temporal Web UI (issue 15): the UI posts the payloads of a history it
 * shows and gets them decoded, so that an operator sees the personal data of a workflow while
 * Temporal itself keeps only ciphertext. Only the Department's admins may call it, and it never
 * opens a secret ballot: the API does not hold the ballot private keys (the worker does), so a
 * ballot comes back as a sealed placeholder, whoever asks.
 *
 * In the Web UI: Settings → Codec Server → `${PUBLIC_BASE_URL}/api/v1/temporal-codec`, with "Pass
 * the user access token" when the UI signs in with the same OpenID Connect provider as the API
 * (AUTH_JWKS_URL), and the UI's origin in CORS_ORIGINS. See the README's security section.
 */
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { caller, requireRole } from '../auth';
import { pickLocale } from '../i18n';
import { parseOrThrow, Problem } from '../problem';
import { z } from '../zod';

const base64 = z.string().max(1_000_000).regex(/^[A-Za-z0-9+/]*={0,2}$/).describe('base64');
const JsonPayload = z
  .object({
    // (no dots: the API refuses dotted keys in every body; Temporal's metadata keys have none)
    metadata: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,100}$/), base64).optional().openapi({ propertyNames: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,100}$' } } as never),
    data: base64.optional(),
  })
  .strict();
export const CodecBody = z.object({ payloads: z.array(JsonPayload).max(1_000) }).strict();
const CodecResult = z.object({ payloads: z.array(JsonPayload) }).strict();
const NamespaceHeader = z.object({ 'x-namespace': z.string().optional().describe('The Temporal namespace (the Web UI sends it); when given, it must be this deployment\'s') });

type JsonPayload = z.infer<typeof JsonPayload>;
const fromJson = (p: JsonPayload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])),
  ...(p.data !== undefined ? { data: new Uint8Array(Buffer.from(p.data, 'base64')) } : {}),
});
const toJson = (p: { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null }): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  ...(p.data ? { data: Buffer.from(p.data).toString('base64') } : {}),
});

export const TEMPORAL_CODEC_DECODE_PATH = '/api/v1/temporal-codec/decode';

export function temporalCodecRouter(deps: ApiDeps): Router {
  const r = Router();
  r.post('/temporal-codec/decode', requireRole('admin'), async (req, res) => {
    const locale = pickLocale(req);
    const user = caller(req);
    // The namespace holds this Department's workflows only: another Department's admin has no business here.
    if (user.departmentId !== deps.config.DEPARTMENT_ID) {
      throw new Problem(403, 'forbidden', { vi: 'Không có quyền', en: 'Forbidden' }, { vi: 'Chỉ quản trị viên của Sở vận hành hệ thống này.', en: 'Only the admins of the Department that runs this system.' });
    }
    const namespace = req.get('x-namespace');
    if (namespace !== undefined && namespace !== deps.config.TEMPORAL_NAMESPACE) {
      throw new Problem(404, 'not-found', { vi: 'Không tìm thấy', en: 'Not found' });
    }
    const { payloads } = parseOrThrow(CodecBody, req.body ?? {}, locale);
    const decoded = deps.codec ? await deps.codec.decodeForViewer(payloads.map(fromJson)) : payloads.map(fromJson);
    res.json({ payloads: decoded.map(toJson) });
  });
  return r;
}

export function registerTemporalCodecPaths(registry: OpenAPIRegistry, h: { json: (d: string, s: z.ZodType) => ResponseConfig; errors: Record<string, ResponseConfig>; languageHeader: z.ZodObject }): void {
  registry.registerPath({
    method: 'post',
    path: '/api/v1/temporal-codec/decode',
    operationId: 'temporalCodecDecode',
    summary: 'The Temporal Web UI\'s codec endpoint: payloads decoded (personal data), never a ballot (admins of the Department)',
    description:
      'Roles: admin of the Department that runs this deployment. The Temporal Web UI\'s Codec Server protocol (POST {endpoint}/decode). Payloads encrypted with a data key come back decoded; a secret ballot (sealed with a key only the worker holds) comes back as a placeholder; anything else as it was sent.',
    security: [{ bearer: [] }, { session: [] }],
    request: { headers: h.languageHeader.extend(NamespaceHeader.shape), body: { content: { 'application/json': { schema: CodecBody } } } },
    responses: { 200: h.json('The payloads, decoded where this process may decode them', CodecResult), ...h.errors },
  });
}
