import { Injectable } from '@nestjs/common';
import { DOMAIN_EVENT_CLASSES, DOMAIN_EVENT_DESCRIPTIONS, DOMAIN_EVENT_TYPES } from '../events/domain-events';
import { FieldChange } from '../events/event-data';
import {
  OPERATIONAL_EVENT_CLASSES,
  OPERATIONAL_EVENT_DESCRIPTIONS,
  OPERATIONAL_EVENT_TYPES,
  WEBHOOK_TEST_TYPE,
  WebhookTest,
} from './webhook-events';

type Schema = Record<string, unknown>;

export interface EventTypeDescription {
  type: string;
  description: string;
  /** About the webhook system itself (endpoint.disabled, delivery.exhausted): only to endpoints that list it, never in the feed. */
  operational: boolean;
  schema: Schema;
}

/** The classes whose OpenAPI schemas become the catalogue: pass them to the OpenAPI generator. */
export const CATALOGUE_MODELS: (new () => unknown)[] = [
  ...Object.values(DOMAIN_EVENT_CLASSES),
  WebhookTest,
  ...Object.values(OPERATIONAL_EVENT_CLASSES),
  FieldChange,
];

const CATALOGUE: { type: string; description: string; operational: boolean; model: new () => unknown }[] = [
  ...DOMAIN_EVENT_TYPES.map((type) => ({
    type,
    description: DOMAIN_EVENT_DESCRIPTIONS[type],
    operational: false,
    model: DOMAIN_EVENT_CLASSES[type],
  })),
  {
    type: WEBHOOK_TEST_TYPE,
    description: 'A test event, sent only to the endpoint it was requested for (not in /api/events).',
    operational: false,
    model: WebhookTest,
  },
  ...OPERATIONAL_EVENT_TYPES.map((type) => ({
    type,
    description: OPERATIONAL_EVENT_DESCRIPTIONS[type],
    operational: true,
    model: OPERATIONAL_EVENT_CLASSES[type],
  })),
];

/**
 * The event-type catalogue. Each `data` schema is generated from the very classes events are
 * built from (through the OpenAPI generator's metadata), then made self-contained JSON Schema,
 * so the published schema and the payloads cannot drift apart.
 */
@Injectable()
export class EventCatalogueService {
  private entries: EventTypeDescription[] | undefined;

  /** Takes `components.schemas` of the generated OpenAPI document. */
  loadFromOpenApi(components: Record<string, unknown>): void {
    this.entries = CATALOGUE.map(({ type, description, operational, model }) => {
      const root = components[model.name];
      if (!root) throw new Error(`no OpenAPI schema generated for ${model.name}`);
      return {
        type,
        description,
        operational,
        schema: {
          $schema: 'http://json-schema.org/draft-07/schema#',
          title: `${type} data`,
          ...toJsonSchema(root as Schema, components, [model.name]),
        },
      };
    });
  }

  list(): EventTypeDescription[] {
    if (!this.entries) throw new Error('the event catalogue was not loaded');
    return this.entries;
  }
}

/** OpenAPI 3.0 schema → standalone JSON Schema: refs inlined, `nullable` as a null type. */
function toJsonSchema(schema: Schema, components: Record<string, unknown>, seen: string[]): Schema {
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const name = ref.replace('#/components/schemas/', '');
    if (seen.includes(name)) return {};
    const target = components[name];
    if (!target) throw new Error(`event schema refers to ${name}, which the OpenAPI document does not define`);
    return toJsonSchema(target as Schema, components, [...seen, name]);
  }
  const result: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable' || key === 'example' || key === 'examples') continue;
    if (key === 'properties' && value && typeof value === 'object') {
      result.properties = Object.fromEntries(
        Object.entries(value as Record<string, Schema>).map(([name, child]) => [name, toJsonSchema(child, components, seen)]),
      );
    } else if ((key === 'items' || key === 'additionalProperties') && value && typeof value === 'object') {
      result[key] = toJsonSchema(value as Schema, components, seen);
    } else if ((key === 'allOf' || key === 'oneOf' || key === 'anyOf') && Array.isArray(value)) {
      result[key] = value.map((child: Schema) => toJsonSchema(child, components, seen));
    } else {
      result[key] = value;
    }
  }
  if (schema.nullable === true) {
    if (typeof result.type === 'string') result.type = [result.type, 'null'];
    if (Array.isArray(result.enum) && !result.enum.includes(null)) result.enum = [...(result.enum as unknown[]), null];
    // A union without a `type` of its own (FieldChange's from/to) takes null as one more alternative.
    if (result.type === undefined && Array.isArray(result.oneOf))
      result.oneOf = [...(result.oneOf as Schema[]), { type: 'null' }];
    if (result.allOf || result.$ref) return { anyOf: [result, { type: 'null' }] };
  }
  return result;
}
