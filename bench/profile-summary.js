#!/usr/bin/env node
'use strict';
/**
 * Summarises V8 CPU profiles (`node --cpu-prof`, `npm run bench -- --cpu-prof`) by package and module:
 *
 *   node bench/profile-summary.js <file.cpuprofile> [more files] [options]
 *
 *   --per=<n>[:<unit>]   also show CPU per unit of work (e.g. --per=1834:check-in), in µs
 *   --from=<s> --to=<s>  only samples in this window, seconds from the profile's start
 *   --mono=<a>-<b>[,...] only samples in these windows, seconds on the system-wide monotonic clock
 *                        (what bench/lib/util.js nowMs() / 1000 reads; V8 stamps profiles with the same clock)
 *   --top=<n>            rows in the function tables (default 15)
 *   --buckets=<file.js>  a module exporting [{ name, fn?: RegExp, url?: RegExp, fallback?: true }] to replace the
 *                        default buckets; --buckets=typeorm splits TypeORM's time (SQL building, hydration, SQLite)
 *   --json               the summary as JSON instead of markdown
 *
 * Three views of where the time went:
 * - by package, *self*: the package of the function on top of the stack;
 * - by package, *attributed*: node's own internals (streams, http, timers, Buffer, JSON) and V8's
 *   native frames are charged to the nearest caller that is a package or one of our modules, so
 *   "pino spends its time in JSON.stringify" counts for pino;
 * - by package, *inclusive*: the time a package was anywhere on the stack (sums exceed 100 %).
 * and *buckets*: every sample goes to the innermost frame on its stack that matches a bucket rule
 * (the default rules name Maitred's hot-path stages), split by the attributed package of its leaf.
 * Async code resumes on a fresh stack after each `await`, so a stage's inclusive time only covers
 * what ran synchronously inside its own frames; what resumed inside a library is that library's.
 */
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');

/** Innermost-first; a sample goes to the first rule matched while walking from the leaf to the root. */
const DEFAULT_BUCKETS = [
  { name: 'JSON (parse/stringify)', fn: /^(parse|stringify)$/, url: /^$/ },
  { name: 'sign (standardwebhooks HMAC)', url: /webhooks\/signing\.js/ },
  { name: 'send (undici)', url: /node_modules\/undici\// },
  { name: 'dispatcher: send + bookkeeping', url: /webhooks\/(dispatcher\.service|webhook-sender)\.js/ },
  { name: 'dispatcher: claim / record (delivery-store)', url: /webhooks\/delivery-store\.js/ },
  { name: 'fan-out (deliveries rows)', url: /webhooks\/fanout\.service\.js/ },
  { name: 'Socket.IO emit / engine', url: /node_modules\/(socket\.io|socket\.io-parser|engine\.io|ws|socket\.io-adapter)\// },
  { name: 'live refresh (realtime listener, gateways)', url: /realtime\/.*\.js/ },
  { name: 'waitlist / availability / guest views', url: /guests\/(waitlist\.service|wait-estimator)\.js/ },
  { name: 'events (record, feed, commit order)', url: /events\/events\.service\.js/ },
  { name: 'check-in service', url: /guests\/(guests\.service|guests\.controller|offers\.service)\.js/ },
  { name: 'idempotency', url: /idempotency\/.*\.js/ },
  { name: 'unit of work', url: /database\/unit-of-work\.js/ },
  { name: 'validation (class-validator)', url: /node_modules\/class-validator\// },
  { name: 'validation (class-transformer)', url: /node_modules\/class-transformer\// },
  { name: 'validation pipe', url: /common\/validation\.pipe\.js|@nestjs\/common\/pipes\// },
  { name: 'exception filter', url: /common\/http-exception\.filter\.js/ },
  { name: 'throttler', url: /node_modules\/@nestjs\/throttler\// },
  { name: 'auth guard', url: /auth\/access\.guard\.js/ },
  { name: 'pino-http / pino', url: /node_modules\/(pino|pino-http|pino-std-serializers|nestjs-pino)\// },
  { name: 'helmet', url: /node_modules\/helmet\// },
  { name: 'request-id middleware', url: /common\/request-id\.js/ },
  { name: 'body-parser', url: /node_modules\/(body-parser|raw-body|iconv-lite|type-is|content-type)\// },
  { name: 'cors', url: /node_modules\/cors\// },
  { name: 'Nest core (router, pipes, guards, interceptors)', url: /node_modules\/@nestjs\/(core|platform-express)\// },
  { name: 'express (router, response)', url: /node_modules\/(express|router|finalhandler|send|on-finished|etag|fresh)\// },
  { name: 'event emitter (@nestjs/event-emitter)', url: /node_modules\/(@nestjs\/event-emitter|eventemitter2)\// },
  { name: 'TypeORM (not under one of our stages)', url: /node_modules\/typeorm\// },
  { name: 'pg (not under one of our stages)', url: /node_modules\/(pg|pg-protocol|pg-pool)\// },
  // Fallbacks: only when no stage above is on the stack (node's socket writes under a Socket.IO emit are the emit's).
  {
    name: 'node http server / sockets (no stage above)',
    url: /^node:(_http|http|net|internal\/(http|stream|streams|net|stream_base))/,
    fallback: true,
  },
  { name: 'timers / microtasks only', url: /^node:internal\/(timers|process\/task_queues)/, fallback: true },
];

/** TypeORM's time by what it does; statement execution in better-sqlite3 is native, so it shows as `query`'s self time. */
const TYPEORM_BUCKETS = [
  {
    name: 'SQLite statement execution (better-sqlite3, native)',
    url: /typeorm\/driver\/better-sqlite3\/BetterSqlite3QueryRunner\.js/,
    fn: /^query$/,
  },
  { name: 'pg driver / protocol', url: /node_modules\/(pg|pg-protocol|pg-pool)\// },
  { name: 'TypeORM hydration (raw rows → entities)', url: /typeorm\/query-builder\/transformer\// },
  { name: 'TypeORM SQL building (query builders)', url: /typeorm\/query-builder\// },
  { name: 'TypeORM persistence (save/insert/update planning)', url: /typeorm\/persistence\// },
  { name: 'TypeORM entity manager / repository', url: /typeorm\/(entity-manager|repository|find-options)\// },
  { name: 'TypeORM metadata / naming', url: /typeorm\/(metadata|naming-strategy|util)\// },
  { name: 'TypeORM driver / query runner (other)', url: /typeorm\/(driver|query-runner)\// },
  { name: 'TypeORM (other)', url: /node_modules\/typeorm\// },
];

function parseArgs(argv) {
  const args = {
    files: [],
    top: 15,
    from: null,
    to: null,
    mono: null,
    per: null,
    unit: 'unit',
    json: false,
    buckets: DEFAULT_BUCKETS,
  };
  for (const arg of argv) {
    if (arg.startsWith('--per=')) {
      const [n, unit] = arg.slice(6).split(':');
      args.per = Number(n);
      if (unit) args.unit = unit;
    } else if (arg.startsWith('--from=')) args.from = Number(arg.slice(7));
    else if (arg.startsWith('--to=')) args.to = Number(arg.slice(5));
    else if (arg.startsWith('--mono=')) {
      args.mono = arg
        .slice(7)
        .split(',')
        .map((w) => w.split('-').map((x) => Number(x) * 1e6));
    } else if (arg.startsWith('--top=')) args.top = Number(arg.slice(6));
    else if (arg === '--buckets=typeorm') args.buckets = TYPEORM_BUCKETS;
    else if (arg.startsWith('--buckets=')) args.buckets = require(resolve(arg.slice(10)));
    else if (arg === '--json') args.json = true;
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg} (see the header of bench/profile-summary.js)`);
    else args.files.push(arg);
  }
  if (args.files.length === 0)
    throw new Error('usage: node bench/profile-summary.js <file.cpuprofile> [--per=N:unit] [--from=s] [--to=s]');
  return args;
}

const SPECIAL = new Set(['(program)', '(idle)', '(garbage collector)', '(root)']);

/** The package or module a frame belongs to: an npm package, one of our dist/ modules, node core, or V8. */
function packageOf(frame) {
  const { url, functionName } = frame;
  if (!url) return SPECIAL.has(functionName) ? functionName : '(V8 native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (url.startsWith('node:')) return 'node core';
  const dist = /\/(dist|src)\/([^/]+)\//.exec(url);
  if (dist) return `src/${dist[2]}`;
  if (/\/(dist|src)\/[^/]+\.js$/.test(url)) return 'src (root)';
  return url.replace(/^file:\/\//, '');
}

const isCore = (pkg) => pkg === 'node core' || pkg === '(V8 native)';

function shortUrl(url) {
  if (!url) return '';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const dist = url.search(/\/(dist|src)\//);
  if (dist >= 0) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, '');
}

function load(file) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map();
  for (const node of profile.nodes) nodes.set(node.id, { ...node, parent: null, pkg: packageOf(node.callFrame) });
  for (const node of nodes.values()) for (const child of node.children ?? []) nodes.get(child).parent = node;
  return { profile, nodes };
}

function summarise(files, args) {
  const bucketOrder = args.buckets.map((b) => b.name);
  const acc = {
    totalUs: 0,
    wallUs: 0,
    special: new Map(),
    pkgSelf: new Map(),
    pkgAttributed: new Map(),
    pkgInclusive: new Map(),
    fnSelf: new Map(),
    fnInclusive: new Map(),
    buckets: new Map(),
  };
  const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);
  const fnKey = (frame) => `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;

  for (const file of files) {
    const { profile, nodes } = load(file);
    const start = profile.startTime;
    const from = args.from === null ? -Infinity : start + args.from * 1e6;
    const to = args.to === null ? Infinity : start + args.to * 1e6;
    let t = start;
    let wall = 0;
    // Per node: the stack's attributions, computed once.
    const cache = new Map();
    const info = (node) => {
      let hit = cache.get(node.id);
      if (hit) return hit;
      let attributed = node.pkg;
      if (isCore(attributed)) {
        for (let n = node.parent; n; n = n.parent) {
          if (!isCore(n.pkg) && !SPECIAL.has(n.pkg)) {
            attributed = n.pkg;
            break;
          }
        }
      }
      const pkgs = new Set();
      const fns = new Set();
      let bucket = null;
      let fallback = null;
      const matches = (b, frame) => (!b.url || b.url.test(frame.url)) && (!b.fn || b.fn.test(frame.functionName));
      for (let n = node; n && n.callFrame.functionName !== '(root)'; n = n.parent) {
        pkgs.add(n.pkg);
        fns.add(fnKey(n.callFrame));
        if (bucket === null) {
          const rule = args.buckets.find((b) => !b.fallback && matches(b, n.callFrame));
          if (rule) bucket = rule.name;
        }
        if (fallback === null) {
          const rule = args.buckets.find((b) => b.fallback && matches(b, n.callFrame));
          if (rule) fallback = rule.name;
        }
      }
      bucket ??= fallback;
      hit = { attributed, pkgs, fns, bucket: bucket ?? '(other)' };
      cache.set(node.id, hit);
      return hit;
    };
    for (let i = 0; i < profile.samples.length; i++) {
      t += profile.timeDeltas[i];
      if (t < from || t > to) continue;
      if (args.mono && !args.mono.some(([a, b]) => t >= a && t <= b)) continue;
      // The interval until the next sample belongs to this one (V8 stamps a sample when it is taken).
      const us = Math.max(0, i + 1 < profile.timeDeltas.length ? profile.timeDeltas[i + 1] : 0);
      wall += us;
      const node = nodes.get(profile.samples[i]);
      const name = node.callFrame.functionName;
      if (name === '(idle)' || name === '(program)' || name === '(garbage collector)') {
        add(acc.special, name, us);
        if (name === '(idle)') continue;
      }
      acc.totalUs += us;
      const { attributed, pkgs, fns, bucket } = info(node);
      add(acc.pkgSelf, node.pkg, us);
      add(acc.pkgAttributed, attributed, us);
      for (const p of pkgs) add(acc.pkgInclusive, p, us);
      add(acc.fnSelf, fnKey(node.callFrame), us);
      for (const f of fns) add(acc.fnInclusive, f, us);
      let b = acc.buckets.get(bucket);
      if (!b) acc.buckets.set(bucket, (b = { us: 0, byPkg: new Map() }));
      b.us += us;
      add(b.byPkg, attributed, us);
    }
    acc.wallUs += wall;
  }
  acc.bucketOrder = [...bucketOrder, '(other)'];
  return acc;
}

function sorted(map) {
  return [...map.entries()].sort((a, b) => b[1] - a[1]);
}

function report(acc, args) {
  const ms = (us) => (us / 1000).toFixed(1);
  const pct = (us) => `${((100 * us) / acc.totalUs).toFixed(1)} %`;
  const perUnit = (us) => (args.per ? ` | ${(us / args.per).toFixed(0)}` : '');
  const perHead = args.per ? ` | µs per ${args.unit}` : '';
  const perSep = args.per ? ' | ---:' : '';
  const out = [];
  out.push(
    `CPU sampled (not idle): ${ms(acc.totalUs)} ms over ${ms(acc.wallUs)} ms of sampled time (${((100 * acc.totalUs) / Math.max(1, acc.wallUs)).toFixed(0)} % of one core)` +
      (args.per ? `; ${args.per} ${args.unit}(s): ${(acc.totalUs / args.per).toFixed(0)} µs per ${args.unit}` : ''),
  );
  out.push(
    `Of it: garbage collector ${ms(acc.special.get('(garbage collector)') ?? 0)} ms, (program) ${ms(acc.special.get('(program)') ?? 0)} ms.`,
  );
  out.push('');
  out.push(`| package / module | self ms | self % | attributed ms | attributed %${perHead} | inclusive % |`);
  out.push(`|---|---:|---:|---:|---:${perSep}|---:|`);
  const pkgs = new Set([...acc.pkgAttributed.keys(), ...acc.pkgSelf.keys()]);
  for (const [pkg] of sorted(new Map([...pkgs].map((p) => [p, acc.pkgAttributed.get(p) ?? 0])))) {
    const self = acc.pkgSelf.get(pkg) ?? 0;
    const attr = acc.pkgAttributed.get(pkg) ?? 0;
    if (self < acc.totalUs * 0.002 && attr < acc.totalUs * 0.002) continue;
    out.push(
      `| ${pkg} | ${ms(self)} | ${pct(self)} | ${ms(attr)} | ${pct(attr)}${perUnit(attr)} | ${pct(acc.pkgInclusive.get(pkg) ?? 0)} |`,
    );
  }
  out.push('');
  out.push(`| stage (innermost matching frame) | ms | %${perHead} | by attributed package of the leaf |`);
  out.push(`|---|---:|---:${perSep}|---|`);
  for (const [name, b] of [...acc.buckets.entries()].sort((x, y) => y[1].us - x[1].us)) {
    const split = sorted(b.byPkg)
      .filter(([, us]) => us >= b.us * 0.05)
      .slice(0, 4)
      .map(([p, us]) => `${p} ${((100 * us) / b.us).toFixed(0)} %`)
      .join(', ');
    out.push(`| ${name} | ${ms(b.us)} | ${pct(b.us)}${perUnit(b.us)} | ${split} |`);
  }
  for (const [title, map] of [
    ['self', acc.fnSelf],
    ['inclusive', acc.fnInclusive],
  ]) {
    out.push('');
    out.push(`Top ${args.top} functions by ${title} time:`);
    out.push('');
    out.push(`| function | ${title} ms | %${perHead} |`);
    out.push(`|---|---:|---:${perSep}|`);
    for (const [fn, us] of sorted(map)
      .filter(([k]) => title === 'self' || !/^\(|^processTicksAndRejections|^runMicrotasks|^listOnTimeout|^processTimers/.test(k))
      .slice(0, args.top)) {
      out.push(`| \`${fn}\` | ${ms(us)} | ${pct(us)}${perUnit(us)} |`);
    }
  }
  return out.join('\n');
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const acc = summarise(args.files, args);
  if (args.json) {
    const obj = (m) => Object.fromEntries(sorted(m));
    process.stdout.write(
      `${JSON.stringify(
        {
          totalUs: acc.totalUs,
          wallUs: acc.wallUs,
          per: args.per,
          packagesSelf: obj(acc.pkgSelf),
          packagesAttributed: obj(acc.pkgAttributed),
          packagesInclusive: obj(acc.pkgInclusive),
          buckets: Object.fromEntries([...acc.buckets.entries()].map(([k, b]) => [k, { us: b.us, byPackage: obj(b.byPkg) }])),
          functionsSelf: Object.fromEntries(sorted(acc.fnSelf).slice(0, args.top)),
          functionsInclusive: Object.fromEntries(sorted(acc.fnInclusive).slice(0, args.top)),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    process.stdout.write(`${report(acc, args)}\n`);
  }
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}

module.exports = { summarise, packageOf, DEFAULT_BUCKETS, TYPEORM_BUCKETS };
