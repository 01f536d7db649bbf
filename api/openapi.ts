/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
import { OpenApiGeneratorV31, OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from './zod';
import type { CommandName } from '../workflows/definitions';
import { COMMANDS } from '../workflows/rules/transitions';
import { COMMAND_BODIES, COMMAND_SUMMARIES, commandPath } from './commands';
import { COUNCIL_BODIES, COUNCIL_PATHS, CouncilIdParam } from './routes/councils';
import { registerPortfolioPaths } from './routes/portfolio';
import type { CouncilCommandName } from '../workflows/definitions';
import {
  DocumentParams,
  Health,
  ProblemDetails,
  ProposalBody,
  TaskCreated,
  TaskIdParam,
  TaskView,
} from './schemas';

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ProblemDetails } } });
const json = (description: string, schema: z.ZodType) => ({ description, content: { 'application/json': { schema } } });
const languageHeader = z.object({ 'accept-language': z.string().optional().describe('vi (default) or en') });

export function buildOpenApiDocument(serverUrl: string) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  registry.register('Proposal', ProposalBody);
  registry.register('Task', TaskView);
  registry.register('Problem', ProblemDetails);
  const secured = [{ bearer: [] }];

  registry.registerPath({
    method: 'get',
    path: '/health',
    summary: 'Health of each dependency (Temporal, MongoDB, SMTP)',
    responses: { 200: json('All dependencies up', Health), 503: json('At least one dependency down', Health) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/proposals',
    summary: 'File a proposal (L-1): starts the task\'s lifecycle workflow',
    security: secured,
    request: {
      headers: languageHeader.extend({ 'idempotency-key': z.string().optional().describe('Repeat-safe submission key (8–128 chars)') }),
      body: { required: true, content: { 'application/json': { schema: ProposalBody } } },
    },
    responses: {
      201: json('Task created (or the same task again for a repeated Idempotency-Key)', TaskCreated),
      400: problem('Malformed JSON or invalid fields'),
      401: problem('No or invalid bearer token'),
      403: problem('Role may not file proposals'),
      413: problem('Body too large'),
      415: problem('Not JSON'),
      422: problem('Idempotency-Key reused for a different body'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/tasks/{taskId}',
    summary: 'A task with its stage, timeline and documents',
    security: secured,
    request: { params: TaskIdParam, headers: languageHeader },
    responses: { 200: json('The task', TaskView), 400: problem('Bad task ID'), 401: problem('Not authenticated'), 404: problem('No such task, or not visible to the caller') },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/tasks/{taskId}/documents/{documentId}',
    summary: 'Download a document of the task (PDF)',
    security: secured,
    request: { params: DocumentParams, headers: languageHeader },
    responses: {
      200: { description: 'The document', content: { 'application/pdf': { schema: z.string().describe('binary') } } },
      400: problem('Bad IDs'),
      401: problem('Not authenticated'),
      404: problem('No such document, or not visible to the caller'),
    },
  });
  for (const name of Object.keys(COMMAND_BODIES) as CommandName[]) {
    registry.registerPath({
      method: 'post',
      path: `/api/v1/tasks/{taskId}/${commandPath(name)}`,
      operationId: name,
      summary: COMMAND_SUMMARIES[name],
      description: `Roles: ${COMMANDS[name].roles.join(', ')}. Allowed in: ${COMMANDS[name].from.join(', ') || 'any open stage'}.`,
      security: secured,
      request: { params: TaskIdParam, headers: languageHeader, body: { required: false, content: { 'application/json': { schema: COMMAND_BODIES[name] } } } },
      responses: {
        200: json('The task after the command', TaskView),
        400: problem('Invalid input'),
        401: problem('Not authenticated'),
        403: problem('Role or organisation may not give this command'),
        404: problem('No such task, or not visible to the caller'),
        409: problem('Not allowed in the task\'s current stage or state (the reason cites the rule)'),
        422: problem('Refused by a business rule (e.g. an extension over its cap)'),
      },
    });
  }

  registry.registerPath({
    method: 'get',
    path: '/api/v1/councils/mine',
    summary: 'The councils the caller sits on (council members)',
    security: secured,
    responses: { 200: json('Councils', z.object({ items: z.array(z.looseObject({ councilId: z.string() })) })), 401: problem('Not authenticated'), 403: problem('Not a council member') },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/councils/{councilId}',
    summary: 'A council sitting: members, declarations, attendance, quorum, result (a secret ballot shows counts only)',
    security: secured,
    request: { params: CouncilIdParam, headers: languageHeader },
    responses: { 200: json('The council', z.looseObject({ councilId: z.string(), status: z.string() })), 400: problem('Bad ID'), 401: problem('Not authenticated'), 404: problem('No such council, or the caller is not on it') },
  });
  for (const name of Object.keys(COUNCIL_BODIES) as CouncilCommandName[]) {
    registry.registerPath({
      method: 'post',
      path: `/api/v1/councils/{councilId}/${COUNCIL_PATHS[name].path}`,
      operationId: `council_${name}`,
      summary: `Council: ${name}`,
      description: `Roles: ${COUNCIL_PATHS[name].roles.join(', ')}.`,
      security: secured,
      request: { params: CouncilIdParam, headers: languageHeader, body: { required: true, content: { 'application/json': { schema: COUNCIL_BODIES[name] } } } },
      responses: {
        ...(name === 'castVote'
          ? { 201: json('Vote recorded (receipt only, never the ballot)', z.object({ councilId: z.string(), memberId: z.string(), item: z.string(), recordedAt: z.string(), repeated: z.boolean() })), 200: json('The same vote again: the same receipt', z.object({ councilId: z.string(), repeated: z.boolean() }).loose()) }
          : { 200: json('The council after the command', z.looseObject({ councilId: z.string(), status: z.string() })) }),
        400: problem('Invalid input'),
        401: problem('Not authenticated'),
        403: problem('Role or membership does not allow it'),
        404: problem('No such council, or the caller is not on it'),
        409: problem('Not allowed now (window closed, already voted, no quorum, decided)'),
        422: problem('Refused by a rule (e.g. an incomplete score sheet)'),
      },
    });
  }

  registerPortfolioPaths(registry, { problem, json, languageHeader });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'KHCN Flow API',
      version: '0.1.0',
      description: 'Lifecycle of provincial S&T tasks (nhiệm vụ KH&CN). Errors are application/problem+json; messages in Vietnamese or English by Accept-Language.',
    },
    servers: [{ url: serverUrl }],
  });
}
