// crash.test.js — SIGKILL the server (no shutdown path at all) and restart
// it on the same database: every acknowledged answer is there, running
// attempts resume with the same deadline, and an attempt whose deadline
// passed while the server was down is graded at start-up
// (docs/protocol.md §2.3 "sent only after the transaction ... committed").
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as h from './harness.js';

const GRACE_MS = 300;
const ARGS = ['--grace-ms', String(GRACE_MS)];
const ref = h.restartableServer((dir) => h.prepareDb(dir, { exams: [{ title: 'Ba giây', questions: 3, duration: 3, attempts: 1 }] })[0], { args: ARGS });
let short; // 3 questions, 3 s, 1 attempt
before(() => { short = ref.extra; });

async function crashAndRestart() {
  const r = await ref.kill();
  assert.equal(r.sig, 'SIGKILL');
  await ref.start();
}

async function reconnect(t, cookie) {
  const c = await h.connect(ref.srv, cookie);
  c.cookie = cookie;
  t.after(() => c.kill());
  return c;
}

// Start and note the window the deadline must lie in:
// deadline = (server time when the paper was made) + left_ms.
async function startTimed(c, exam) {
  const t0 = Date.now();
  const p = await c.request('start', { exam });
  const t1 = Date.now();
  assert.equal(p.type, 'paper', JSON.stringify(p));
  return { p, lo: t0 + p.left_ms, hi: t1 + p.left_ms };
}

function latest(items) {
  const m = new Map();
  for (const it of items) m.set(it.q, { q: it.q, choice: it.choice, flag: it.flag ?? false });
  return m;
}
const answersMap = (p) => new Map(p.answers.map((a) => [a.q, a]));

test('acked answers survive SIGKILL; the attempt resumes with the same deadline', async (t) => {
  const c = await h.candidate(ref.srv, 'ts01');
  t.after(() => c.kill());
  const { p, lo, hi } = await startTimed(c, 1);
  const [q0, q1, q2] = p.questions;
  const sent = [
    { q: q0.q, choice: h.keyOf(q0), flag: false, seq: 1 },
    { q: q1.q, choice: [h.wrongOf(q1)], flag: true, seq: 2 },
  ];
  for (const it of sent) {
    const a = await c.request('answer', { attempt: p.attempt, ...it });
    assert.deepEqual([a.type, a.seq], ['ack', it.seq]);
  }
  await crashAndRestart(); // right after the last ack

  const c2 = await reconnect(t, c.cookie);
  const u0 = Date.now();
  const r = await c2.request('start', { exam: 1 });
  const u1 = Date.now();
  assert.equal(r.type, 'paper', JSON.stringify(r));
  assert.equal(r.attempt, p.attempt);
  assert.equal(r.resumed, true);
  assert.deepEqual(r.questions, p.questions);
  assert.equal(r.last_seq, 2);
  assert.deepEqual(answersMap(r), latest(sent));
  assert.ok(r.left_ms > 0 && r.left_ms < p.left_ms, `left_ms ${r.left_ms}, before the kill ${p.left_ms}`);
  // Same deadline: both windows for it overlap.
  const lo2 = u0 + r.left_ms;
  const hi2 = u1 + r.left_ms;
  assert.ok(lo2 <= hi + 1 && lo <= hi2 + 1, `deadline moved: [${lo}, ${hi}] before, [${lo2}, ${hi2}] after`);

  // The resumed attempt takes answers and grades all of them.
  const a3 = await c2.request('answer', { attempt: p.attempt, q: q2.q, choice: h.keyOf(q2), seq: 3 });
  assert.deepEqual([a3.type, a3.seq], ['ack', 3]);
  const res = await c2.request('submit', { attempt: p.attempt });
  assert.equal(res.type, 'result', JSON.stringify(res));
  assert.equal(res.reason, 'candidate');
  assert.equal(res.correct, 2);
});

test('answers in flight at SIGKILL: every acked one is kept, resending completes the rest', async (t) => {
  const c = await h.candidate(ref.srv, 'ts02');
  t.after(() => c.kill());
  const { p } = await startTimed(c, 1);
  const items = [];
  for (let s = 1; s <= 40; s++) {
    const q = p.questions[(s - 1) % 20];
    items.push({ q: q.q, choice: [s % q.options.length], flag: s % 3 === 0, seq: s });
  }
  // 1..20 acknowledged; 21..40 written to the socket, then the kill at
  // once: some may be saved, some not, some saved but not acknowledged.
  for (const it of items.slice(0, 20)) c.send('answer', { attempt: p.attempt, ...it });
  await c.waitFor((m) => m.type === 'ack' && m.seq === 20);
  for (const it of items.slice(20)) c.send('answer', { attempt: p.attempt, ...it });
  await c.flushed();
  await crashAndRestart();
  const acked = c.messages().filter((m) => m?.type === 'ack').map((m) => m.seq);
  const maxAcked = Math.max(...acked);
  t.diagnostic(`acked before the kill: ${acked.length} (up to seq ${maxAcked})`);

  const c2 = await reconnect(t, c.cookie);
  const r = await c2.request('start', { exam: 1 });
  assert.equal(r.attempt, p.attempt);
  assert.ok(r.last_seq >= maxAcked, `seq ${maxAcked} was acked but last_seq is ${r.last_seq}`);
  const got = answersMap(r);
  let prefix = -1;
  for (let n = r.last_seq; n <= 40 && prefix < 0; n++) {
    try { assert.deepEqual(got, latest(items.slice(0, n))); prefix = n; } catch { /* next */ }
  }
  assert.ok(prefix >= 0, `answers after restart match no prefix of the sent seqs from ${r.last_seq}: ${JSON.stringify(r.answers)}`);

  const ids = items.map((it, i) => c2.send('answer', { id: `re-${i}`, attempt: p.attempt, ...it }));
  const replies = await Promise.all(ids.map((id) => c2.reply(id)));
  replies.forEach((a, i) => assert.deepEqual(a, { type: 'ack', id: `re-${i}`, attempt: p.attempt, seq: i + 1 }));
  const f = await c2.request('start', { exam: 1 });
  assert.equal(f.last_seq, 40);
  assert.deepEqual(answersMap(f), latest(items));
  if (h.hasSqlite3()) {
    const rows = h.dbQuery(ref.srv.db, `SELECT seq, question_id AS q FROM answers WHERE attempt_id = ${p.attempt} ORDER BY seq`);
    assert.deepEqual(rows.map((x) => x.seq), items.map((x) => x.seq), 'one row per seq');
    assert.deepEqual(rows.map((x) => x.q), items.map((x) => x.q));
  }
});

test('an attempt whose deadline passed while the server was down is graded at start-up', async (t) => {
  const c = await h.candidate(ref.srv, 'ts03');
  t.after(() => c.kill());
  const { p, lo, hi } = await startTimed(c, short);
  const q0 = p.questions[0];
  const a = await c.request('answer', { attempt: p.attempt, q: q0.q, choice: h.keyOf(q0), seq: 1 });
  assert.equal(a.type, 'ack');
  const r = await ref.kill();
  assert.equal(r.sig, 'SIGKILL');
  // The server is down, so nothing can tell us the time has passed: wait
  // (by the wall clock) for the latest possible deadline plus the grace.
  await h.wallClock(hi + GRACE_MS + 50 - Date.now());
  await ref.start();

  const c2 = await reconnect(t, c.cookie);
  // `result` waits for a close in progress, so ask it first.
  const res = await c2.request('result', { attempt: p.attempt });
  assert.equal(res.type, 'result', JSON.stringify(res));
  assert.equal(res.reason, 'deadline');
  assert.equal(res.correct, 1);
  assert.equal(res.total, 3);
  assert.ok(res.submitted_ms >= lo + GRACE_MS, `submitted_ms ${res.submitted_ms} before deadline + grace ${lo + GRACE_MS}`);
  assert.deepEqual(res.review.find((x) => x.q === q0.q).choice, h.keyOf(q0));
  const hello = await c2.request('hello');
  const e = hello.exams.find((x) => x.id === short);
  assert.equal(e.running, null);
  assert.equal(e.attempts_used, 1);
  assert.deepEqual(e.last_result, { attempt: p.attempt, score: 3.33, correct: 1, total: 3 });
  const again = await c2.request('start', { exam: short });
  assert.equal(again.code, 'no_attempts_left', JSON.stringify(again));
  const late = await c2.request('answer', { attempt: p.attempt, q: p.questions[1].q, choice: [0], seq: 2 });
  assert.equal(late.code, 'attempt_closed', JSON.stringify(late));
});

test('the server stops cleanly after the restarts (exit 0, no sanitizer report)', async () => {
  await h.stopServerClean(ref.srv);
});
