// deadline.test.js — the server's clock ends attempts: the deadline close
// while the candidate is online (pushed result) or offline (found on
// return), answers after the close, the grace period and the time push
// (docs/protocol.md §2.3, §2.6, §3).
//
// Nothing here sleeps: every wait is for a frame the server sends at a
// moment of its own clock (the `time` push, the deadline `result` push).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as h from './harness.js';

const GRACE_MS = 300;
const SHORT_S = 2;
let srv; // grace 300 ms, default time push (30 s)
let short; // id of the 2-second exam (3 questions, 2 attempts)

async function serve(args) {
  const dir = h.tempDir();
  try {
    const [id] = h.prepareDb(dir, { exams: [{ title: 'Hai giây', questions: 3, duration: SHORT_S, attempts: 2 }] });
    return { srv: await h.startServer({ dir, demo: false, args }), id };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

before(async () => {
  ({ srv, id: short } = await serve(['--grace-ms', String(GRACE_MS)]));
});

after(async () => {
  if (!srv) return;
  await h.stopServer(srv);
  h.cleanup(srv);
});

async function open(t, server, user) {
  const c = await h.candidate(server, user);
  t.after(() => c.kill());
  return c;
}

const deadlinePush = (attempt) => (m) => m.type === 'result' && m.attempt === attempt;

test('the deadline closes attempts: pushed to the connected, found later by the offline', async (t) => {
  // ts01 starts, saves one right answer and goes offline.
  const off = await open(t, srv, 'ts01');
  const tOffStart = Date.now();
  const pOff = await off.request('start', { exam: short });
  assert.equal(pOff.type, 'paper', JSON.stringify(pOff));
  assert.equal(pOff.duration_ms, SHORT_S * 1000);
  const qOff = pOff.questions[0];
  const a = await off.request('answer', { attempt: pOff.attempt, q: qOff.q, choice: h.keyOf(qOff), seq: 1 });
  assert.equal(a.type, 'ack', JSON.stringify(a));
  await off.kill();

  // ts02 starts later (so its deadline is later) and stays connected.
  const on = await open(t, srv, 'ts02');
  const tOnStart = Date.now();
  const pOn = await on.request('start', { exam: short });
  assert.equal(pOn.type, 'paper', JSON.stringify(pOn));
  const [q0, q1] = pOn.questions;
  await on.request('answer', { attempt: pOn.attempt, q: q0.q, choice: h.keyOf(q0), seq: 1 });
  await on.request('answer', { attempt: pOn.attempt, q: q1.q, choice: [h.wrongOf(q1)], seq: 2 });

  await t.test('online: the result is pushed without id, reason deadline', async () => {
    const push = await on.waitFor(deadlinePush(pOn.attempt), { timeoutMs: 20000 });
    const tPush = Date.now();
    assert.equal('id' in push, false, `a push carries no id: ${JSON.stringify(push)}`);
    assert.equal(push.reason, 'deadline');
    assert.equal(push.exam, short);
    assert.equal(push.total, 3);
    assert.equal(push.correct, 1);
    assert.equal(push.score, 3.33);
    // Closed by the server's clock: not before deadline + grace.
    assert.ok(push.submitted_ms >= tOnStart + pOn.left_ms + GRACE_MS,
      `submitted_ms ${push.submitted_ms} is before the deadline + grace (${tOnStart + pOn.left_ms + GRACE_MS})`);
    assert.ok(push.submitted_ms <= tPush);
    const rv = new Map(push.review.map((x) => [x.q, x]));
    assert.equal(rv.get(q0.q).right, true);
    // Same fields as the reply to `result`, without id (§2.6).
    const { id: _id, ...fetched } = await on.request('result', { attempt: pOn.attempt });
    assert.deepEqual(push, fetched);
    assert.deepEqual(rv.get(q1.q).choice, [h.wrongOf(q1)]);
    // Any time push before it counted down from the paper's left_ms.
    const times = on.messages().filter((m) => m?.type === 'time' && m.attempt === pOn.attempt).map((m) => m.left_ms);
    for (let i = 0; i < times.length; i++) {
      assert.ok(times[i] >= 0 && times[i] <= pOn.left_ms, `time push left_ms ${times[i]}`);
      if (i) assert.ok(times[i] <= times[i - 1], `time pushes go down: ${times}`);
    }
  });

  await t.test('offline: reconnecting shows no running attempt and the deadline result', async () => {
    // ts01's deadline came before ts02's, and its close was queued first:
    // ts02's push means ts01's attempt is graded and committed.
    const back = await h.connect(srv, off.cookie);
    t.after(() => back.kill());
    // A client resuming by name learns the attempt closed (§2.2).
    const named = await back.request('start', { exam: short, attempt: pOff.attempt });
    assert.deepEqual([named.type, named.code], ['error', 'attempt_closed'], JSON.stringify(named));
    const hi = await back.request('hello');
    const e = hi.exams.find((x) => x.id === short);
    assert.equal(e.running, null, JSON.stringify(e));
    assert.equal(e.attempts_used, 1);
    assert.deepEqual(e.last_result, { attempt: pOff.attempt, score: 3.33, correct: 1, total: 3 });
    const r = await back.request('result', { attempt: pOff.attempt });
    assert.equal(r.type, 'result', JSON.stringify(r));
    assert.equal(r.reason, 'deadline');
    assert.equal(r.correct, 1);
    assert.ok(r.submitted_ms >= tOffStart + pOff.left_ms + GRACE_MS, `submitted_ms ${r.submitted_ms}`);
    const rv = r.review.find((x) => x.q === qOff.q);
    assert.deepEqual(rv.choice, h.keyOf(qOff));
    assert.equal(rv.right, true);
    // Submitting the closed attempt returns the same result.
    const s = await back.request('submit', { attempt: pOff.attempt });
    assert.deepEqual({ ...s, id: r.id }, r);
  });

  await t.test('late: an answer after the deadline close gets attempt_closed and changes nothing', async () => {
    // `too_late` is for an answer that arrives after deadline + grace but
    // before the close job has run; the close runs at deadline + grace on
    // the same loop, so that window cannot be hit deterministically from
    // outside. After the pushed result the attempt is closed.
    const q2 = pOn.questions[2];
    const late = await on.request('answer', { attempt: pOn.attempt, q: q2.q, choice: h.keyOf(q2), seq: 3 });
    assert.equal(late.type, 'error', JSON.stringify(late));
    assert.equal(late.code, 'attempt_closed');
    const r = await on.request('result', { attempt: pOn.attempt });
    assert.equal(r.reason, 'deadline');
    assert.equal(r.correct, 1, 'the late answer was not graded');
    assert.deepEqual(r.review.find((x) => x.q === q2.q).choice, []);
    if (h.hasSqlite3()) {
      const rows = h.dbQuery(srv.db, `SELECT seq FROM answers WHERE attempt_id = ${pOn.attempt} ORDER BY seq`);
      assert.deepEqual(rows.map((x) => x.seq), [1, 2]);
    }
  });
});

test('the time push reports the running attempt with 0 < left_ms <= duration', async (t) => {
  const { srv: s1 } = await serve(['--time-push-s', '1']);
  t.after(async () => { await h.stopServer(s1); h.cleanup(s1); });
  await h.explain(s1, async () => {
    const c = await open(t, s1, 'ts03');
    const p = await c.request('start', { exam: 1 });
    assert.equal(p.type, 'paper', JSON.stringify(p));
    const from = c.frames.length;
    const tm = await c.waitFor((m) => m.type === 'time', { fromIndex: from, timeoutMs: 10000 });
    assert.deepEqual(Object.keys(tm).sort(), ['attempt', 'left_ms', 'type']);
    assert.equal(tm.attempt, p.attempt);
    assert.ok(tm.left_ms > 0 && tm.left_ms <= 900000, `left_ms ${tm.left_ms}`);
    assert.ok(tm.left_ms <= p.left_ms, `time push left_ms ${tm.left_ms} above the paper's ${p.left_ms}`);
    // And again a second later, lower.
    const tm2 = await c.waitFor((m) => m.type === 'time' && m.left_ms < tm.left_ms, { timeoutMs: 10000 });
    assert.equal(tm2.attempt, p.attempt);
  });
  await h.stopServerClean(s1);
});

// docs/protocol.md §2.6: the time push goes "to each of the candidate's
// connections". The server currently pushes only to connections that
// received the paper (conn->attempt is set by start alone), so a second
// tab that said hello, or answered without start (allowed by §2.6), never
// hears the time.
test("the time push reaches each of the candidate's connections", async (t) => {
  const { srv: s1 } = await serve(['--time-push-s', '1']);
  t.after(async () => { await h.stopServer(s1); h.cleanup(s1); });
  await h.explain(s1, async () => {
    const c = await open(t, s1, 'ts04');
    const p = await c.request('start', { exam: 1 });
    assert.equal(p.type, 'paper', JSON.stringify(p));
    const c2 = await h.connect(s1, c.cookie);
    t.after(() => c2.kill());
    assert.equal((await c2.request('hello')).exams.find((x) => x.id === 1).running.attempt, p.attempt);
    const q = p.questions[0];
    assert.equal((await c2.request('answer', { attempt: p.attempt, q: q.q, choice: [0], seq: 1 })).type, 'ack');
    // Two pushes to the first connection after that: with --time-push-s 1
    // every connection is served on every tick, so two ticks have passed.
    const from = c.frames.length;
    await c.waitFor((m) => m.type === 'time', { fromIndex: from });
    await c.waitFor((m) => m.type === 'time', { fromIndex: c.frames.length });
    const got = c2.messages().filter((m) => m?.type === 'time');
    assert.ok(got.length > 0, 'the second connection got no time push');
    assert.equal(got[0].attempt, p.attempt);
  });
  await h.stopServerClean(s1);
});

test('an answer within the grace period after the deadline is saved and graded', async (t) => {
  // A server with the default grace (2000 ms). The `time` push with
  // left_ms 0 says the deadline has passed while the attempt still runs;
  // pushes come every second, so at least 1 s of grace is left then.
  const { srv: g, id } = await serve(['--time-push-s', '1']);
  t.after(async () => { await h.stopServer(g); h.cleanup(g); });
  await h.explain(g, async () => {
    const c = await open(t, g, 'ts01');
    const p = await c.request('start', { exam: id });
    assert.equal(p.type, 'paper', JSON.stringify(p));
    const zero = await c.waitFor((m) => m.type === 'time' && m.attempt === p.attempt && m.left_ms === 0, { timeoutMs: 20000 });
    assert.equal(zero.left_ms, 0);
    const q = p.questions[1];
    const a = await c.request('answer', { attempt: p.attempt, q: q.q, choice: h.keyOf(q), seq: 1 });
    assert.deepEqual([a.type, a.seq], ['ack', 1], JSON.stringify(a));
    const r = await c.waitFor(deadlinePush(p.attempt), { timeoutMs: 20000 });
    assert.equal(r.reason, 'deadline');
    assert.equal(r.correct, 1);
    assert.equal(r.review.find((x) => x.q === q.q).right, true);
  });
  await h.stopServerClean(g);
});

test('the server stops cleanly (exit 0, no sanitizer report)', async () => {
  await h.stopServerClean(srv);
});
