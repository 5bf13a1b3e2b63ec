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
import * as fx from './stats-fixture.js';

const N = 30;

let srv, api;
h.sharedServer((dir) => {
  h.prepareDb(dir);
  const db = `${dir}/examd.db`;
  h.examdCli(db, ['user', 'add', '--username', 'giangvien2', '--name', 'Giảng viên Lê Thu', '--password', 'examd-demo', '--role', 'trainer']);
  fx.candidatesAdd(db, N);
}, {}, (s) => { srv = s; api = fx.staffApi(s); });

const state = {};

test('a trainer builds a bank and publishes a fixed exam and a blueprint exam', async () => {
  Object.assign(state, await fx.examsBuild(api));
});

test('30 candidates sit both exams; eight sit the fixed one again; one leaves a third attempt open', async () => {
  state.sat = await fx.sitAll(srv, state, N, { again: 8 });
  assert.equal(state.sat.F.length, N + 8);
  assert.equal(state.sat.R.length, N);
  // attempt 2 of ts30 runs and is not counted
  const c = await h.candidate(srv, fx.logins(N)[N - 1]);
  await fx.sit(c, state.ids, state.F, N - 1, { second: true, open: true });
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

test('clean exit (under the sanitizer build: no leak, no undefined behaviour)', async () => {
  await h.stopServerClean(srv);
});
