// resume.test.js — lost connections: reconnect with the same cookie,
// resume the same attempt, resend unacknowledged answers with their
// original seq (docs/protocol.md §2.2, §2.3 "Idempotence", §4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as h from './harness.js';

let srv;

h.sharedServer(undefined, {}, (s) => {
  srv = s;
});

const open = (t, user) => h.openFor(t, srv, user);
const reconnect = (t, c0) => h.againFor(t, srv, c0);

// The rows the server stored for an attempt, in seq order (null when the
// sqlite3 CLI is missing: then the protocol checks stand alone).
function rows(attempt) {
  if (!h.hasSqlite3()) return null;
  return h.dbQuery(srv.db, `SELECT seq, question_id AS q, choice, flagged FROM answers WHERE attempt_id = ${Number(attempt)} ORDER BY seq`);
}

// What `answers` must hold after the given answers, latest per question.
function latest(items) {
  const m = new Map();
  for (const it of items) m.set(it.q, { q: it.q, choice: it.choice, flag: it.flag });
  return m;
}

function answersMap(paper) {
  const m = new Map();
  for (const a of paper.answers) {
    assert.equal(m.has(a.q), false, `q ${a.q} twice in answers`);
    m.set(a.q, a);
  }
  return m;
}

test('a dropped connection resumes the same attempt; acked seqs resent change nothing', async (t) => {
  const c1 = await open(t, 'ts01');
  const p1 = await c1.request('start', { exam: 1 });
  assert.equal(p1.type, 'paper', JSON.stringify(p1));
  assert.equal(p1.resumed, false);
  const qs = p1.questions;
  const sent = qs.slice(0, 5).map((q, i) => ({ q: q.q, choice: h.keyOf(q), flag: i === 2, seq: i + 1 }));
  for (const it of sent) {
    const a = await c1.request('answer', { attempt: p1.attempt, ...it });
    assert.deepEqual([a.type, a.attempt, a.seq], ['ack', p1.attempt, it.seq]);
  }
  await c1.kill(); // like a lost network: no closing handshake

  const c2 = await reconnect(t, c1);
  const hi = await c2.request('hello');
  const e = hi.exams.find((x) => x.id === 1);
  assert.equal(e.running?.attempt, p1.attempt, 'hello names the running attempt');
  assert.ok(e.running.left_ms > 0 && e.running.left_ms <= p1.left_ms, `hello left_ms ${e.running.left_ms}`);

  // An answer needs no start on this connection: the attempt id is enough.
  const direct = { q: qs[5].q, choice: h.keyOf(qs[5]), flag: false, seq: 6 };
  const d = await c2.request('answer', { attempt: p1.attempt, ...direct });
  assert.deepEqual([d.type, d.attempt, d.seq], ['ack', p1.attempt, 6], JSON.stringify(d));
  sent.push(direct);

  // Resume naming the attempt, as §4 asks of a reconnecting client.
  const p2 = await c2.request('start', { exam: 1, attempt: p1.attempt });
  assert.equal(p2.type, 'paper', JSON.stringify(p2));
  assert.equal(p2.attempt, p1.attempt);
  assert.equal(p2.resumed, true);
  assert.ok(p2.left_ms > 0 && p2.left_ms <= p1.left_ms, `left_ms ${p2.left_ms} after ${p1.left_ms}`);
  assert.deepEqual(p2.questions, p1.questions, 'same questions, same order, same option order');
  assert.equal(p2.last_seq, 6);
  assert.deepEqual(answersMap(p2), latest(sent));

  // Resend seqs 3..5 unchanged, and seq 2 with other content: each is
  // acknowledged, none is written again.
  const resend = [
    ...sent.slice(2, 5),
    { q: qs[10].q, choice: [0], flag: true, seq: 2 },
  ];
  const acks = await Promise.all(resend.map((it, i) => c2.request('answer', { id: `r${i}`, attempt: p1.attempt, ...it })));
  acks.forEach((a, i) => assert.deepEqual(a, { type: 'ack', id: `r${i}`, attempt: p1.attempt, seq: resend[i].seq }));

  const p3 = await c2.request('start', { exam: 1 });
  assert.equal(p3.last_seq, 6);
  assert.deepEqual(answersMap(p3), latest(sent), 'a resent seq must not overwrite the stored answer');

  const db = rows(p1.attempt);
  if (db) {
    assert.deepEqual(db.map((r) => r.seq), [1, 2, 3, 4, 5, 6], 'exactly one row per seq');
    assert.deepEqual(db.map((r) => r.q), sent.map((x) => x.q), 'rows hold the first content of each seq');
    assert.deepEqual(db.map((r) => r.flagged), [0, 0, 1, 0, 0, 0]);
  }
});

test('answers in flight when the socket dies: resending all with the same seqs acks every one', async (t) => {
  const c1 = await open(t, 'ts02');
  const p = await c1.request('start', { exam: 1 });
  assert.equal(p.type, 'paper', JSON.stringify(p));
  // 30 answers over 10 questions, each question changed three times.
  const items = [];
  for (let s = 1; s <= 30; s++) {
    const q = p.questions[(s - 1) % 10];
    items.push({ q: q.q, choice: [(s + 1) % q.options.length], flag: s % 4 === 0, seq: s });
  }
  for (const it of items) c1.send('answer', { attempt: p.attempt, ...it });
  await c1.flushed(); // written to the socket...
  await c1.kill(); // ...and dropped at once: no ack awaited
  const acked = c1.messages().filter((m) => m?.type === 'ack').length;
  t.diagnostic(`acks seen before the drop: ${acked} of 30`);

  const c2 = await reconnect(t, c1);
  const r = await c2.request('start', { exam: 1 });
  assert.equal(r.type, 'paper', JSON.stringify(r));
  assert.equal(r.attempt, p.attempt);
  assert.equal(r.resumed, true);
  assert.ok(r.last_seq >= 0 && r.last_seq <= 30, `last_seq ${r.last_seq}`);
  t.diagnostic(`last_seq after reconnect: ${r.last_seq}`);
  // Whatever reached the server was saved in order: `answers` is the state
  // after some prefix of the seqs, at least up to last_seq (rows may commit
  // between the two reads, never out of order).
  const got = answersMap(r);
  const prefixes = [];
  for (let n = r.last_seq; n <= 30; n++) {
    try { assert.deepEqual(got, latest(items.slice(0, n))); prefixes.push(n); } catch { /* not this one */ }
  }
  assert.ok(prefixes.length > 0, `answers ${JSON.stringify(r.answers)} match no prefix of the sent seqs from ${r.last_seq}`);

  // Resend everything with the original seqs, as a client's outbox would.
  const ids = items.map((it, i) => c2.send('answer', { id: `again-${i}`, attempt: p.attempt, ...it }));
  const replies = await Promise.all(ids.map((id) => c2.reply(id)));
  replies.forEach((a, i) => {
    assert.deepEqual(a, { type: 'ack', id: `again-${i}`, attempt: p.attempt, seq: items[i].seq });
  });

  const c3 = await reconnect(t, c1);
  const f = await c3.request('start', { exam: 1 });
  assert.equal(f.last_seq, 30, 'last_seq is the highest seq');
  assert.deepEqual(answersMap(f), latest(items), 'the last value per question wins');
  assert.equal(f.answers.length, 10);

  const db = rows(p.attempt);
  if (db) {
    assert.deepEqual(db.map((x) => x.seq), items.map((x) => x.seq), 'exactly one row per seq');
    assert.deepEqual(db.map((x) => x.q), items.map((x) => x.q));
    assert.deepEqual(db.map((x) => x.flagged), items.map((x) => (x.flag ? 1 : 0)));
  }

  // The grade uses the same latest answers.
  const res = await c3.request('submit', { attempt: p.attempt });
  assert.equal(res.type, 'result', JSON.stringify(res));
  const want = latest(items);
  for (const rv of res.review) {
    assert.deepEqual(rv.choice, want.get(rv.q)?.choice ?? [], `review choice of q ${rv.q}`);
    assert.equal(rv.right, rv.choice.length > 0 && JSON.stringify(rv.choice) === JSON.stringify(rv.key));
  }
});

test('a seq below one already saved is still stored (a gap left by a refused answer)', async (t) => {
  // A client whose seq 3 was refused (say busy) while seq 4 was saved
  // resends 3 later: it must be written, not acknowledged on the strength
  // of "4 is already saved".
  const c = await open(t, 'ts05');
  const h1 = await c.request('hello');
  const p = await c.request('start', { exam: h1.exams[0].id });
  const [q0, q1] = p.questions;
  const a4 = await c.request('answer', { attempt: p.attempt, q: q0.q, choice: [0], seq: 4 });
  assert.equal(a4.type, 'ack');
  const a3 = await c.request('answer', { attempt: p.attempt, q: q1.q, choice: [1], seq: 3 });
  assert.deepEqual([a3.type, a3.seq], ['ack', 3]);
  const again = await c.request('start', { exam: h1.exams[0].id, attempt: p.attempt });
  const m = answersMap(again);
  assert.deepEqual(m.get(q1.q)?.choice, [1], 'the seq-3 answer was not stored');
  assert.deepEqual(m.get(q0.q)?.choice, [0]);
  assert.equal(again.last_seq, 4);
  const r = rows(p.attempt);
  if (r) assert.deepEqual(r.map((x) => x.seq), [3, 4]);
});

test('the server stops cleanly (exit 0, no sanitizer report)', async () => {
  await h.stopServerClean(srv);
});
