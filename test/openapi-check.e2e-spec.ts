import { openApiProblems } from './support/openapi-check';

/** The response check that test/support/http.ts applies to every e2e response finds what it should. */
describe('the OpenAPI response check', () => {
  const json = 'application/json; charset=utf-8';
  const health = { status: 'ok', database: 'ok', dialect: 'sqlite', uptimeSeconds: 3 };
  const error = { statusCode: 404, error: 'Not Found', message: 'Guest x not found', details: [], requestId: 'r' };

  it.each([
    ['a body that matches', 'GET', '/health', 200, health, []],
    ['a declared error with the shared body', 'GET', '/api/guests/gst_x', 404, error, []],
    ['a route the document does not describe', 'GET', '/staff', 200, '<html>', []],
  ])('accepts %s', (_, method, url, status, body, problems) => {
    expect(openApiProblems(method, url, status, json, body)).toEqual(problems);
  });

  it.each([
    ['a status the operation does not declare', 'GET', '/health', 418, health, /status not declared/],
    [
      'an enum value outside the schema',
      'GET',
      '/health',
      200,
      { ...health, dialect: 'mysql' },
      /dialect must be equal to one of the allowed values/,
    ],
    [
      'a missing field',
      'GET',
      '/api/guests/gst_x',
      404,
      { ...error, requestId: undefined },
      /must have required property 'requestId'/,
    ],
    [
      'a feed event whose data does not fit its type',
      'GET',
      '/api/events?limit=1',
      200,
      { data: [{ id: 'evt_1', type: 'guest.left', timestamp: '2026-12-01T17:00:00Z', data: {} }], next: null },
      /must match exactly one schema in oneOf/,
    ],
  ])('refuses %s', (_, method, url, status, body, problem) => {
    expect(openApiProblems(method, url, status, json, body).join('\n')).toMatch(problem);
  });
});
