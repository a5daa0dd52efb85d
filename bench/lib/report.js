'use strict';
/** The Markdown form of a run: machine facts, settings, the results table, checks and notes. */

const fmt = (v) => (v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : String(v));

function table(results) {
  const lines = [
    '| scenario | metric | value | unit | baseline | ratio | target | met |',
    '|---|---|---:|---|---:|---:|---|---|',
  ];
  for (const r of results) {
    const met = r.met === null ? '' : r.met ? 'yes' : '**no**';
    lines.push(
      `| ${r.scenario} | ${r.metric} | ${fmt(r.value)} | ${r.unit} | ${fmt(r.baseline)} | ${fmt(r.ratio)} | ${fmt(r.target)} | ${met} |`,
    );
  }
  return lines.join('\n');
}

function markdown(report) {
  const m = report.machine;
  const s = report.settings;
  const out = [];
  out.push(
    `Run: \`npm run bench${report.mode === 'full' ? '' : ` -- --${report.mode}`}\`, ${report.startedAt}, ${report.seconds} s.`,
  );
  out.push('');
  out.push(
    `- Machine: ${m.cores} × ${m.cpu}, ${m.memoryGB} GB, ${m.os}; Node ${m.node}` +
      (m.postgres ? `; PostgreSQL ${m.postgres} (${m.postgresFlags})` : ''),
  );
  out.push(
    `- Load average (1, 5, 15 min) at start ${m.loadAverageAtStart.join(' / ')}, at end ${m.loadAverageAtEnd ? m.loadAverageAtEnd.join(' / ') : '?'}`,
  );
  out.push(
    `- ${s.endpoints} endpoints × ${s.concurrencyPerEndpoint} concurrent requests each (global ${s.globalConcurrency}); ` +
      `${s.deliveriesPerRound} deliveries per round (${s.eventsPerRound} events × ${s.endpoints}); ${s.rounds} rounds; webhook timeout ${s.webhookTimeoutMs} ms; waiting line kept at ${s.line}`,
  );
  if (s.pgboss) out.push(`- pg-boss ${s.pgbossVersion}: ${s.pgboss}`);
  out.push('');
  out.push(table(report.results));
  if (report.checks.length > 0) {
    out.push('');
    out.push('Checks that failed:');
    for (const c of report.checks) out.push(`- ${c}`);
  }
  if (report.notes.length > 0) {
    out.push('');
    out.push('Notes from the run:');
    for (const n of report.notes) out.push(`- ${n}`);
  }
  return out.join('\n');
}

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

/** Puts the run's Markdown between the markers of an existing document (or returns a new one). */
function spliceInto(document, runMarkdown) {
  const block = `${START}\n${runMarkdown}\n${END}`;
  if (document && document.includes(START) && document.includes(END)) {
    return document.slice(0, document.indexOf(START)) + block + document.slice(document.indexOf(END) + END.length);
  }
  return `# Benchmarks\n\n${block}\n`;
}

module.exports = { markdown, table, spliceInto };
