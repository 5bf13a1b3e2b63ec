// attempt.test.js — one candidate's attempts from hello to result, against
// the demo exam (exam 1: 20 of the 74 bank questions, 900 s, 2 attempts,
// review full, shuffled). See docs/protocol.md §2.1-2.5.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as h from './harness.js';

let srv;
h.sharedServer((dir) => h.prepareDb(dir, { exams: [{ title: 'Đề phụ', questions: 3 }] }), {}, (s) => {
  srv = s;
  srv.extraExams = s.extra;
});

// Log in and connect; the socket is dropped when the test ends.
const open = (t, user) => h.openFor(t, srv, user);
// Another connection with the same session cookie.
const again = (t, c0) => h.againFor(t, srv, c0);

function exam1(hello) {
  const e = hello.exams.find((x) => x.id === 1);
  assert.ok(e, `exam 1 missing from hello: ${JSON.stringify(hello)}`);
  return e;
}

// Score on the 10-point scale as the server rounds it (half up, 2 decimals).
function score(correct, total) {
  return Math.floor((2000 * correct + total) / (2 * total)) / 100;
}

// Send every answer back to back, then wait for each reply.
async function answerAll(c, attempt, items) {
  const ids = items.map((it) => c.send('answer', { attempt, flag: false, ...it }));
  return Promise.all(ids.map((id) => c.reply(id)));
}

function checkPaper(p, { attempt, resumed }) {
  assert.equal(p.type, 'paper', JSON.stringify(p));
  if (attempt !== undefined) assert.equal(p.attempt, attempt);
  assert.equal(p.resumed, resumed);
  assert.deepEqual(p.exam.id, 1);
  assert.equal(p.duration_ms, 900000);
  assert.ok(p.left_ms > 0 && p.left_ms <= 900000, `left_ms ${p.left_ms}`);
  assert.equal(p.questions.length, 20);
  assert.equal(new Set(p.questions.map((q) => q.q)).size, 20, 'a question appears twice');
  for (const q of p.questions) {
    assert.ok(Number.isInteger(q.q) && q.q > 0);
    assert.ok(q.options.length >= 2 && q.options.length <= 6, `q ${q.q}: ${q.options.length} options`);
    const bq = h.bankQuestion(q);
    // Same options as the bank, in some order; same multi flag.
    assert.deepEqual([...q.options].sort(), [...bq.options].sort(), `q ${q.q}: options differ from the bank`);
    assert.equal(q.multi, bq.multi ?? bq.correct.length > 1, `q ${q.q}: multi`);
  }
}

test('hello shows the demo exam rules before any attempt', async (t) => {
  const c = await open(t, 'ts01');
  const hi = await c.request('hello');
  assert.equal(hi.type, 'hello');
  assert.equal(hi.id, 1);
  assert.equal(hi.user.username, 'ts01');
  assert.equal(hi.user.role, 'candidate');
  const e = exam1(hi);
  assert.equal(e.questions, 20);
  assert.equal(e.duration_s, 900);
  assert.equal(e.attempts_allowed, 2);
  assert.equal(e.attempts_used, 0);
  assert.equal(e.review, 'full');
  assert.equal(e.open, true);
  assert.equal(e.running, null);
  assert.equal(e.last_result, null);
});

test('full attempt: all correct scores 10, then attempt 2, then no_attempts_left', async (t) => {
  const c = await open(t, 'ts01');
  const p = await c.request('start', { exam: 1 });
  checkPaper(p, { resumed: false });
  assert.equal(p.last_seq, 0);
  assert.deepEqual(p.answers, []);

  let hi = await c.request('hello');
  assert.deepEqual(exam1(hi).running?.attempt, p.attempt, 'hello shows the running attempt');
  assert.equal(exam1(hi).attempts_used, 1);

  // Every question with its key (computed from the bank), seq 1..20.
  const keys = new Map(p.questions.map((q) => [q.q, h.keyOf(q)]));
  const items = p.questions.map((q, i) => ({ id: `a${i}`, q: q.q, choice: keys.get(q.q), seq: i + 1 }));
  const acks = await answerAll(c, p.attempt, items);
  acks.forEach((a, i) => {
    assert.deepEqual(a, { type: 'ack', id: `a${i}`, attempt: p.attempt, seq: i + 1 });
  });

  const r = await c.request('submit', { id: 'sub-1', attempt: p.attempt });
  assert.equal(r.type, 'result', JSON.stringify(r));
  assert.equal(r.id, 'sub-1');
  assert.equal(r.attempt, p.attempt);
  assert.equal(r.exam, 1);
  assert.equal(r.reason, 'candidate');
  assert.equal(r.score, 10);
  assert.equal(r.correct, 20);
  assert.equal(r.total, 20);
  assert.ok(Number.isInteger(r.submitted_ms) && r.submitted_ms > 0);
  assert.equal(r.review.length, 20);
  for (const rv of r.review) {
    const key = keys.get(rv.q);
    assert.ok(key, `review q ${rv.q} not on the paper`);
    assert.deepEqual(rv.key, key, `review key of q ${rv.q}`);
    assert.deepEqual(rv.choice, key);
    assert.equal(rv.right, true);
  }
  // The review lists the paper in the candidate's order, options included.
  assert.deepEqual(r.review.map((x) => x.q), p.questions.map((x) => x.q));
  assert.deepEqual(r.review.map((x) => x.options), p.questions.map((x) => x.options));

  // Submitting again and fetching return the same result.
  const r2 = await c.request('submit', { attempt: p.attempt });
  assert.equal(r2.type, 'result');
  assert.deepEqual({ ...r2, id: r.id }, r);
  const r3 = await c.request('result', { attempt: p.attempt });
  assert.deepEqual({ ...r3, id: r.id }, r);

  hi = await c.request('hello');
  assert.equal(exam1(hi).running, null);
  assert.equal(exam1(hi).attempts_used, 1);
  assert.deepEqual(exam1(hi).last_result, { attempt: p.attempt, score: 10, correct: 20, total: 20 });

  // Attempt 2: a new attempt with an empty paper state.
  const p2 = await c.request('start', { exam: 1 });
  checkPaper(p2, { resumed: false });
  assert.notEqual(p2.attempt, p.attempt);
  assert.equal(p2.last_seq, 0);
  assert.deepEqual(p2.answers, []);
  hi = await c.request('hello');
  assert.equal(exam1(hi).attempts_used, 2);
  assert.equal(exam1(hi).running.attempt, p2.attempt);
  // Answers of attempt 1 do not leak into attempt 2's grade.
  const r4 = await c.request('submit', { attempt: p2.attempt });
  assert.equal(r4.type, 'result', JSON.stringify(r4));
  assert.equal(r4.correct, 0);
  assert.equal(r4.score, 0);
  assert.ok(r4.review.every((x) => x.choice.length === 0 && x.right === false));

  // No third attempt.
  const e3 = await c.request('start', { exam: 1 });
  assert.equal(e3.type, 'error', JSON.stringify(e3));
  assert.equal(e3.code, 'no_attempts_left');
  hi = await c.request('hello');
  assert.equal(exam1(hi).attempts_used, 2);
  assert.equal(exam1(hi).running, null);
  assert.deepEqual(exam1(hi).last_result, { attempt: p2.attempt, score: 0, correct: 0, total: 20 });
});

test('answers change, clear and flag; resume shows the latest; grading uses the latest', async (t) => {
  const c = await open(t, 'ts02');
  const p = await c.request('start', { exam: 1 });
  checkPaper(p, { resumed: false });
  const singles = p.questions.filter((q) => !q.multi && q.options.length >= 3);
  assert.ok(singles.length >= 4, 'the paper needs 4 single-answer questions');
  const [A, B, C, D] = singles;
  const k = (q) => h.keyOf(q);
  const w = (q) => [h.wrongOf(q)];
  const at = p.attempt;

  // A: option 0, then 1, then cleared.
  const acks = await answerAll(c, at, [
    { q: A.q, choice: [0], seq: 1 },
    { q: A.q, choice: [1], seq: 2 },
    { q: A.q, choice: [], seq: 3 },
  ]);
  assert.deepEqual(acks.map((a) => [a.type, a.seq]), [['ack', 1], ['ack', 2], ['ack', 3]]);

  // A tab that only lists the attempt (hello) is not taken over by the
  // resumes below, and gets the result pushed at the end.
  const lister = await again(t, c);
  assert.equal(exam1(await lister.request('hello')).running.attempt, at);

  // A resume now shows A cleared (a row with an empty choice). It takes
  // the attempt over: the first connection is closed with 4001.
  const c2 = await again(t, c);
  let r = await c2.request('start', { exam: 1 });
  checkPaper(r, { attempt: at, resumed: true });
  assert.equal(r.last_seq, 3);
  assert.deepEqual(r.answers, [{ q: A.q, choice: [], flag: false }]);
  assert.equal((await c.closed).code, 4001);

  // A: final answer right. B: right then wrong. D: right then cleared.
  // C: right and flagged for review.
  await answerAll(c2, at, [
      {q : A.q, choice : k(A), seq : 4},
      {q : B.q, choice : k(B), seq : 5},
      {q : B.q, choice : w(B), seq : 6},
      {q : D.q, choice : k(D), seq : 7},
      {q : D.q, choice : [], seq : 8},
      {q : C.q, choice : k(C), flag : true, seq : 9},
  ]).then((as) => assert.deepEqual(as.map((a) => a.seq), [ 4, 5, 6, 7, 8, 9 ]));

  const c3 = await again(t, c);
  r = await c3.request('start', { exam: 1 });
  checkPaper(r, { attempt: at, resumed: true });
  assert.deepEqual(r.questions, p.questions, 'the paper is the same on resume');
  assert.equal(r.last_seq, 9);
  const byQ = new Map(r.answers.map((a) => [a.q, a]));
  assert.equal(r.answers.length, 4, JSON.stringify(r.answers));
  assert.deepEqual(byQ.get(A.q), { q: A.q, choice: k(A), flag: false });
  assert.deepEqual(byQ.get(B.q), { q: B.q, choice: w(B), flag: false });
  assert.deepEqual(byQ.get(D.q), { q: D.q, choice: [], flag: false });
  assert.deepEqual(byQ.get(C.q), { q: C.q, choice: k(C), flag: true }, 'the flag persists');

  const res = await c3.request('submit', { attempt: at });
  assert.equal(res.type, 'result', JSON.stringify(res));
  const rv = new Map(res.review.map((x) => [x.q, x]));
  assert.deepEqual([rv.get(A.q).choice, rv.get(A.q).right], [k(A), true]);
  assert.deepEqual([rv.get(B.q).choice, rv.get(B.q).right], [w(B), false]);
  assert.deepEqual([rv.get(D.q).choice, rv.get(D.q).right], [[], false]);
  assert.deepEqual([rv.get(C.q).choice, rv.get(C.q).right], [k(C), true]);
  assert.equal(res.correct, 2);
  assert.equal(res.score, score(2, 20));

  // The other connection listing this attempt gets the result pushed
  // (docs/protocol.md §2.6): same fields, no id.
  assert.equal((await c2.closed).code, 4001, 'c3 took the attempt over');
  const push =
      await lister.waitFor((m) => m.type === 'result' && m.attempt === at);
  assert.equal('id' in push, false, JSON.stringify(push));
  const { id: _id, ...noId } = res;
  assert.deepEqual(push, noId);

});

test('two starts sent back to back on one connection get the same attempt', async (t) => {
  const c = await open(t, 'ts03');
  const id1 = c.send('start', { exam: 1 });
  const id2 = c.send('start', { exam: 1 });
  const [p1, p2] = await Promise.all([c.reply(id1), c.reply(id2)]);
  checkPaper(p1, { resumed: false });
  checkPaper(p2, { attempt: p1.attempt, resumed: true });
  assert.deepEqual(p2.questions, p1.questions);
  const hi = await c.request('hello');
  assert.equal(exam1(hi).attempts_used, 1);
  assert.equal(exam1(hi).running.attempt, p1.attempt);
});

test('starts racing from two connections of one user get the same attempt', async (t) => {
  const c1 = await open(t, 'ts04');
  const c2 = await again(t, c1);
  const c3 = await again(t, c1);
  const ids = [c1.send('start', { exam: 1 }), c2.send('start', { exam: 1 }), c3.send('start', { exam: 1 })];
  const papers = await Promise.all([c1.reply(ids[0]), c2.reply(ids[1]), c3.reply(ids[2])]);
  for (const p of papers) assert.equal(p.type, 'paper', JSON.stringify(p));
  const attempt = papers[0].attempt;
  assert.deepEqual(papers.map((p) => p.attempt), [attempt, attempt, attempt]);
  assert.equal(papers.filter((p) => !p.resumed).length, 1, 'exactly one start created the attempt');
  for (const p of papers) assert.deepEqual(p.questions, papers[0].questions);
  // One connection keeps the attempt, the others are taken over (4001):
  // ask on a fresh one.
  const c4 = await again(t, c1);
  const hi = await c4.request('hello');
  assert.equal(exam1(hi).attempts_used, 1);
  if (h.hasSqlite3()) {
    const rows = h.dbQuery(srv.db, `SELECT count(*) AS n FROM attempts a JOIN users u ON u.id = a.user_id WHERE u.username = 'ts04'`);
    assert.equal(rows[0].n, 1);
  }
});

test('start naming an attempt only resumes that attempt, never starts one', async (t) => {
  const c = await open(t, 'ts05');
  const p = await c.request('start', { exam: 1 });
  checkPaper(p, { resumed: false });
  const r = await c.request('start', { exam: 1, attempt: p.attempt });
  checkPaper(r, { attempt: p.attempt, resumed: true });
  assert.deepEqual(r.questions, p.questions);

  const other = await open(t, 'ts06');
  const po = await other.request('start', { exam: 1 });
  assert.equal(po.type, 'paper');
  const expectErr = async (fields, code) => {
    const m = await c.request('start', { exam: 1, ...fields });
    assert.deepEqual([m.type, m.code], ['error', code], `${JSON.stringify(fields)} -> ${JSON.stringify(m)}`);
  };
  await expectErr({ attempt: po.attempt }, 'forbidden');
  await expectErr({ attempt: 999999 }, 'not_found');
  await expectErr({ attempt: String(p.attempt) }, 'bad_message');
  await expectErr({ attempt: 0 }, 'bad_message');
  await expectErr({ attempt: null }, 'bad_message');

  const res = await c.request('submit', { attempt: p.attempt });
  assert.equal(res.type, 'result');
  // Closed meanwhile: attempt_closed, and no second attempt is started.
  await expectErr({ attempt: p.attempt }, 'attempt_closed');
  let hi = await c.request('hello');
  assert.equal(exam1(hi).attempts_used, 1);
  assert.equal(exam1(hi).running, null);
  // Without a name, start still starts attempt 2.
  const p2 = await c.request('start', { exam: 1 });
  checkPaper(p2, { resumed: false });
  assert.notEqual(p2.attempt, p.attempt);
  // Naming the closed attempt 1 while attempt 2 runs: still not a resume.
  await expectErr({ attempt: p.attempt }, 'attempt_closed');
  hi = await c.request('hello');
  assert.equal(exam1(hi).attempts_used, 2);
  assert.equal(exam1(hi).running.attempt, p2.attempt);
});

// docs/protocol.md §3: `internal` means a storage error, "retry later".
// Naming one's own attempt that runs on another exam is a client mistake;
// the server currently answers `internal` (dispatch_attempt_absent returns
// EXAMD_EINTERNAL for a running attempt), so a client would retry forever.
test('start naming a running attempt of another exam is refused, not an internal error', async (t) => {
  const c = await open(t, 'ts07');
  const [shortId] = srv.extraExams;
  const p = await c.request('start', { exam: shortId });
  assert.equal(p.type, 'paper', JSON.stringify(p));
  const m = await c.request('start', { exam: 1, attempt: p.attempt });
  assert.equal(m.type, 'error', JSON.stringify(m));
  assert.notEqual(m.code, 'internal', `a client mistake reported as a storage error: ${JSON.stringify(m)}`);
  const hi = await c.request('hello');
  assert.equal(exam1(hi).attempts_used, 0, 'no attempt was started on exam 1');
  assert.equal(hi.exams.find((x) => x.id === shortId).running.attempt, p.attempt);
});

test('the server stops cleanly (exit 0, no sanitizer report)', async () => {
  await h.stopServerClean(srv);
});
