import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Checks real responses against docs/openapi.json (which test/openapi-types keeps equal to what the
 * built server serves): the status must be declared for the operation, and a JSON body must match
 * the declared schema. Http.request calls it for every response when MAITRED_CHECK_OPENAPI=1, which
 * test/support/check-openapi.setup.ts sets for the e2e projects. Routes the document does not
 * describe (the SPA, /api/docs, unknown paths, preflights) are not checked.
 */
interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: unknown } | undefined> } | undefined>;
}

interface Route {
  method: string;
  pattern: RegExp;
  params: number;
  operation: Operation;
}

const DOCUMENT_PATH = join(__dirname, '..', '..', 'docs', 'openapi.json');
const DOCUMENT_ID = 'maitred-openapi';

let state: { ajv: Ajv; routes: Route[]; validators: Map<string, ValidateFunction> } | undefined;

function load(): NonNullable<typeof state> {
  if (state) return state;
  const document = JSON.parse(readFileSync(DOCUMENT_PATH, 'utf8')) as {
    paths: Record<string, Record<string, Operation>>;
    components: unknown;
  };
  // OpenAPI 3.0 schemas are JSON Schema plus `nullable` (Ajv knows it) and a few annotations
  // (`example`, `discriminator`, which Ajv's own discriminator cannot read with `mapping`): not strict.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  // Only the components: the response schemas refer into them, and compiling the whole document is slow.
  ajv.addSchema({ components: document.components }, DOCUMENT_ID);
  const routes: Route[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    const source = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
    for (const [method, operation] of Object.entries(item)) {
      routes.push({
        method: method.toUpperCase(),
        pattern: new RegExp(`^${source}$`),
        params: (path.match(/\{/g) ?? []).length,
        operation: { responses: operation.responses },
      });
    }
  }
  // A literal segment wins over a parameter (/api/webhooks/stats before /api/webhooks/{id}).
  routes.sort((a, b) => a.params - b.params);
  state = { ajv, routes, validators: new Map() };
  return state;
}

/** The problems with one response, empty when it matches the document. */
export function openApiProblems(
  method: string,
  url: string,
  status: number,
  contentType: string | null,
  body: unknown,
): string[] {
  const { ajv, routes, validators } = load();
  const path = new URL(url, 'http://localhost').pathname;
  const route = routes.find((candidate) => candidate.method === method.toUpperCase() && candidate.pattern.test(path));
  if (!route) return [];
  const code = String(status);
  const declared =
    route.operation.responses[code] ?? route.operation.responses[`${code[0]}XX`] ?? route.operation.responses.default;
  const label = `${method.toUpperCase()} ${path} → ${status}`;
  if (!declared) return [`${label}: status not declared (declared: ${Object.keys(route.operation.responses).join(', ')})`];
  const isJson = contentType?.includes('application/json') ?? false;
  if (!isJson || body === undefined) return [];
  const schema = declared.content?.['application/json']?.schema;
  if (schema === undefined) return [`${label}: a JSON body, but the document declares none`];
  // Compiled once per distinct schema (most errors share one): that is the check's whole cost.
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(JSON.parse(key.replace(/"#\/components\//g, `"${DOCUMENT_ID}#/components/`)) as object);
    validators.set(key, validate);
  }
  if (validate(body)) return [];
  return [`${label}: body does not match the document: ${ajv.errorsText(validate.errors, { separator: '; ' })}`];
}

export const OPENAPI_CHECK = process.env.MAITRED_CHECK_OPENAPI === '1';
