// keyleak.test.js — nothing a candidate receives before submitting tells
// which option is correct; papers are shuffled per candidate; the result
// shows exactly what the exam's review policy allows (docs/protocol.md
// §2.2 "Nothing in the paper says which option is correct", §2.4).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as h from './harness.js';

// Property names that would carry (or hint at) the key.
const FORBIDDEN = new Set(['key', 'correct', 'right', 'explanation', 'answer', 'fraction', 'weight']);

let srv;
let ex; // { all: 74 shuffled, plain: 74 not shuffled (review none), answersOnly: review answers }

before(async () => {
  const dir = h.tempDir();
  try {
    const [all, plain, answersOnly] = h.prepareDb(dir, {
      exams: [
        { title: 'Toàn bộ ngân hàng', questions: 74 },
        { title: 'Không xáo trộn', questions: 74, shuffle: false, review: 'none' },
        { title: 'Chỉ xem lựa chọn', questions: 5, review: 'answers' },
      ],
    });
    ex = { all, plain, answersOnly };
    srv = await h.startServer({ dir, demo: false, args: ['--time-push-s', '1'] });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
});

after(async () => {
  if (!srv) return;
  await h.stopServer(srv);
  h.cleanup(srv);
});

// Every forbidden property name anywhere in v, as paths.
function leaks(v, path = '$', out = []) {
  if (Array.isArray(v)) v.forEach((x, i) => leaks(x, `${path}[${i}]`, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (FORBIDDEN.has(k)) out.push(`${path}.${k}`);
      leaks(x, `${path}.${k}`, out);
    }
  }
  return out;
}

// Check one candidate-facing text (a frame or an HTTP body).
function checkFrame(text, explanations) {
  const m = JSON.parse(text);
  assert.deepEqual(leaks(m), [], `key material in: ${text.slice(0, 300)}`);
  for (const e of explanations) assert.equal(text.includes(e), false, `a bank explanation leaked in: ${text.slice(0, 200)}`);
  if (m.type === 'paper') {
    for (const q of m.questions) assert.deepEqual(Object.keys(q).sort(), ['multi', 'options', 'q', 'text'], JSON.stringify(q));
    for (const a of m.answers) assert.deepEqual(Object.keys(a).sort(), ['choice', 'flag', 'q'], JSON.stringify(a));
  }
  if (m.type === 'ack') assert.deepEqual(Object.keys(m).sort(), ['attempt', 'id', 'seq', 'type']);
  if (m.type === 'time') assert.deepEqual(Object.keys(m).sort(), ['attempt', 'left_ms', 'type']);
  if (m.type === 'taken_over')
      assert.deepEqual(Object.keys(m).sort(), [ 'attempt', 'type' ]);
  if (m.type === 'error') for (const k of Object.keys(m)) assert.ok(['type', 'id', 'code', 'message', 'field'].includes(k), text);
  return m;
}

test('no frame before submit carries the key; the full-review result does', async (t) => {
  const explanations = h.loadBank().questions.map((q) => q.explanation).filter((e) => e && e.length > 10);
  const seen = []; // every candidate-facing text, in order
  const l = await h.login(srv, 'ts01');
  seen.push(JSON.stringify(l.body));
  const c = await h.connect(srv, l.cookie);
  t.after(() => c.kill());
  await c.request('hello');
  const p = await c.request('start', { exam: 1 });
  assert.equal(p.type, 'paper');
  await c.waitFor((m) => m.type === 'time' && m.attempt === p.attempt);
  // Answers: half right, half wrong, one flagged; then some errors.
  let seq = 0;
  for (const [i, q] of p.questions.entries()) {
    const choice = i % 2 ? h.keyOf(q) : [h.wrongOf(q)];
    const a = await c.request('answer', { attempt: p.attempt, q: q.q, choice, flag: i === 3, seq: ++seq });
    assert.equal(a.type, 'ack');
  }
  const q0 = p.questions[0];
  await c.request('answer', { attempt: p.attempt, q: q0.q, choice: [q0.options.length], seq: ++seq });
  await c.request('answer', { attempt: p.attempt, q: 999999, choice: [0], seq: ++seq });
  await c.request('answer', { attempt: p.attempt, q: q0.q, choice: [0], seq: 1 }); // old seq: acked again
  await c.request('result', { attempt: p.attempt });
  c.sendRaw('not json');
  await c.waitFor((m) => m.type === 'error' && m.id === null);
  // A second device: hello, resume (with answers: it takes the attempt
  // over, so the first gets taken_over and closes), a time push.
  const c2 = await h.connect(srv, l.cookie);
  t.after(() => c2.kill());
  await c2.request('hello');
  const r = await c2.request('start', { exam: 1 });
  assert.equal(r.resumed, true);
  assert.equal(r.answers.length, 20);
  await c2.waitFor((m) => m.type === 'time');
  await c.waitFor((m) => m.type === 'taken_over');
  const s = await fetch(`${srv.base}/api/session`, { headers: { cookie: l.cookie } });
  seen.push(await s.text());
  seen.push(...c.frames, ...c2.frames);

  const types = new Set();
  for (const text of seen) types.add(checkFrame(text, explanations).type);
  for (const ty of ['hello', 'paper', 'ack', 'error', 'time']) assert.ok(types.has(ty), `no ${ty} frame was checked`);

  // Positive control: the full-review result names the key, and the
  // checker sees it.
  const res = await c2.request('submit', {attempt : p.attempt});
  assert.equal(res.type, 'result');
  assert.equal(res.correct, 10);
  assert.ok(leaks(res).some((x) => x.endsWith('.key')), 'the checker finds the key in a full review');
  for (const rv of res.review) {
    const pq = p.questions.find((q) => q.q === rv.q);
    assert.deepEqual(rv.key, h.keyOf(pq));
  }
});

// The position of each single-answer question's correct option.
function keyPositions(paper) {
  const m = new Map();
  for (const q of paper.questions) if (!q.multi) m.set(h.bankQuestion(q).text, h.keyOf(q)[0]);
  return m;
}

test('each candidate gets another question order and option order; --no-shuffle keeps the bank order', async (t) => {
  const bank = h.loadBank().questions;
  const papers = [];
  for (const user of ['ts02', 'ts03']) {
    const c = await h.candidate(srv, user);
    t.after(() => c.kill());
    const p = await c.request('start', { exam: ex.all });
    assert.equal(p.type, 'paper', JSON.stringify(p));
    assert.equal(p.questions.length, bank.length);
    papers.push(p);
  }
  const [A, B] = papers;
  const texts = (p) => p.questions.map((q) => q.text);
  assert.deepEqual([...texts(A)].sort(), bank.map((q) => q.text).sort(), 'the paper holds the whole bank');
  assert.notDeepEqual(texts(A), bank.map((q) => q.text), 'questions are shuffled');
  assert.notDeepEqual(texts(A), texts(B), 'two candidates get different question orders');

  const reordered = (p) => p.questions.filter((q) => JSON.stringify(q.options) !== JSON.stringify(h.bankQuestion(q).options)).length;
  t.diagnostic(`questions with options out of bank order: ${reordered(A)} and ${reordered(B)} of ${bank.length}`);
  // Each question's options stay in bank order with probability 1/24:
  // expect ~71 of 74 reordered; fewer than half means no shuffling.
  assert.ok(reordered(A) >= 37 && reordered(B) >= 37, 'options are shuffled');

  const kA = keyPositions(A);
  const kB = keyPositions(B);
  let moved = 0; // key not where the bank has it
  let differs = 0; // key at another place for the two candidates
  for (const q of bank) {
    if (!kA.has(q.text)) continue;
    if (kA.get(q.text) !== q.correct[0]) moved++;
    if (kA.get(q.text) !== kB.get(q.text)) differs++;
  }
  t.diagnostic(`single-answer keys moved from bank position: ${moved}; at different positions for the two: ${differs} of ${kA.size}`);
  // Expected ~3/4 of 66 each; 10 is far below any plausible shuffle.
  assert.ok(moved >= 10, 'the correct option keeps its bank position');
  assert.ok(differs >= 10, 'the correct option is at the same position for both candidates');
  assert.ok(new Set(kA.values()).size >= 3, 'the correct option is always at the same position');

  // Control: an exam created with --no-shuffle shows the bank as it is.
  const c = await h.candidate(srv, 'ts04');
  t.after(() => c.kill());
  const P = await c.request('start', { exam: ex.plain });
  assert.deepEqual(texts(P), bank.map((q) => q.text));
  assert.deepEqual(P.questions.map((q) => q.options), bank.map((q) => q.options));
  assert.equal(reordered(P), 0);
});

test('review policy none gives score only; answers gives choices and right, no key', async (t) => {
  const c = await h.candidate(srv, 'ts04');
  t.after(() => c.kill());
  const P = await c.request('start', { exam: ex.plain }); // resumes from the last test
  const q = P.questions[0];
  await c.request('answer', { attempt: P.attempt, q: q.q, choice: h.keyOf(q), seq: 1 });
  const none = await c.request('submit', { attempt: P.attempt });
  assert.equal(none.type, 'result', JSON.stringify(none));
  assert.equal(none.review, null);
  assert.equal(none.correct, 1);
  assert.deepEqual(leaks(none), ['$.correct'], 'review none: only the count');
  const again = await c.request('result', { attempt: P.attempt });
  assert.equal(again.review, null);

  const A = await c.request('start', { exam: ex.answersOnly });
  assert.equal(A.type, 'paper', JSON.stringify(A));
  const qa = A.questions[0];
  const qb = A.questions[1];
  await c.request('answer', { attempt: A.attempt, q: qa.q, choice: h.keyOf(qa), seq: 1 });
  await c.request('answer', { attempt: A.attempt, q: qb.q, choice: [h.wrongOf(qb)], seq: 2 });
  const ans = await c.request('submit', { attempt: A.attempt });
  assert.equal(ans.review.length, 5);
  for (const rv of ans.review) {
    assert.equal('key' in rv, false, `review answers must not show the key: ${JSON.stringify(rv)}`);
    assert.equal(typeof rv.right, 'boolean');
  }
  const rv = new Map(ans.review.map((x) => [x.q, x]));
  assert.deepEqual([rv.get(qa.q).choice, rv.get(qa.q).right], [h.keyOf(qa), true]);
  assert.deepEqual([rv.get(qb.q).choice, rv.get(qb.q).right], [[h.wrongOf(qb)], false]);
  const fetched = await c.request('result', { attempt: A.attempt });
  assert.ok(fetched.review.every((x) => !('key' in x)));
});

test('the server stops cleanly (exit 0, no sanitizer report)', async () => {
  await h.stopServerClean(srv);
});
