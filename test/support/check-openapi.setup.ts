// Every e2e response through test/support/http.ts is checked against the OpenAPI document
// (test/support/openapi-check.ts); MAITRED_CHECK_OPENAPI=0 turns it off for a run.
process.env.MAITRED_CHECK_OPENAPI ??= '1';
