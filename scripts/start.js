#!/usr/bin/env node
/**
 * `npm start`: the whole demo on one command.
 *
 *  1. Builds the server (dist/) and the example subscribers (dist-examples/) when missing or older
 *     than their sources.
 *  2. Starts Maitred on the demo's SQLite file with a persistent admin key, letting the
 *     subscribers' loopback addresses through WEBHOOK_ALLOWED_HOSTS.
 *  3. Makes sure the demo's API keys and webhook endpoints exist, without duplicates across
 *     restarts: keys are remembered in data/demo.json, endpoints are found by description.
 *  4. Starts the greeter, the CRM and analytics with their keys and secrets, the payment gateway
 *     simulator (Maitred's PAYMENT_GATEWAY_URL, sharing PAYMENT_WEBHOOK_SECRET with it), the mailer
 *     and its mail sink, the pager with the SMS gateway (Twilio) simulator, and prints the URLs.
 *  Ctrl-C (SIGINT) or SIGTERM stops every child cleanly. Running the children (output, ready lines,
 *  exits, signals) is scripts/lib/supervisor.js; this file is only the demo's wiring.
 *
 * Environment (all optional):
 *   PORT            Maitred's port (3000)
 *   GREETER_PORT    the greeter's webhook port (4001)
 *   CRM_PORT        the CRM's webhook and page port (4002)
 *   GATEWAY_PORT    the payment gateway simulator's API port (4003)
 *   MAILER_PORT     the mailer's webhook port (4004)
 *   MAIL_SINK_PORT  the mail sink's page port (4005)
 *   SMTP_PORT       the mail sink's SMTP port (2525)
 *   SMS_GATEWAY_PORT  the SMS gateway (Twilio) simulator's API and phone page port (4006)
 *   PAGER_PORT      the pager's webhook and Twilio webhook port (4007)
 *   TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, SMS_FROM, TWILIO_API_URL, PAGER_PUBLIC_URL
 *                   set these to text through a real Twilio account instead of the simulator
 *   DEMO_DATA_DIR   demo state: demo.json, the database, the subscribers' files (./data)
 *   MAITRED_DIST, MAITRED_EXAMPLES_DIST   run these builds as they are, without building
 *   Everything else reaches Maitred unchanged (DATABASE_URL, LOG_LEVEL, WEBHOOK_RETRY_SCHEDULE, …).
 *
 * The registration functions are exported so tests can run them against a server they started.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { Supervisor } = require('./lib/supervisor');

const root = join(__dirname, '..');

// ---------------------------------------------------------------------------------------------
// The programs beside Maitred.
//
// This list is the extension point: a later service (a payment gateway simulator, a mailer) is
// one more entry. Fields:
//   name        label of its output lines
//   entry       the built script, run with `node`
//   port        its loopback HTTP port, if any
//   key         the API key role ('offers', 'staff', 'endpoints', …) it gets as MAITRED_API_KEY
//   endpoint    { description, path, eventTypes }: registered idempotently at
//               http://127.0.0.1:<port><path> (and let through WEBHOOK_ALLOWED_HOSTS); its signing
//               secret reaches the program as WEBHOOK_SECRET
//   maitredEnv  (state) => variables for Maitred itself, e.g. PAYMENT_GATEWAY_URL; `state` is
//               the persistent data/demo.json object, to keep generated secrets across restarts
//   prepare     ({ freshDatabase }) => void, run before it starts
//   env         its own variables
//   ready       pattern of the output line that says it is ready
//   urls        [label, url] lines for the summary
// ---------------------------------------------------------------------------------------------
function demoServices({ dataDir, examplesDir, env }) {
  const greeterPort = portFrom(env, 'GREETER_PORT', 4001);
  const crmPort = portFrom(env, 'CRM_PORT', 4002);
  const gatewayPort = portFrom(env, 'GATEWAY_PORT', 4003);
  const mailerPort = portFrom(env, 'MAILER_PORT', 4004);
  const mailSinkPort = portFrom(env, 'MAIL_SINK_PORT', 4005);
  const smtpPort = portFrom(env, 'SMTP_PORT', 2525);
  const smsGatewayPort = portFrom(env, 'SMS_GATEWAY_PORT', 4006);
  const pagerPort = portFrom(env, 'PAGER_PORT', 4007);
  const analyticsFile = join(dataDir, 'analytics', 'events.ndjson');
  const gateway = {
    name: 'payment-gateway',
    entry: join(examplesDir, 'payment-gateway.js'),
    port: gatewayPort,
    env: {},
    ready: /listening on/,
    urls: [['Payment gateway (simulator)', `http://localhost:${gatewayPort}/charges`]],
  };
  // Maitred verifies with the secret the simulator signs with: generated once, kept in demo.json.
  gateway.maitredEnv = (state) => {
    if (typeof state.paymentWebhookSecret !== 'string')
      state.paymentWebhookSecret = `whsec_${randomBytes(32).toString('base64')}`;
    const secret = env.PAYMENT_WEBHOOK_SECRET || state.paymentWebhookSecret;
    gateway.env.PAYMENT_WEBHOOK_SECRET = secret;
    return { PAYMENT_GATEWAY_URL: env.PAYMENT_GATEWAY_URL || `http://127.0.0.1:${gatewayPort}`, PAYMENT_WEBHOOK_SECRET: secret };
  };
  // The simulator stands in for Twilio with an account made up once and kept in demo.json; with
  // TWILIO_ACCOUNT_SID in the environment the pager texts through that real account instead.
  const smsGateway = {
    name: 'sms-gateway',
    entry: join(examplesDir, 'sms-gateway.js'),
    port: smsGatewayPort,
    env: { SMS_WEBHOOK_URL: `http://127.0.0.1:${pagerPort}/twilio/inbound` },
    ready: /listening on/,
    urls: [['SMS gateway (phones)', `http://localhost:${smsGatewayPort}/`]],
  };
  const pager = {
    name: 'pager',
    entry: join(examplesDir, 'pager.js'),
    port: pagerPort,
    // Being paged is not marketing: the staff key reads the phone the event withholds, and confirms or cancels.
    key: 'staff',
    endpoint: { description: 'pager', path: '/webhook', eventTypes: ['guest.notified'] },
    env: { DATA_DIR: join(dataDir, 'pager') },
    ready: /listening on/,
    urls: [],
  };
  pager.maitredEnv = (state) => {
    if (typeof state.twilioAccountSid !== 'string') state.twilioAccountSid = `AC${randomBytes(16).toString('hex')}`;
    if (typeof state.twilioAuthToken !== 'string') state.twilioAuthToken = randomBytes(16).toString('hex');
    Object.assign(smsGateway.env, { TWILIO_ACCOUNT_SID: state.twilioAccountSid, TWILIO_AUTH_TOKEN: state.twilioAuthToken });
    const real = Boolean(env.TWILIO_ACCOUNT_SID);
    Object.assign(pager.env, {
      TWILIO_ACCOUNT_SID: real ? env.TWILIO_ACCOUNT_SID : state.twilioAccountSid,
      TWILIO_AUTH_TOKEN: real ? env.TWILIO_AUTH_TOKEN : state.twilioAuthToken,
      SMS_FROM: env.SMS_FROM || '+15005550006',
      TWILIO_API_URL: real ? env.TWILIO_API_URL || '' : `http://127.0.0.1:${smsGatewayPort}`,
      PUBLIC_URL: env.PAGER_PUBLIC_URL || '',
    });
    return {};
  };
  return [
    {
      name: 'greeter',
      entry: join(examplesDir, 'greeter.js'),
      port: greeterPort,
      key: 'offers',
      endpoint: { description: 'greeter', path: '/webhook', eventTypes: ['guest.checked_in'] },
      env: { DATA_DIR: join(dataDir, 'greeter') },
      ready: /listening on/,
      urls: [],
    },
    {
      name: 'crm',
      entry: join(examplesDir, 'crm.js'),
      port: crmPort,
      endpoint: { description: 'crm', path: '/webhook', eventTypes: ['guest.checked_in', 'guest.updated', 'guest.erased'] },
      env: { DATA_DIR: join(dataDir, 'crm') },
      ready: /listening on/,
      urls: [['CRM contacts', `http://localhost:${crmPort}/`]],
    },
    {
      name: 'analytics',
      entry: join(examplesDir, 'analytics.js'),
      key: 'staff',
      env: { DATA_DIR: join(dataDir, 'analytics') },
      // The file is the analytics cursor; against a new database its event ids mean nothing.
      prepare: ({ freshDatabase }) => {
        if (freshDatabase && existsSync(analyticsFile)) {
          const aside = `${analyticsFile}.${Date.now()}.old`;
          renameSync(analyticsFile, aside);
          console.log(`The database is new: moved the old analytics file to ${aside}`);
        }
      },
      ready: /following/,
      urls: [['Analytics file', analyticsFile]],
    },
    gateway,
    {
      name: 'mail-sink',
      entry: join(examplesDir, 'mail-sink.js'),
      port: mailSinkPort,
      env: { DATA_DIR: join(dataDir, 'mail-sink'), SMTP_PORT: String(smtpPort) },
      ready: /listening on/,
      urls: [['Mail sink (letters)', `http://localhost:${mailSinkPort}/`]],
    },
    {
      name: 'mailer',
      entry: join(examplesDir, 'mailer.js'),
      port: mailerPort,
      // Receipts go to guests without marketing consent too: the staff key looks their address up.
      key: 'staff',
      endpoint: { description: 'mailer', path: '/webhook', eventTypes: ['payment.received', 'guest.notified'] },
      env: { DATA_DIR: join(dataDir, 'mailer'), SMTP_PORT: String(smtpPort) },
      ready: /listening on/,
      urls: [],
    },
    smsGateway,
    pager,
  ];
}

function portFrom(env, name, fallback) {
  const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
  if (!Number.isInteger(value) || value < 1 || value > 65535)
    throw new Error(`${name} must be a port number, got "${env[name]}"`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Building
// ---------------------------------------------------------------------------------------------
function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function isStale(output, sources) {
  return !existsSync(output) || statSync(output).mtimeMs < Math.max(...sources.map(newestMtime));
}

function run(label, args) {
  console.log(`${label}…`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${label} failed`);
}

function ensureBuilt({ distDir, services }) {
  if (!process.env.MAITRED_DIST && isStale(join(distDir, 'main.js'), [join(root, 'src'), join(root, 'tsconfig.build.json')])) {
    run('Building Maitred', [require.resolve('@nestjs/cli/bin/nest.js'), 'build']);
  }
  if (!process.env.MAITRED_EXAMPLES_DIST) {
    const sources = [join(root, 'examples')];
    if (services.some((service) => isStale(service.entry, sources))) {
      run('Building the example subscribers', [
        require.resolve('typescript/bin/tsc'),
        '-p',
        join(root, 'examples', 'tsconfig.json'),
      ]);
    }
  }
  // The pages (/, /guest/:id, /staff, /board, /developers) are served from client/dist.
  const clientSources = [
    join(root, 'client', 'src'),
    join(root, 'client', 'index.html'),
    join(root, 'client', 'vite.config.mts'),
  ];
  if (isStale(join(root, 'client', 'dist', 'index.html'), clientSources)) {
    run('Building the web client', [
      join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      join(root, 'client', 'vite.config.mts'),
    ]);
  }
}

// ---------------------------------------------------------------------------------------------
// Demo state (data/demo.json): the admin key and the keys the demo created
// ---------------------------------------------------------------------------------------------
function loadState(file) {
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${error.message}); fix or delete it`, { cause: error });
  }
}

function saveState(file, state) {
  // Write then rename: an interrupted write never leaves a half file (and a lost admin key).
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

/** The demo's admin key: created once (32 random bytes) and kept in demo.json. */
function ensureAdminKey(state) {
  if (typeof state.adminApiKey !== 'string' || state.adminApiKey.length < 16) {
    state.adminApiKey = `mtr_${randomBytes(32).toString('base64url')}`;
    return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Registration over Maitred's API (exported for tests)
// ---------------------------------------------------------------------------------------------
async function call(baseUrl, key, method, path, body) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${parsed?.message ?? text}`);
  return parsed;
}

/**
 * Makes sure each role in `roles` has a working key, reusing the one remembered in `state.keys`
 * unless it is revoked or unknown (a new database); returns `{ [role]: key }` and whether
 * `state` changed.
 */
async function ensureKeys(baseUrl, adminKey, state, roles) {
  const existing = await call(baseUrl, adminKey, 'GET', '/api/keys');
  const active = new Map(existing.filter((key) => !key.revokedAt).map((key) => [key.id, key]));
  state.keys ??= {};
  const keys = {};
  let changed = false;
  for (const role of roles) {
    const remembered = state.keys[role];
    const stillValid = remembered && active.get(remembered.id)?.scopes?.includes(role);
    if (!stillValid) {
      const created = await call(baseUrl, adminKey, 'POST', '/api/keys', { name: `demo ${role}`, scopes: [role] });
      state.keys[role] = { id: created.id, key: created.key };
      changed = true;
    }
    keys[role] = state.keys[role].key;
  }
  return { keys, changed };
}

/**
 * Finds the endpoint with this description (the admin key sees every key's endpoints, so one
 * made with an older key is found too) or creates it with the `endpoints` key; brings its URL,
 * event types and enabled flag up to date; returns `{ id, secret, created }`.
 */
async function ensureEndpoint(baseUrl, adminKey, endpointsKey, { description, url, eventTypes }) {
  const all = await call(baseUrl, adminKey, 'GET', '/api/webhooks/endpoints?limit=500');
  const matching = all.filter((endpoint) => endpoint.description === description);
  if (matching.length > 1) console.warn(`${matching.length} endpoints are described "${description}"; using the oldest`);
  const found = matching[0];
  if (!found) {
    const created = await call(baseUrl, endpointsKey, 'POST', '/api/webhooks/endpoints', { url, description, eventTypes });
    return { id: created.id, secret: created.secret, created: true };
  }
  const sameTypes = [...found.eventTypes].sort().join() === [...eventTypes].sort().join();
  if (found.url !== url || !sameTypes || !found.enabled) {
    await call(baseUrl, adminKey, 'PATCH', `/api/webhooks/endpoints/${found.id}`, { url, eventTypes, enabled: true });
  }
  const { secret } = await call(baseUrl, adminKey, 'GET', `/api/webhooks/endpoints/${found.id}/secret`);
  return { id: found.id, secret, created: false };
}

/** Keys for every service and the `endpoints` role, then every service's endpoint. */
async function registerDemo({ baseUrl, adminKey, state, services }) {
  const roles = [...new Set(['endpoints', ...services.map((service) => service.key).filter(Boolean)])];
  const { keys, changed } = await ensureKeys(baseUrl, adminKey, state, roles);
  const endpoints = {};
  for (const service of services) {
    if (!service.endpoint) continue;
    const { description, path, eventTypes } = service.endpoint;
    endpoints[service.name] = await ensureEndpoint(baseUrl, adminKey, keys.endpoints, {
      description,
      url: `http://127.0.0.1:${service.port}${path}`,
      eventTypes,
    });
  }
  return { keys, endpoints, stateChanged: changed };
}

/** A service's environment: its own variables, Maitred's URL, its key, port and secret. */
function serviceEnv(service, { env, baseUrl, keys, endpoints }) {
  const result = {
    ...env,
    ...service.env,
    MAITRED_URL: baseUrl,
    HOST: '127.0.0.1',
    ...(service.port ? { PORT: String(service.port) } : {}),
    ...(service.key ? { MAITRED_API_KEY: keys[service.key] } : {}),
    ...(endpoints[service.name] ? { WEBHOOK_SECRET: endpoints[service.name].secret } : {}),
  };
  // Maitred's own variables are not the subscribers' business, and the Twilio account reaches only the
  // programs whose own `env` carries it (the pager and the simulator).
  for (const name of [
    'ADMIN_API_KEY',
    'DATABASE_URL',
    'WEBHOOK_ALLOWED_HOSTS',
    'PAYMENT_GATEWAY_URL',
    'TWILIO_ACCOUNT_SID',
    'TWILIO_AUTH_TOKEN',
    'TWILIO_API_URL',
  ]) {
    delete result[name];
  }
  Object.assign(result, service.env);
  if (!service.env?.PAYMENT_WEBHOOK_SECRET) delete result.PAYMENT_WEBHOOK_SECRET;
  return result;
}

async function main() {
  const env = process.env;
  const dataDir = resolve(env.DEMO_DATA_DIR || join(root, 'data'));
  const distDir = resolve(env.MAITRED_DIST || join(root, 'dist'));
  const examplesDir = resolve(env.MAITRED_EXAMPLES_DIST || join(root, 'dist-examples'));
  const port = portFrom(env, 'PORT', 3000);
  const services = demoServices({ dataDir, examplesDir, env });

  ensureBuilt({ distDir, examplesDir, services });

  mkdirSync(dataDir, { recursive: true });
  const stateFile = join(dataDir, 'demo.json');
  const state = loadState(stateFile);
  if (ensureAdminKey(state)) saveState(stateFile, state);
  const adminKey = env.ADMIN_API_KEY || state.adminApiKey;

  const databaseUrl = env.DATABASE_URL || `sqlite:${join(dataDir, 'maitred.sqlite')}`;
  const freshDatabase = databaseUrl.startsWith('sqlite:') && !existsSync(databaseUrl.slice('sqlite:'.length));
  const allowedHosts = services.filter((s) => s.endpoint).map((s) => `127.0.0.1:${s.port}`);
  const maitredEnv = {
    ...env,
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    ADMIN_API_KEY: adminKey,
    WEBHOOK_ALLOWED_HOSTS: [env.WEBHOOK_ALLOWED_HOSTS, ...allowedHosts].filter(Boolean).join(','),
    // Request logs would drown the story the subscribers tell; LOG_LEVEL=info brings them back.
    LOG_LEVEL: env.LOG_LEVEL || 'warn',
  };
  for (const service of services) Object.assign(maitredEnv, service.maitredEnv?.(state));
  saveState(stateFile, state);

  const supervisor = new Supervisor({ cwd: root });
  supervisor.stopOnSignals();

  try {
    await startEverything({
      env,
      port,
      services,
      distDir,
      dataDir,
      state,
      stateFile,
      adminKey,
      maitredEnv,
      freshDatabase,
      supervisor,
    });
  } catch (error) {
    await supervisor.stop(`npm start failed: ${error.message}`);
  }
}

async function startEverything({
  env,
  port,
  services,
  distDir,
  dataDir,
  state,
  stateFile,
  adminKey,
  maitredEnv,
  freshDatabase,
  supervisor,
}) {
  const maitred = supervisor.start('maitred', join(distDir, 'main.js'), maitredEnv, /listening on/);
  await maitred.ready;
  const baseUrl = `http://127.0.0.1:${port}`;

  const { keys, endpoints, stateChanged } = await registerDemo({ baseUrl, adminKey, state, services });
  if (stateChanged) saveState(stateFile, state);

  const launched = [];
  for (const service of services) {
    service.prepare?.({ freshDatabase });
    launched.push(
      supervisor.start(service.name, service.entry, serviceEnv(service, { env, baseUrl, keys, endpoints }), service.ready),
    );
  }
  await Promise.all(launched.map((l) => l.ready));

  const site = `http://localhost:${port}`;
  const lines = [
    ['Guest check-in', `${site}/`],
    ["Guest's live page", `${site}/guest/<guest id>`],
    ['Staff dashboard', `${site}/staff`],
    ['Lobby board', `${site}/board`],
    ['Developer portal', `${site}/developers`],
    ['API docs', `${site}/api/docs`],
    ...services.flatMap((service) => service.urls ?? []),
  ];
  const width = Math.max(...lines.map(([label]) => label.length));
  console.log(
    [
      '',
      `Admin API key: ${adminKey}`,
      '',
      `The demo is running (state in ${dataDir}):`,
      ...lines.map(([label, url]) => `  ${label.padEnd(width)}  ${url}`),
      '',
      'Check a guest in and watch the greeter, the CRM and analytics react:',
      `  curl -s ${site}/api/guests -H 'content-type: application/json' \\`,
      `    -d '{"name":"Anna","partySize":2,"email":"anna@example.com","marketingOptIn":true}'`,
      '',
      'Seat her, then take payment ("Take payment" on the staff dashboard, or the staff key from demo.json):',
      `  curl -s ${site}/api/guests/<guest id>/charge -H "authorization: Bearer $(jq -r .keys.staff.key ${stateFile})" \\`,
      `    -H 'content-type: application/json' -d '{"amount":4250,"currency":"EUR"}'`,
      'The gateway simulator sends its signed webhook, the guest is paid, and the mailer writes a letter to the mail sink.',
      '',
      'Page a waiting guest who checked in with a phone: "Notify" on the staff dashboard. The pager texts them through the',
      `SMS gateway simulator; answer 1 (on my way) or 9 (cancel) on its page, http://localhost:${env.SMS_GATEWAY_PORT || 4006}/, and watch`,
      "the guest's page and the dashboard change.",
      '',
      'Ctrl-C stops everything.',
    ].join('\n'),
  );
}

module.exports = { demoServices, ensureKeys, ensureEndpoint, registerDemo, serviceEnv, loadState, saveState, ensureAdminKey };

if (require.main === module) {
  main().catch((error) => {
    console.error(`npm start failed: ${error.message}`);
    process.exit(1);
  });
}
