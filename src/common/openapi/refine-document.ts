import type { OpenAPIObject, OperationObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { ERROR_DESCRIPTIONS } from './api-errors.decorator';

/** The operation extension the `@Access` decorator leaves for this pass: who may call the route. */
export const ACCESS_EXTENSION = 'x-maitred-access';

const ERROR_REF = { $ref: '#/components/schemas/ErrorResponse' };
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

/** Statuses any route can answer, whatever it does: the input checks, the database, a bug. */
const EVERY_ROUTE: Record<number, string> = {
  400: ERROR_DESCRIPTIONS[400],
  500: 'Internal server error',
  503: 'The database is unavailable; try again shortly',
};

export interface EventKind {
  type: string;
  /** The component schema of its `data`. */
  dataSchema: string;
  description: string;
}

export interface DocumentEvents {
  /** The events the feed carries. */
  types: EventKind[];
  /** The component to turn into the union of those events (the feed item). */
  unionSchema: string;
  /** The events sent as webhooks (the feed's and the test event), described under `x-webhooks`. */
  webhooks: EventKind[];
}

function audienceText(audiences: string[]): string {
  const names = audiences.map((audience) => (audience === 'guest' ? "that guest's X-Guest-Token" : `the ${audience} scope`));
  return names.length === 1 ? names[0] : `one of: ${names.join(', ')}`;
}

function addResponse(operation: OperationObject, status: number, description: string): void {
  operation.responses[status] ??= { description, content: { 'application/json': { schema: ERROR_REF } } };
}

/**
 * What the decorators cannot say, applied once to the generated document: each operation's security
 * (from `@Access`), the error statuses every route can answer with the shared ErrorResponse body, and
 * the feed's events as a union discriminated by `type` over the catalogue's payload schemas.
 */
export function refineDocument(document: OpenAPIObject, events: DocumentEvents): OpenAPIObject {
  document.servers = [{ url: '/', description: 'The server that serves this document' }];
  for (const path of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = path[method];
      if (!operation) continue;
      refineOperation(operation, method);
    }
  }
  addEventUnion(document, events);
  addWebhooks(document, events.webhooks);
  for (const schema of Object.values(document.components?.schemas ?? {})) nullableRefs(schema as SchemaObject);
  return document;
}

/**
 * A nullable object property comes out as `nullable` next to `allOf: [$ref]`, which validators read as
 * "null must also match the referenced object". As a union with a null-only alternative it validates,
 * and generators still read `T | null`.
 */
function nullableRefs(schema: SchemaObject): void {
  const properties = schema.properties ?? {};
  for (const [name, child] of Object.entries(properties)) {
    const property = child as SchemaObject;
    if (property.nullable === true && property.allOf?.length === 1 && '$ref' in property.allOf[0]) {
      properties[name] = {
        ...(property.description === undefined ? {} : { description: property.description }),
        oneOf: [property.allOf[0], { type: 'object', nullable: true, enum: [null] }],
      };
    } else {
      nullableRefs(property);
    }
  }
  if (schema.items && !('$ref' in schema.items)) nullableRefs(schema.items);
}

function refineOperation(operation: OperationObject, method: string): void {
  const extensions = operation as OperationObject & Record<string, unknown>;
  const audiences = extensions[ACCESS_EXTENSION];
  Reflect.deleteProperty(extensions, ACCESS_EXTENSION);
  if (!Array.isArray(audiences)) throw new Error(`operation ${operation.operationId} has no @Access declaration`);
  const names = audiences.map(String);
  if (names.includes('public')) {
    operation.security = [];
  } else {
    operation.security = names.includes('guest') ? [{ bearer: [] }, { 'guest-token': [] }] : [{ bearer: [] }];
    addResponse(operation, 401, ERROR_DESCRIPTIONS[401]);
    addResponse(operation, 403, `The credentials lack access: this route needs ${audienceText(names)}`);
  }
  if (operation.requestBody || method === 'post' || method === 'patch' || method === 'put') {
    addResponse(operation, 413, ERROR_DESCRIPTIONS[413]);
  }
  for (const [status, description] of Object.entries(EVERY_ROUTE)) addResponse(operation, Number(status), description);
  // Error statuses declared with a description only (ApiConflictResponse and the like) get the shared body.
  for (const [status, response] of Object.entries(operation.responses)) {
    const declared = response as ResponseObject;
    if (Number(status) >= 400 && !('$ref' in declared) && !declared.content) {
      declared.content = { 'application/json': { schema: ERROR_REF } };
    }
  }
}

function addEventUnion(document: OpenAPIObject, events: DocumentEvents): void {
  const schemas = ((document.components ??= {}).schemas ??= {});
  const mapping: Record<string, string> = {};
  for (const { type, dataSchema, description } of events.types) {
    if (!(dataSchema in schemas)) throw new Error(`no schema ${dataSchema} for event type ${type}`);
    const name = `${dataSchema}Event`;
    const event: SchemaObject = {
      type: 'object',
      description,
      required: ['id', 'type', 'timestamp', 'data'],
      properties: {
        id: { type: 'string', description: 'Unique and ordered: the feed cursor and the webhook-id' },
        type: { type: 'string', enum: [type] },
        timestamp: { type: 'string', format: 'date-time' },
        data: { $ref: `#/components/schemas/${dataSchema}` },
      },
    };
    schemas[name] = event;
    mapping[type] = `#/components/schemas/${name}`;
  }
  schemas[events.unionSchema] = {
    description: 'An event: `type` says which schema `data` has',
    oneOf: Object.values(mapping).map(($ref) => ({ $ref })),
    discriminator: { propertyName: 'type', mapping },
  };
}

const WEBHOOK_HEADERS = [
  { name: 'webhook-id', description: 'The event id: the same on every retry and for every endpoint; de-duplicate on it' },
  { name: 'webhook-timestamp', description: 'Unix seconds when this attempt was signed' },
  { name: 'webhook-signature', description: '`v1,<base64 HMAC-SHA256>`; two, space-separated, during a secret rotation' },
];

/**
 * The requests Maitred sends to registered endpoints. OpenAPI 3.0 has no `webhooks` (3.1 does);
 * `x-webhooks` is the same object under the extension name that Redocly reads for 3.0 documents.
 */
function addWebhooks(document: OpenAPIObject, kinds: EventKind[]): void {
  const schemas = ((document.components ??= {}).schemas ??= {});
  const webhooks: Record<string, unknown> = {};
  for (const { type, dataSchema, description } of kinds) {
    if (!(dataSchema in schemas)) throw new Error(`no schema ${dataSchema} for webhook ${type}`);
    const name = `${dataSchema}Webhook`;
    schemas[name] = {
      type: 'object',
      description: `The body of a \`${type}\` webhook, signed as sent (verify the raw bytes)`,
      required: ['type', 'timestamp', 'data'],
      properties: {
        type: { type: 'string', enum: [type] },
        timestamp: { type: 'string', format: 'date-time' },
        data: { $ref: `#/components/schemas/${dataSchema}` },
      },
    };
    webhooks[type] = {
      post: {
        operationId: `webhook_${type.replace(/\W/g, '_')}`,
        summary: type,
        description: `${description} Signed with the endpoint's secret (Standard Webhooks).`,
        tags: ['webhooks'],
        // Maitred authenticates itself by the signature; the receiver needs no credentials of its own.
        security: [],
        parameters: WEBHOOK_HEADERS.map((header) => ({ ...header, in: 'header', required: true, schema: { type: 'string' } })),
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } },
        responses: {
          '200': { description: 'Any 2xx within WEBHOOK_TIMEOUT_MS acknowledges the delivery; redirects are failures' },
          '410': { description: 'Gone: disables the endpoint' },
          '429': { description: 'Retried, no sooner than its Retry-After' },
          '503': { description: 'Retried, no sooner than its Retry-After' },
          default: { description: 'Any other answer (or none) is retried on WEBHOOK_RETRY_SCHEDULE' },
        },
      },
    };
  }
  (document as OpenAPIObject & { 'x-webhooks'?: unknown })['x-webhooks'] = webhooks;
}
