import { z } from 'zod';
import { FIELD_RULES } from '../../signaling/shared/errors';
import type { RouteDefinition } from './route';

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              path: { type: 'string' },
              message: { type: 'string' },
              rule: { type: 'string', enum: [...FIELD_RULES] },
              limit: { type: 'number' },
            },
          },
        },
        requestId: { type: 'string' },
        retryAfterSeconds: { type: 'integer' },
      },
    },
  },
};

/**
 * JSON Schema for one zod schema. Named schemas (`.meta({ id })`) come back as `$defs`; they are
 * hoisted into `components.schemas` so each appears once in the document. When a named schema's
 * input shape differs from its output shape (defaults, transforms), the input one gets an
 * `Input` suffix.
 */
function toJsonSchema(
  schema: z.ZodType,
  io: 'input' | 'output',
  components: Record<string, unknown>,
): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });
  const {
    $schema: _schema,
    $defs,
    ...rest
  } = json as Record<string, unknown> & {
    $defs?: Record<string, unknown>;
  };
  const renames: Record<string, string> = {};
  for (const [name, def] of Object.entries($defs ?? {})) {
    const existing = components[name];
    const same = existing === undefined || JSON.stringify(existing) === JSON.stringify(def);
    renames[name] = same ? name : `${name}Input`;
  }
  const relink = (value: unknown) =>
    JSON.parse(
      JSON.stringify(value).replace(
        /"#\/\$defs\/([^"]+)"/g,
        (_m, name: string) => `"#/components/schemas/${renames[name] ?? name}"`,
      ),
    );
  for (const [name, def] of Object.entries($defs ?? {})) components[renames[name]!] = relink(def);
  return relink(rest);
}

/** Express `/api/users/:id` → OpenAPI `/api/users/{id}`. */
const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/**
 * The OpenAPI 3.1 document, generated from the very zod schemas that validate requests, so the
 * published contract cannot drift from what the server enforces.
 */
export function buildOpenApiDocument(routes: RouteDefinition[], info: { version: string }) {
  const schemas: Record<string, unknown> = {};
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ['path', route.params],
      ['query', route.query],
    ] as const) {
      if (!schema) continue;
      const json = toJsonSchema(schema, 'input', schemas) as {
        properties?: Record<string, unknown>;
        required?: string[];
      };
      for (const [name, prop] of Object.entries(json.properties ?? {})) {
        parameters.push({
          name,
          in: where,
          required: where === 'path' || (json.required ?? []).includes(name),
          schema: prop,
        });
      }
    }
    const operation: Record<string, unknown> = {
      summary: route.summary,
      tags: [route.tag],
      operationId: `${route.method}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      parameters,
      security: route.access === 'public' ? [] : [{ bearerAuth: [] }],
      'x-livedesk-access': route.access,
      responses: {
        [String(route.status ?? 200)]: {
          description: 'Success',
          content: { 'application/json': { schema: toJsonSchema(route.response, 'output', schemas) } },
        },
        default: {
          description: 'Error',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    };
    if (route.upload) {
      operation.requestBody = {
        required: true,
        description: `The file itself (at most ${route.upload.maxBytes} bytes); name it in X-File-Name.`,
        content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
      };
    } else if (route.body) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: toJsonSchema(route.body, 'input', schemas) } },
      };
    }
    const key = openApiPath(route.path);
    paths[key] = { ...paths[key], [route.method]: operation };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Livedesk API', version: info.version },
    paths,
    components: {
      schemas: { ...schemas, Error: ERROR_SCHEMA },
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}
