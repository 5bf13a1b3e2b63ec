// ownership.test.js — who reaches an exam and its attempts through the
// /api/staff/exams/ID/… and /api/staff/attempts/ID/… routes
// (docs/security.md "Authorisation", server/api_access.c): a contest round
// only its contest's owner and admins (another organiser, or a trainer,
// gets 403 on every route, and nothing changes); a trainer's exam its
// publisher, organisers and admins (another trainer gets 403). The exam
// list (GET /api/staff/exams) shows each exactly what these routes allow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as h from './harness.js';

let srv;
h.sharedServer((dir) => {
  h.prepareDb(dir);
  const db = `${dir}/examd.db`;
  for (const [u, role] of [['tochuc2', 'organiser'], ['giangvien2', 'trainer'], ['quantri', 'admin']]) {
    h.examdCli(db, ['user', 'add', '--username', u, '--name', `Người dùng ${u}`, '--password', 'examd-demo', '--role', role]);
  }
}, {}, (s) => { srv = s; });

const cookies = {};
// A request as user: { status, body } (body parsed when JSON).
async function api(method, path, body, user) {
  if (!cookies[user]) {
    const l = await h.login(srv, user);
    assert.equal(l.status, 200, `${user}: ${JSON.stringify(l.body)}`);
    cookies[user] = l.cookie;
  }
  const headers = { origin: srv.base, cookie: cookies[user] };
  if (method === 'POST') headers['content-type'] = 'application/json';
  const r = await fetch(srv.base + path, { method, headers, body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined });
  const text = await r.text();
  let parsed = text;
  try { parsed = JSON.parse(text); } catch { /* a CSV file */ }
  return { status: r.status, body: parsed };
}

// Sit and submit exam on client c: the attempt id.
async function sit(c, exam) {
  const paper = await c.request('start', { exam });
  assert.equal(paper.type, 'paper', JSON.stringify(paper));
  const a = await c.request('answer', { attempt: paper.attempt, q: paper.questions[0].q, choice: h.keyOf(paper.questions[0]), seq: 1 });
  assert.equal(a.type, 'ack', JSON.stringify(a));
  const r = await c.request('submit', { attempt: paper.attempt });
  assert.equal(r.type, 'result', JSON.stringify(r));
  return paper.attempt;
}

const st = {};
const blueprint = [{ topic: null, difficulty: null, count: 3 }];

test('set-up: an organiser\'s contest round and a trainer\'s exam, each with a submitted attempt', async (t) => {
  const k = await api('POST', '/api/staff/contests', { title: 'Hội thi tìm hiểu Hiến pháp' }, 'tochuc');
  assert.equal(k.status, 200, JSON.stringify(k.body));
  const r = await api('POST', `/api/staff/contests/${k.body.id}/rounds`,
    { title: 'Vòng 1', bank: 1, blueprint, duration_s: 600, attempts: 2 }, 'tochuc');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  st.round = r.body.id;
  const codes = await api('POST', `/api/staff/exams/${st.round}/codes`, { count: 1 }, 'tochuc');
  assert.equal(codes.status, 200, JSON.stringify(codes.body));
  const j = await fetch(`${srv.base}/api/join`, {
    method: 'POST', headers: { 'content-type': 'application/json', origin: srv.base },
    body: JSON.stringify({ code: codes.body.codes[0].code, full_name: 'Nguyễn Thị Lan', birth_date: '02/09/1990' }),
  });
  assert.equal(j.status, 200, await j.text());
  const cookie = `examd_session=${(j.headers.get('set-cookie') || '').match(/examd_session=([0-9a-f]{64})/)[1]}`;
  const p = await h.connect(srv, cookie);
  t.after(() => p.kill());
  st.roundAttempt = await sit(p, st.round);

  const e = await api('POST', '/api/staff/exams', { title: 'Kiểm tra lớp bồi dưỡng', bank: 1, blueprint, duration_s: 600, attempts: 2 }, 'giangvien');
  assert.equal(e.status, 200, JSON.stringify(e.body));
  st.exam = e.body.id;
  const c = await h.openFor(t, srv, 'ts01');
  st.examAttempt = await sit(c, st.exam);
});

// Every exam and attempt route, as [method, path, body, allowed-status]:
// the status the owner gets (a POST body that is refused after the
// ownership check, so that nothing changes even when it passes).
function routes(exam, attempt, { codes = true } = {}) {
  const v = [
    ['GET', `/api/staff/exams/${exam}/results`, undefined, 200],
    ['GET', `/api/staff/exams/${exam}/stats`, undefined, 200],
    ['GET', `/api/staff/exams/${exam}/export/roster?format=csv`, undefined, 200],
    ['GET', `/api/staff/exams/${exam}/export/results?format=csv`, undefined, 200],
    ['GET', `/api/staff/exams/${exam}/export/stats?format=json`, undefined, 200],
    ['GET', `/api/staff/exams/${exam}/export/results?format=xlsx&sign=1`, undefined, 200],
    ['POST', `/api/staff/exams/${exam}/grading`, {}, 400],
    ['GET', `/api/staff/attempts/${attempt}/review`, undefined, 200],
    ['POST', `/api/staff/attempts/${attempt}/reopen`, { minutes: 0, reason: 'Mất điện giữa giờ' }, 400],
  ];
  if (codes) {
    v.push(['GET', `/api/staff/exams/${exam}/codes`, undefined, 200],
      ['POST', `/api/staff/exams/${exam}/codes`, {}, 400]);
  }
  return v;
}

async function expectAll(list, user, allowed) {
  for (const [m, p, b, ok] of list) {
    const r = await api(m, p, b, user);
    if (allowed) {
      assert.equal(r.status, ok, `${user} ${m} ${p}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    } else {
      assert.equal(r.status, 403, `${user} ${m} ${p}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
      assert.equal(r.body.code, 'forbidden');
    }
  }
}

test("another organiser reaches nothing of a contest round through the exam and attempt routes; a trainer neither; its owner and admins do", async () => {
  const list = routes(st.round, st.roundAttempt);
  await expectAll(list, 'tochuc2', false);
  const r = await api('GET', `/api/staff/exams/${st.round}/results`, undefined, 'tochuc2');
  assert.equal(r.body.field, 'exam');
  assert.ok(!JSON.stringify(r.body).includes('1990'), 'no date of birth in the refusal');
  // writes that would have changed something are refused before they run
  for (const [p, b] of [[`/api/staff/exams/${st.round}/grading`, { grading: { pass: 9 } }],
    [`/api/staff/exams/${st.round}/codes`, { count: 5 }],
    [`/api/staff/exams/${st.round}/codes/revoke`, {}],
    [`/api/staff/attempts/${st.roundAttempt}/reopen`, { reason: 'Mở lại giúp thí sinh' }]]) {
    for (const u of ['tochuc2', 'giangvien']) {
      const x = await api('POST', p, b, u);
      assert.equal(x.status, 403, `${u} POST ${p}: ${JSON.stringify(x.body)}`);
    }
  }
  // a trainer: the route table refuses the codes, the handlers the rest
  await expectAll(routes(st.round, st.roundAttempt, { codes: false }), 'giangvien', false);
  // the owner and an admin
  await expectAll(list, 'tochuc', true);
  await expectAll(list, 'quantri', true);
  // nothing changed: the rules, the codes, the attempt
  const mine = await api('GET', `/api/staff/exams/${st.round}/results`, undefined, 'tochuc');
  assert.equal(mine.body.grading.pass, 5);
  const codes = await api('GET', `/api/staff/exams/${st.round}/codes`, undefined, 'tochuc');
  assert.deepEqual([codes.body.codes.created, codes.body.codes.revoked], [1, 0]);
  const review = await api('GET', `/api/staff/attempts/${st.roundAttempt}/review`, undefined, 'tochuc');
  assert.equal(review.body.attempt.state, 'submitted');
  // the exam list shows the round to its owner and admins only
  const ids = async (u) => (await api('GET', '/api/staff/exams', undefined, u)).body.exams.map((e) => e.id);
  assert.ok(!(await ids('tochuc2')).includes(st.round), 'another organiser lists the round');
  assert.ok(!(await ids('giangvien')).includes(st.round), 'a trainer lists the round');
  assert.ok((await ids('tochuc')).includes(st.round));
  assert.ok((await ids('quantri')).includes(st.round));
  // the owner may revoke
  assert.equal((await api('POST', `/api/staff/exams/${st.round}/codes/revoke`, {}, 'tochuc')).status, 200);
});

test("another trainer reaches nothing of a trainer's exam; the trainer, organisers and admins do", async () => {
  const list = routes(st.exam, st.examAttempt, { codes: false });
  await expectAll(list, 'giangvien2', false);
  const g = await api('POST', `/api/staff/exams/${st.exam}/grading`, { grading: { pass: 9 } }, 'giangvien2');
  assert.equal(g.status, 403);
  await expectAll(list, 'giangvien', true);
  await expectAll(routes(st.exam, st.examAttempt), 'tochuc', true);
  await expectAll(routes(st.exam, st.examAttempt), 'quantri', true);
  const mine = await api('GET', `/api/staff/exams/${st.exam}/results`, undefined, 'giangvien');
  assert.equal(mine.body.grading.pass, 5);
  const ids = async (u) => (await api('GET', '/api/staff/exams', undefined, u)).body.exams.map((e) => e.id);
  assert.ok(!(await ids('giangvien2')).includes(st.exam), 'another trainer lists the exam');
  for (const u of ['giangvien', 'tochuc', 'tochuc2', 'quantri']) assert.ok((await ids(u)).includes(st.exam), u);
  // no such exam or attempt: 404, whoever asks
  for (const u of ['tochuc2', 'giangvien2']) {
    assert.equal((await api('GET', '/api/staff/exams/9999/results', undefined, u)).status, 404);
    assert.equal((await api('GET', '/api/staff/attempts/9999/review', undefined, u)).status, 404);
  }
});
