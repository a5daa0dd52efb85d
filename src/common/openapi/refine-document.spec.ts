import type { OpenAPIObject } from '@nestjs/swagger';
import { ACCESS_EXTENSION, refineDocument } from './refine-document';

function documentWith(access: unknown, method: 'get' | 'post' = 'get'): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      '/x/{id}': {
        [method]: {
          operationId: 'op',
          [ACCESS_EXTENSION]: access,
          responses: { 200: { description: '' }, 409: { description: 'taken' } },
        },
      },
    },
    components: {
      schemas: {
        Range: { type: 'object', properties: { low: { type: 'number' } } },
        Thing: {
          type: 'object',
          properties: { range: { nullable: true, type: 'object', allOf: [{ $ref: '#/components/schemas/Range' }] } },
        },
        ThingEvent: { type: 'object' },
        EventDto: { type: 'object' },
      },
    },
  };
}

const EVENTS = {
  unionSchema: 'EventDto',
  types: [{ type: 'thing.done', dataSchema: 'Thing', description: 'Done.' }],
  webhooks: [],
};

describe('refineDocument', () => {
  it.each([
    [['public'], [], ['200', '400', '409', '500', '503']],
    [['staff'], [{ bearer: [] }], ['200', '400', '401', '403', '409', '500', '503']],
    [
      ['staff', 'guest'],
      [{ bearer: [] }, { 'guest-token': [] }],
      ['200', '400', '401', '403', '409', '500', '503'],
    ],
  ])('@Access(%j) → security %j and statuses %j', (access, security, statuses) => {
    const operation = refineDocument(documentWith(access), EVENTS).paths['/x/{id}'].get!;
    expect(operation.security).toEqual(security);
    expect(Object.keys(operation.responses).sort()).toEqual(statuses);
    expect(operation).not.toHaveProperty(ACCESS_EXTENSION);
  });

  it('declares 413 where a body can be sent, and gives described-only errors the shared body', () => {
    const operation = refineDocument(documentWith(['staff'], 'post'), EVENTS).paths['/x/{id}'].post!;
    expect(operation.responses[413]).toBeDefined();
    expect(operation.responses[409]).toEqual({
      description: 'taken',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
    });
  });

  it('refuses an operation without an @Access declaration', () => {
    expect(() => refineDocument(documentWith(undefined), EVENTS)).toThrow(/no @Access/);
  });

  it('turns a nullable reference into a union with null, and the feed item into a union by type', () => {
    const schemas = refineDocument(documentWith(['public']), EVENTS).components!.schemas!;
    expect((schemas.Thing as { properties: Record<string, unknown> }).properties.range).toEqual({
      oneOf: [{ $ref: '#/components/schemas/Range' }, { type: 'object', nullable: true, enum: [null] }],
    });
    expect(schemas.EventDto).toMatchObject({
      oneOf: [{ $ref: '#/components/schemas/ThingEvent' }],
      discriminator: { propertyName: 'type', mapping: { 'thing.done': '#/components/schemas/ThingEvent' } },
    });
  });
});
