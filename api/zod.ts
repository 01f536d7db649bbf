/** The API's zod: the shared schema helpers (activities/validation/zod.ts), with the OpenAPI extension in place. */
export * from '../activities/validation/zod';
