// stats.test.js — item statistics (GET /api/staff/exams/ID/stats,
// docs/statistics.md) on real attempts: 30 scripted candidates answer two
// exams over WebSocket with planned answers, and the server's figures are
// compared with stats_ref.py, an independent Python computation fed with
// the marks this file works out itself from its plan and the options'
// weights (not from the server). First attempts and all attempts; a
// question everyone answers right is flagged too easy, one that the weak
// candidates get right and the strong ones wrong is flagged negative; a
// blueprint exam's questions are measured over the papers that drew them;
// a trainer sees only their own exams.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as h from './harness.js';

const N = 30;
const LOGINS = Array.from({ length: N }, (_, k) => `ts${String(k + 1).padStart(2, '0')}`);

let srv;
h.sharedServer((dir) => {
  h.prepareDb(dir);
  const db = `${dir}/examd.db`;
  h.examdCli(db, ['user', 'add', '--username', 'giangvien2', '--name', 'Giảng viên Lê Thu', '--password', 'examd-demo', '--role', 'trainer']);
  for (const u of LOGINS.slice(10)) h.examdCli(db, ['user', 'add', '--username', u, '--name', `Thí sinh ${u}`, '--password', 'examd-demo']);
}, {}, (s) => { srv = s; });

const cookies = {};
async function api(path, user = 'giangvien', body) {
  if (!cookies[user]) cookies[user] = (await h.login(srv, user)).cookie;
  const headers = { origin: srv.base, cookie: cookies[user] };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(srv.base + path, { method: body === undefined ? 'GET' : 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}

// The bank: eight questions, option 1 the key of every single-answer one.
// [text, topic, points, multi weights or null]
const QUESTIONS = [
  ['Thống kê câu 1: ai cũng đúng', 'A', 1, null],
  ['Thống kê câu 2: người yếu đúng, người giỏi sai', 'A', 1, null],
  ['Thống kê câu 3', 'A', 1, null],
  ['Thống kê câu 4', 'A', 1, null],
  ['Thống kê câu 5', 'B', 1, null],
  ['Thống kê câu 6', 'B', 1, null],
  ['Thống kê câu 7: nhiều đáp án', 'B', 2, [50, 50, -50, 0]],
  ['Thống kê câu 8: ba điểm', 'B', 3, null],
];
const optText = (i, k) => `Câu ${i + 1} phương án ${'ABCD'[k]}`;

// Candidate k's planned choice (bank option indexes) for question i.
function plan(i, k, second) {
  if (second) return i === 6 ? [0, 1] : [1];
  switch (i) {
    case 0: return [1];
    case 1: return k < 10 ? [1] : [0];
    case 2: return k >= 8 && k % 7 !== 3 ? [1] : [2];
    case 3: return k >= 15 ? [1] : k % 3 === 0 ? [] : [3];
    case 4: return k >= 12 || k % 5 === 0 ? [1] : [0];
    case 5: return (k * 7) % 10 >= 4 ? [1] : [2];
    case 6: return k >= 20 ? [0, 1] : k >= 10 ? [0] : k % 4 === 1 ? [2] : [0, 2];
    default: return k >= 18 ? [1] : [3];
  }
}

// The mark as a fraction, from the weights (grade.h's rules, partial).
function fraction(i, choice) {
  const w = QUESTIONS[i][3];
  if (!choice.length) return 0;
  if (!w) return choice.length === 1 && choice[0] === 1 ? 1 : 0;
  const sum = choice.reduce((s, k) => s + w[k], 0);
  return Math.min(1, Math.max(0, sum / 100));
}

const state = { ids: [], sat: { F: [], R: [] } };

test('a trainer builds a bank and publishes a fixed exam and a blueprint exam', async () => {
  const bank = await api('/api/staff/banks', 'giangvien', { name: 'thong-ke', title: 'Ngân hàng thống kê' });
  assert.equal(bank.status, 200, JSON.stringify(bank.body));
  state.bank = bank.body.id;
  for (const [i, [text, topic, points, weights]] of QUESTIONS.entries()) {
    const options = [0, 1, 2, 3].map((k) => ({ text: optText(i, k), weight: weights ? weights[k] : k === 1 ? 100 : 0 }));
    const r = await api('/api/staff/questions', 'giangvien', { bank: state.bank, topic, difficulty: 'medium', text,
      multi: !!weights, options, points, shuffle: true, explanation: '' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    state.ids.push(r.body.id);
  }
  const common = { bank: state.bank, duration_s: 3600, review: 'none', shuffle_questions: true, shuffle_options: true,
    multi_scoring: 'partial', wrong_penalty: 0 };
  const f = await api('/api/staff/exams', 'giangvien', { ...common, title: 'Thống kê: đề cố định', questions: state.ids, attempts: 2 });
  assert.equal(f.status, 200, JSON.stringify(f.body));
  const r = await api('/api/staff/exams', 'giangvien', { ...common, title: 'Thống kê: đề rút ngẫu nhiên', attempts: 1,
    random_selection: true, blueprint: [{ topic: 'A', difficulty: null, count: 2 }, { topic: 'B', difficulty: null, count: 2 }] });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  state.F = f.body.id;
  state.R = r.body.id;
});

// Sit one attempt of exam: answer the plan (some answers changed once
// first: the last one counts), submit unless open; record what was sat.
async function sit(c, exam, k, { second = false, open = false } = {}) {
  const p = await c.request('start', { exam });
  assert.equal(p.type, 'paper', JSON.stringify(p));
  let seq = p.last_seq;
  const sat = [];
  for (const pq of p.questions) {
    const i = state.ids.indexOf(pq.q);
    assert.ok(i >= 0, `question ${pq.q} is not one of the bank's`);
    const display = (bank) => bank.map((b) => pq.options.indexOf(optText(i, b))).sort();
    const choice = plan(i, k, second);
    if (k % 6 === 0 && i === 2) { // a change of mind: the first answer does not count
      const a0 = await c.request('answer', { attempt: p.attempt, q: pq.q, choice: display([0]), flag: false, seq: ++seq });
      assert.equal(a0.type, 'ack', JSON.stringify(a0));
    }
    if (choice.length || k % 2) { // blanks sent as [] by odd k, never sent by even k
      const a = await c.request('answer', { attempt: p.attempt, q: pq.q, choice: display(choice), flag: false, seq: ++seq });
      assert.equal(a.type, 'ack', JSON.stringify(a));
    }
    sat.push({ id: pq.q, i, choice: [...choice].sort(), fraction: fraction(i, choice) });
  }
  if (open) return;
  const r = await c.request('submit', { attempt: p.attempt });
  assert.equal(r.type, 'result', JSON.stringify(r));
  return { k, second, sat };
}

test('30 candidates sit both exams; eight sit the fixed one again; one leaves a third attempt open', async () => {
  const one = async (k) => {
    const c = await h.candidate(srv, LOGINS[k]);
    try {
      state.sat.F.push(await sit(c, state.F, k));
      state.sat.R.push(await sit(c, state.R, k));
      if (k < 8) state.sat.F.push(await sit(c, state.F, k, { second: true }));
    } finally {
      c.kill();
    }
  };
  for (let k = 0; k < N; k += 6) await Promise.all([0, 1, 2, 3, 4, 5].map((d) => k + d < N && one(k + d)));
  assert.equal(state.sat.F.length, N + 8);
  assert.equal(state.sat.R.length, N);
  // attempt 2 of ts30 runs and is not counted
  const c = await h.candidate(srv, LOGINS[N - 1]);
  await sit(c, state.F, N - 1, { second: true, open: true });
  c.kill();
});

// The Python figures for the attempts sat, in the API's pool order.
function reference(reply, attempts) {
  const pool = reply.questions.map((q) => q.id);
  const input = {
    items: reply.questions.map((q) => ({ points: q.points, n_options: q.options.length })),
    attempts: attempts.map((a) => a.sat.map((s) => ({ item: pool.indexOf(s.id), fraction: s.fraction, choice: s.choice }))
      .sort((x, y) => x.item - y.item)),
  };
  const script = fileURLToPath(new URL('./stats_ref.py', import.meta.url));
  const py = spawnSync('/usr/bin/python3', [script], { input: JSON.stringify(input), encoding: 'utf8' });
  assert.equal(py.status, 0, py.stderr);
  return JSON.parse(py.stdout);
}

function near(got, want, what) {
  if (want === null) return assert.equal(got, null, `${what}: ${got}, want null`);
  assert.equal(typeof got, 'number', `${what}: ${got}, want ${want}`);
  assert.ok(Math.abs(got - want) < 1e-6, `${what}: ${got}, want ${want}`);
}

function compare(reply, ref) {
  for (const k of ['mean', 'median', 'sd', 'skewness', 'kurtosis', 'cic', 'error_ratio', 'standard_error']) {
    near(reply.test[k], ref.test[k], `test ${k}`);
  }
  assert.equal(reply.test.n, ref.test.n);
  assert.deepEqual(reply.test.histogram, ref.test.histogram);
  reply.questions.forEach((q, j) => {
    const r = ref.questions[j];
    for (const k of ['facility', 'sd', 'discrimination', 'efficiency']) near(q[k], r[k], `question ${q.id} ${k}`);
    assert.equal(q.s, r.s, `question ${q.id} s`);
    assert.equal(q.blank, r.blank, `question ${q.id} blank`);
    assert.deepEqual(q.options.map((o) => o.count), r.counts, `question ${q.id} counts`);
    assert.deepEqual(q.flags, r.flags, `question ${q.id} flags`);
  });
}

test('fixed exam, first attempts: the figures equal the independent computation; easy and negative flagged', async () => {
  const r = await api(`/api/staff/exams/${state.F}/stats`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.attempts, 'first');
  assert.equal(r.body.exam.title, 'Thống kê: đề cố định');
  assert.equal(r.body.test.n, N);
  assert.equal(r.body.test.questions_per_paper, 8);
  assert.deepEqual(r.body.questions.map((q) => q.id), state.ids, 'pool order');
  const firsts = state.sat.F.filter((a) => !a.second);
  compare(r.body, reference(r.body, firsts));
  const [q0, q1] = r.body.questions;
  assert.equal(q0.facility, 100);
  assert.deepEqual(q0.flags, ['easy']);
  assert.equal(q0.discrimination, null, 'no variance: null, not NaN');
  assert.ok(q1.discrimination < 0);
  assert.ok(q1.flags.includes('negative'));
  // the edit link's ids: the question's bank and its current version
  assert.equal(q0.bank, state.bank);
  assert.equal(q0.current_id, q0.id);
  assert.deepEqual(q0.options.map((o) => o.correct), [false, true, false, false]);
  assert.equal(r.body.questions[6].multi, true);
  assert.equal(r.body.questions[7].points, 3);
  // the counts of a question as planned: option 1 by everyone
  assert.deepEqual(q0.options.map((o) => o.count), [0, N, 0, 0]);
});

test('fixed exam, all attempts: the second attempts count, the open one does not', async () => {
  const r = await api(`/api/staff/exams/${state.F}/stats?attempts=all`);
  assert.equal(r.status, 200);
  assert.equal(r.body.attempts, 'all');
  assert.equal(r.body.test.n, N + 8);
  compare(r.body, reference(r.body, state.sat.F));
  const first = await api(`/api/staff/exams/${state.F}/stats?attempts=first`);
  assert.notEqual(first.body.test.mean, r.body.test.mean);
});

test('blueprint exam: each question over the papers that drew it', async () => {
  const r = await api(`/api/staff/exams/${state.R}/stats`);
  assert.equal(r.status, 200);
  assert.equal(r.body.test.questions_per_paper, 4);
  const ref = reference(r.body, state.sat.R);
  compare(r.body, ref);
  const drawn = r.body.questions.map((q) => q.s);
  assert.equal(drawn.reduce((a, b) => a + b, 0), N * 4);
  assert.ok(drawn.some((s) => s < N), 'some question missed some papers');
  assert.deepEqual(r.body.questions.map((q) => q.cell), [1, 1, 1, 1, 2, 2, 2, 2]);
});

test('editing a flagged question makes a new version; the link then names it', async () => {
  const q0 = state.ids[0];
  const one = await api(`/api/staff/questions/${q0}`);
  const q = one.body.question;
  const saved = await api(`/api/staff/questions/${q0}`, 'giangvien', { topic: q.topic, difficulty: q.difficulty,
    text: q.text + ' (sửa)', multi: q.multi, options: q.options.map((o) => ({ text: o.text, weight: o.weight })),
    points: q.points, shuffle: q.shuffle, explanation: q.explanation });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  assert.equal(saved.body.versioned, true);
  const r = await api(`/api/staff/exams/${state.F}/stats`);
  assert.equal(r.body.questions[0].id, q0, 'the figures stay with the version sat');
  assert.equal(r.body.questions[0].current_id, saved.body.id);
  assert.equal(r.body.questions[0].family, q0);
  assert.deepEqual(r.body.questions[0].flags, ['easy']);
});

test('owner scoping and bad requests', async () => {
  const other = await api(`/api/staff/exams/${state.F}/stats`, 'giangvien2');
  assert.equal(other.status, 403);
  assert.equal(other.body.code, 'forbidden');
  assert.equal(other.body.field, 'exam');
  const demo = await api('/api/staff/exams/1/stats'); // published by the CLI: nobody's
  assert.equal(demo.status, 403);
  const org = await api(`/api/staff/exams/${state.F}/stats`, 'tochuc');
  assert.equal(org.status, 200);
  assert.equal(org.body.test.n, N);
  const none = await api('/api/staff/exams/999/stats', 'tochuc');
  assert.equal(none.status, 404);
  assert.equal(none.body.field, 'exam');
  const bad = await api(`/api/staff/exams/${state.F}/stats?attempts=best`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'attempts');
  assert.match(bad.body.en, /first or all/);
  const cand = await api(`/api/staff/exams/${state.F}/stats`, 'ts01');
  assert.equal(cand.status, 403);
  const empty = await api('/api/staff/exams/1/stats', 'tochuc'); // the demo exam: no attempt yet
  assert.equal(empty.status, 200);
  assert.equal(empty.body.test.n, 0);
  assert.equal(empty.body.test.mean, null);
  assert.ok(empty.body.questions.every((q) => q.s === 0 && q.facility === null && q.flags.length === 0));
});
