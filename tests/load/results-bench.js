// results-bench.js — the cost of a contest round's results at full size
// (docs/performance.md "Results of a large round"): 20,000 participants
// (examd loadprep) in 40 units, 30,000 submitted attempts inserted with
// SQL (10,000 people sat twice, half of them with a prediction), the
// round closed and published over HTTP. Then, for each route, R requests
// one after another (latency), and the same route from C concurrent
// clients while a candidate on the demo exam sends an answer every 20 ms:
// the answers' ack latency shows whether the event loop was held up.
//
//   EXAMD_BIN=build/examd node tests/load/results-bench.js
//   env: BENCH_PEOPLE (20000), BENCH_R (20), BENCH_C (8), BENCH_LOAD_S (5)
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as h from '../integration/harness.js';

// the answering candidate sends far more than a person would: lift the
// per-connection message limit (as scripts/bench does)
process.env.EXAMD_MSG_RATE ||= '1000000';
process.env.EXAMD_MSG_BURST ||= '1000000';
const PEOPLE = Number(process.env.BENCH_PEOPLE || 20000);
const R = Number(process.env.BENCH_R || 20);
const C = Number(process.env.BENCH_C || 8);
const LOAD_S = Number(process.env.BENCH_LOAD_S || 5);

const pct = (v, p) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))] : NaN;
};
const fmt = (v) => `p50 ${pct(v, 50).toFixed(1)} / p99 ${pct(v, 99).toFixed(1)} / max ${Math.max(...v).toFixed(1)} ms (n=${v.length})`;

const dir = h.tempDir();
const db = join(dir, 'examd.db');
h.prepareDb(dir);
execFileSync(h.EXAMD, ['loadprep', '--db', db, '--users', String(PEOPLE), '--out', join(dir, 'tokens')]);
let srv = await h.startServer({ dir, demo: false });
let cookie = (await h.login(srv, 'tochuc')).cookie;
async function api(method, path, body, who = cookie) {
  const headers = { origin: srv.base };
  if (who) headers.cookie = who;
  if (body) headers['content-type'] = 'application/json';
  const t0 = performance.now();
  const r = await fetch(`${srv.base}${path}`, { method, headers, body: body && JSON.stringify(body) });
  const text = await r.text();
  const ms = performance.now() - t0;
  let parsed = text;
  try { parsed = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, body: parsed, ms };
}
const must = (r, what) => { if (r.status !== 200) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`); return r.body; };

try {
  const bank = must(await api('GET', '/api/staff/banks'), 'banks').banks.find((b) => b.name === 'dang-va-bac-ho').id;
  const contest = must(await api('POST', '/api/staff/contests', { title: 'Bench', open_registration: true }), 'contest').id;
  const round = must(await api('POST', `/api/staff/contests/${contest}/rounds`, {
    title: 'Vòng 1', bank, blueprint: [{ topic: null, difficulty: null, count: 20 }], duration_s: 600, attempts: 3, prediction: true,
    prizes: [{ name: 'Nhất', count: 1 }, { name: 'Nhì', count: 3 }, { name: 'Ba', count: 10 }, { name: 'KK', count: 50 }],
  }), 'round').id;
  for (let i = 0; i < 40; i++) must(await api('POST', '/api/staff/units', { name: `Đơn vị ${i + 1}`, target: 600 }), 'unit');
  // the server numbers attempts itself: insert them while it is down
  await h.stopServer(srv);
  const t0 = Date.now() - 3600e3;
  h.dbExec(db, `
    UPDATE users SET unit_id = (SELECT max(id) FROM units) - 39 + id % 40 WHERE username LIKE 'lt%';
    INSERT INTO attempts(exam_id, user_id, n, seed, started_ms, deadline_ms, state, submitted_ms, reason, correct, total, score_centi)
      SELECT ${round}, id, 1, id, ${t0} + id, ${t0} + id + 600000, 'submitted', ${t0} + id + 100000 + (id * 7919) % 400000, 'submitted',
             (id * 31) % 21, 20, ((id * 31) % 21) * 50 FROM users WHERE username LIKE 'lt%';
    INSERT INTO attempts(exam_id, user_id, n, seed, started_ms, deadline_ms, state, submitted_ms, reason, correct, total, score_centi)
      SELECT ${round}, id, 2, id, ${t0} + 700000 + id, ${t0} + 1300000 + id, 'submitted', ${t0} + 800000 + id, 'submitted',
             (id * 17) % 21, 20, ((id * 17) % 21) * 50 FROM users WHERE username LIKE 'lt%' AND id % 2 = 0;
    UPDATE attempts SET prediction = (user_id * 13) % ${PEOPLE} WHERE exam_id = ${round} AND n = 2 AND user_id % 4 = 0;`);
  console.log(`examd ${h.EXAMD}\n${PEOPLE} participants, ${h.dbQuery(db, `SELECT count(*) AS n FROM attempts WHERE exam_id=${round}`)[0].n} attempts, round ${round}`);
  // the query alone, in the sqlite3 shell (less the shell's start-up; the
  // shell prints every row, which weighs on both): the correlated form it
  // had, and store_round_entries' one pass
  const cols = `a.user_id, a.id, a.n, coalesce(a.score_centi, 0), coalesce(a.correct, 0), coalesce(a.total, 0), a.started_ms,
    coalesce(a.submitted_ms, 0), u.full_name, coalesce(u.unit_id, 0), coalesce(un.name, '')`;
  const tail = `JOIN users u ON u.id = a.user_id LEFT JOIN units un ON un.id = u.unit_id WHERE a.state='submitted' ORDER BY a.user_id, a.n`;
  const sqls = {
    correlated: `SELECT ${cols}, (SELECT p.prediction FROM attempts p WHERE p.exam_id = a.exam_id AND p.user_id = a.user_id
      AND p.prediction IS NOT NULL ORDER BY p.n DESC LIMIT 1), (SELECT count(*) FROM attempts c WHERE c.exam_id = a.exam_id
      AND c.user_id = a.user_id) FROM attempts a ${tail} AND a.exam_id=${round}`,
    // (the counts and the latest prediction are folded in C as the rows come)
    'one pass': `SELECT ${cols}, a.prediction, a.state = 'submitted' FROM attempts a JOIN users u ON u.id = a.user_id
      LEFT JOIN units un ON un.id = u.unit_id WHERE a.exam_id=${round} ORDER BY a.user_id, a.n`,
  };
  const shell = (sql) => {
    const t = performance.now();
    execFileSync('sqlite3', [db, sql], { maxBuffer: 1 << 28 });
    return performance.now() - t;
  };
  const base = pct(Array.from({ length: 5 }, () => shell('SELECT 1')), 50);
  for (const [k, sql] of Object.entries(sqls)) {
    const v = Array.from({ length: 5 }, () => shell(sql) - base);
    console.log(`query alone, ${k}: p50 ${pct(v, 50).toFixed(1)} ms (5 runs)`);
  }
  srv = await h.startServer({ dir, demo: false });
  cookie = (await h.login(srv, 'tochuc')).cookie;
  must(await api('POST', `/api/staff/rounds/${round}/close`, {}), 'close');
  must(await api('POST', `/api/staff/rounds/${round}/publish`, {}), 'publish');

  // a candidate answering the demo exam all along
  const cand = await h.candidate(srv, 'ts01');
  const paper = await cand.request('start', { exam: 1 });
  if (paper.type !== 'paper') throw new Error(JSON.stringify(paper) + srv.log);
  let seq = 0;
  async function ackLatency(stop) {
    const v = [];
    while (!stop.done) {
      const q = paper.questions[seq % paper.questions.length];
      const t = performance.now();
      const id = cand.send('answer', { attempt: paper.attempt, q: q.q, choice: [h.wrongOf(q)], seq: ++seq });
      const r = await cand.reply(id);
      if (r.type !== 'ack') throw new Error(JSON.stringify(r));
      v.push(performance.now() - t);
      await h.wallClock(20);
    }
    return v;
  }
  const idle = { done: false };
  const idleP = ackLatency(idle);
  await h.wallClock(2000);
  idle.done = true;
  console.log(`answer ack, idle server: ${fmt(await idleP)}`);

  const routes = [
    ['public results', `/api/public/rounds/${round}/results`, null],
    ['staff ranking (csv, the whole round)', `/api/staff/rounds/${round}/ranking?format=csv`, cookie],
    ['staff ranking (JSON, a page of 200 in the middle)', `/api/staff/rounds/${round}/ranking?offset=${PEOPLE >> 1}&limit=200`, cookie],
    ['staff prizes', `/api/staff/rounds/${round}/prizes`, cookie],
    ['staff units', `/api/staff/rounds/${round}/units`, cookie],
    ['contest units', `/api/staff/contests/${contest}/units`, cookie],
  ];
  for (const [name, path, who] of routes) {
    const one = [];
    for (let i = 0; i < R; i++) {
      const r = await api('GET', path, null, who);
      must(r, name);
      one.push(r.ms);
    }
    const stop = { done: false };
    const acks = ackLatency(stop);
    const got = [];
    let busy = 0;
    let failed = 0;
    const until = Date.now() + LOAD_S * 1000;
    await Promise.all(Array.from({ length: C }, async () => {
      while (Date.now() < until) {
        let r;
        try { r = await api('GET', path, null, who); } catch { failed++; continue; }
        if (r.status === 503) busy++;
        else if (r.status === 200) got.push(r.ms);
        else throw new Error(`${name}: ${r.status}`);
      }
    }));
    stop.done = true;
    const a = await acks;
    console.log(`${name}: one at a time ${fmt(one)}`);
    console.log(`  ${C} concurrent for ${LOAD_S} s: ${(got.length / LOAD_S).toFixed(0)} replies/s, ${busy} busy (503), ${failed} dropped; ${fmt(got)}`);
    console.log(`  answer ack meanwhile: ${fmt(a)}`);
  }
  await cand.close();
} finally {
  await h.stopServer(srv);
  h.cleanup(srv);
}
