/**
 * zod, extended once so every schema can describe itself in the OpenAPI
 * document. API modules import `z` from here, never from 'zod' directly, so the
 * extension is in place whichever module loads first.
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export { z };
