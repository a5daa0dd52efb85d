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

export interface DocumentEvents {
  /** The `type` of each event the feed carries, and the schema (a component name) of its `data`. */
  types: Array<{ type: string; dataSchema: string; description: string }>;
  /** The component to turn into the union of those events (the feed item). */
  unionSchema: string;
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
  for (const schema of Object.values(document.components?.schemas ?? {})) nullableRefs(schema as SchemaObject);
  return document;
}

/**
 * A nullable object property comes out as `nullable` next to `allOf: [$ref]`, which validators read as
 * "null must also match the referenced object". As a union with a null-only alternative it validates,
 * and generators still read `T | null`.
 */
function nullableRefs(schema: SchemaObject): void {
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    const property = child as SchemaObject;
    if (property.nullable === true && property.allOf?.length === 1 && '$ref' in property.allOf[0]) {
      schema.properties![name] = {
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
  delete extensions[ACCESS_EXTENSION];
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
    if (!schemas[dataSchema]) throw new Error(`no schema ${dataSchema} for event type ${type}`);
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
