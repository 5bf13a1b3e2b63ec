// results.test.js — scores (docs/scores.md): grading rules at publishing
// and later, the class table from scripted candidates with known answers
// (rounding, bands, the counted attempt, attempts, people who never
// started), re-opening with a reason (the candidate resumes on the
// WebSocket and submits again; audited), the per-candidate review (their
// order, the key, every change with server times, disconnections), and
// rule 5 for all of it (another trainer gets 403).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as h from './harness.js';

let srv;
h.sharedServer((dir) => {
  h.prepareDb(dir);
  h.examdCli(`${dir}/examd.db`, ['user', 'add', '--username', 'giangvien2', '--name', 'Giảng viên Hai', '--password', 'examd-demo', '--role', 'trainer']);
}, {}, (s) => { srv = s; });

// A staff request as opts.user (default the trainer giangvien).
const api = h.staffApi(() => srv);

// Re-check a condition the server reaches on its own (a batch of
// connection events is written within a second) until it holds.
async function until(what, fn, timeoutMs = 5000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

const ROSTER = 'Họ và tên;Ngày sinh;Đơn vị\n'
  + 'Lê Văn Cường;03/03/1993;\n'
  + 'Nguyễn Văn An;01/01/1991;\n'
  + 'Phạm Thị Dung;04/04/1994;\n'
  + 'Trần Thị Bình;02/02/1992;\n';

const state = {};

const spec = (extra = {}) => ({
  title: 'Kiểm tra cuối khóa lý luận chính trị', bank: 1, class: state.classA, duration_s: 900,
  attempts: 3, review: 'none', blueprint: [{ topic: null, difficulty: null, count: 8 }], ...extra,
});

test('setup: a class of four and its members\' passwords', async () => {
  const cls = await api('POST', '/api/staff/classes', { name: 'Lớp nhận thức về Đảng K12' });
  assert.equal(cls.status, 200, JSON.stringify(cls.body));
  state.classA = cls.body.id;
  state.classB = (await api('POST', '/api/staff/classes', { name: 'Lớp khác' }, { user: 'giangvien2' })).body.id;
  const r = await api('POST', `/api/staff/classes/${state.classA}/roster?dry_run=0`, undefined, { raw: ROSTER });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  state.pw = Object.fromEntries(r.body.members.map((m) => [m.login, m.password]));
  state.ids = Object.fromEntries(r.body.members.map((m) => [m.login, m.id]));
  assert.deepEqual(Object.keys(state.pw).sort(), ['levancuong', 'nguyenvanan', 'phamthidung', 'tranthibinh']);
});

test('publishing with grading rules: bad rules are refused by field, nothing published; good ones stored', async () => {
  const before = h.dbQuery(srv.db, 'SELECT count(*) AS n FROM exams')[0].n;
  const cases = [
    [{ pass: 11 }, 'grading.pass'],
    [{ rounding: 0.3 }, 'grading.rounding'],
    [{ bands: [{ name: 'Đạt', min: 5 }, { name: 'Giỏi', min: 8 }, { name: 'X', min: 0 }] }, 'grading.bands[1].min'],
    [{ bands: [{ name: 'Đạt', min: 5 }] }, 'grading.bands[0].min'],
    [{ bands: [{ min: 0 }] }, 'grading.bands[0].name'],
    ['0.25', 'grading'],
  ];
  for (const [grading, field] of cases) {
    const r = await api('POST', '/api/staff/exams', spec({ grading }));
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.field, field, JSON.stringify(r.body));
    assert.ok(r.body.vi && r.body.en, 'both languages');
  }
  assert.equal(h.dbQuery(srv.db, 'SELECT count(*) AS n FROM exams')[0].n, before);
  const pub = await api('POST', '/api/staff/exams', spec({ grading: { rounding: 0.25 } }));
  assert.equal(pub.status, 200, JSON.stringify(pub.body));
  state.exam = pub.body.id;
  const g = JSON.parse(h.dbQuery(srv.db, `SELECT grading FROM exams WHERE id=${state.exam}`)[0].grading);
  assert.equal(g.rounding, 0.25);
  assert.equal(g.pass, 5);
  assert.deepEqual(g.bands.map((b) => [b.name, b.min]),
    [['Xuất sắc', 9], ['Giỏi', 8], ['Khá', 6.5], ['Trung bình', 5], ['Không đạt', 0]]);
});

// Sit the exam as login: `right` questions right, the rest wrong; returns
// { attempt, paper, sent } (sent: [{q, choice}] in order).
async function sit(t, login, right, { submit = true } = {}) {
  const c = await h.candidate(srv, login, state.pw[login]);
  t.after(() => c.kill());
  const paper = await c.request('start', { exam: state.exam });
  assert.equal(paper.type, 'paper', JSON.stringify(paper));
  const sent = [];
  let seq = paper.last_seq;
  // first a wrong answer everywhere, then the right ones: a history
  for (const [i, q] of paper.questions.entries()) {
    const choice = [h.wrongOf(q)];
    sent.push({ q: q.q, choice });
    const a = await c.request('answer', { attempt: paper.attempt, q: q.q, choice, seq: ++seq });
    assert.equal(a.type, 'ack', JSON.stringify(a));
    if (i < right) {
      const key = h.keyOf(q);
      sent.push({ q: q.q, choice: key });
      const b = await c.request('answer', { attempt: paper.attempt, q: q.q, choice: key, seq: ++seq, flag: i === 0 });
      assert.equal(b.type, 'ack', JSON.stringify(b));
    }
  }
  let result = null;
  if (submit) {
    result = await c.request('submit', { attempt: paper.attempt });
    assert.equal(result.type, 'result', JSON.stringify(result));
    assert.equal(result.score, right * 10 / 8);
  }
  return { attempt: paper.attempt, paper, sent, result, c };
}

const rowOf = (body, login) => body.rows.find((r) => r.login === login);

test('the class table: scores, bands, the counted attempt (best, ties to the earliest), people who never started', async (t) => {
  const an1 = await sit(t, 'nguyenvanan', 5); // 6.25
  const an2 = await sit(t, 'nguyenvanan', 7); // 8.75
  await sit(t, 'nguyenvanan', 7); // 8.75 again: does not replace the second
  state.an2 = an2;
  state.an1 = an1;
  await sit(t, 'tranthibinh', 4); // 5.00
  state.cuong = await sit(t, 'levancuong', 3); // 3.75
  const r = await api('GET', `/api/staff/exams/${state.exam}/results`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const b = r.body;
  assert.equal(b.exam.id, state.exam);
  // order: by given name (An, Bình, Cường, Dung)
  assert.deepEqual(b.rows.map((x) => [x.order, x.login]),
    [[1, 'nguyenvanan'], [2, 'tranthibinh'], [3, 'levancuong'], [4, 'phamthidung']]);
  const an = rowOf(b, 'nguyenvanan');
  assert.equal(an.attempts, 3);
  assert.equal(an.attempt_id, an2.attempt);
  assert.equal(an.attempt_n, 2);
  assert.equal(an.score, 8.75);
  assert.equal(an.rounded, 8.75);
  assert.equal(an.percent, 87.5);
  assert.equal(an.points, 7);
  assert.equal(an.points_max, 8);
  assert.equal(an.classification, 'Giỏi');
  assert.equal(an.classification_en, 'Very good');
  assert.equal(an.passed, true);
  assert.equal(an.name, 'Nguyễn Văn An');
  assert.equal(an.birth_date, '1991-01-01');
  assert.ok(an.taken_ms >= 0 && an.taken_ms === an.submitted_ms - an.started_ms);
  const binh = rowOf(b, 'tranthibinh');
  assert.deepEqual([binh.score, binh.classification, binh.passed], [5, 'Trung bình', true]);
  const cuong = rowOf(b, 'levancuong');
  assert.deepEqual([cuong.score, cuong.classification, cuong.passed], [3.75, 'Không đạt', false]);
  const dung = rowOf(b, 'phamthidung');
  assert.deepEqual([dung.attempts, dung.counted, dung.score], [0, false, undefined]);
  assert.deepEqual([b.totals.people, b.totals.counted, b.totals.passed, b.totals.average], [4, 3, 2, 5.83]);
  assert.deepEqual(b.totals.bands.map((x) => x.count), [0, 1, 0, 1, 1]);
  // the same from the organiser; the class filter gives the same people
  const org = await api('GET', `/api/staff/exams/${state.exam}/results`, undefined, { user: 'tochuc' });
  assert.equal(org.status, 200);
  assert.deepEqual(org.body.rows.map((x) => x.login), b.rows.map((x) => x.login));
  const f = await api('GET', `/api/staff/exams/${state.exam}/results?class=${state.classA}`);
  assert.deepEqual(f.body.rows.map((x) => x.score), b.rows.map((x) => x.score));
});

test('rule 5: another trainer gets 403 for the table, the rules, a re-opening and a review; no such exam 404', async () => {
  const other = { user: 'giangvien2' };
  const t1 = await api('GET', `/api/staff/exams/${state.exam}/results`, undefined, other);
  assert.equal(t1.status, 403);
  assert.equal(t1.body.field, 'exam');
  assert.equal((await api('POST', `/api/staff/exams/${state.exam}/grading`, { grading: null }, other)).status, 403);
  assert.equal((await api('POST', `/api/staff/attempts/${state.cuong.attempt}/reopen`, { reason: 'mất điện giữa giờ' }, other)).status, 403);
  assert.equal((await api('GET', `/api/staff/attempts/${state.cuong.attempt}/review`, undefined, other)).status, 403);
  // the owner filtering by another trainer's class
  const f = await api('GET', `/api/staff/exams/${state.exam}/results?class=${state.classB}`);
  assert.equal(f.status, 403);
  assert.equal(f.body.field, 'class');
  assert.equal((await api('GET', `/api/staff/exams/${state.exam}/results?class=abc`)).body.field, 'class');
  assert.equal((await api('GET', '/api/staff/exams/99999/results')).status, 404);
  assert.equal((await api('GET', '/api/staff/attempts/99999/review')).status, 404);
  // a candidate is not staff
  assert.equal((await api('GET', `/api/staff/exams/${state.exam}/results`, undefined, { user: 'ts01' })).status, 403);
});

test('changing the rules re-classifies; scores stay; the change is audited', async () => {
  const bad = await api('POST', `/api/staff/exams/${state.exam}/grading`, { grading: { pass: 'năm' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'grading.pass');
  assert.equal((await api('POST', `/api/staff/exams/${state.exam}/grading`, {})).body.field, 'grading');
  const r = await api('POST', `/api/staff/exams/${state.exam}/grading`, { grading: { rounding: 0.5, pass: 4 } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.grading.rounding, 0.5);
  const b = (await api('GET', `/api/staff/exams/${state.exam}/results`)).body;
  const an = rowOf(b, 'nguyenvanan');
  assert.deepEqual([an.score, an.rounded, an.classification], [8.75, 9, 'Xuất sắc']); // half up
  const cuong = rowOf(b, 'levancuong');
  assert.deepEqual([cuong.score, cuong.rounded, cuong.passed, cuong.classification], [3.75, 4, true, 'Không đạt']);
  assert.deepEqual([b.totals.passed, b.totals.average], [3, 6]);
  const stored = h.dbQuery(srv.db, `SELECT score_centi FROM attempts WHERE id=${state.an2.attempt}`)[0];
  assert.equal(stored.score_centi, 875);
  const audit = h.dbQuery(srv.db, "SELECT detail FROM audit WHERE action='exam.grading'");
  assert.equal(audit.length, 1);
  assert.equal(JSON.parse(JSON.parse(audit[0].detail).grading).rounding, 0.5);
  // back to the defaults (null)
  const def = await api('POST', `/api/staff/exams/${state.exam}/grading`, { grading: null });
  assert.equal(def.body.grading.pass, 5);
  assert.equal(h.dbQuery(srv.db, `SELECT grading FROM exams WHERE id=${state.exam}`)[0].grading, '');
});

test('re-opening is refused without a reason, for a running attempt, and when the window has closed', async (t) => {
  const id = state.cuong.attempt;
  const short = await api('POST', `/api/staff/attempts/${id}/reopen`, { reason: 'abc ' });
  assert.equal(short.status, 400);
  assert.equal(short.body.field, 'reason');
  assert.equal((await api('POST', `/api/staff/attempts/${id}/reopen`, {})).body.field, 'reason');
  const mins = await api('POST', `/api/staff/attempts/${id}/reopen`, { reason: 'mất điện', minutes: 0 });
  assert.equal(mins.body.field, 'minutes');
  assert.equal((await api('POST', '/api/staff/attempts/99999/reopen', { reason: 'mất điện' })).status, 404);
  // Bình is sitting a second attempt: her first cannot be re-opened now
  const binh = await sit(t, 'tranthibinh', 0, { submit: false });
  const first = h.dbQuery(srv.db, `SELECT id FROM attempts WHERE user_id=${state.ids.tranthibinh} AND n=1`)[0].id;
  const busy = await api('POST', `/api/staff/attempts/${first}/reopen`, { reason: 'mất điện giữa giờ' });
  assert.equal(busy.status, 409);
  assert.equal(busy.body.code, 'attempt_running');
  const running = await api('POST', `/api/staff/attempts/${binh.attempt}/reopen`, { reason: 'mất điện giữa giờ' });
  assert.equal(running.status, 409);
  await binh.c.request('submit', { attempt: binh.attempt });
  // the window closed (an organiser's change): said so
  h.dbExec(srv.db, `UPDATE exams SET window_closes_ms=1000 WHERE id=${state.exam}`);
  const closed = await api('POST', `/api/staff/attempts/${id}/reopen`, { reason: 'mất điện giữa giờ' });
  h.dbExec(srv.db, `UPDATE exams SET window_closes_ms=NULL WHERE id=${state.exam}`);
  assert.equal(closed.status, 409);
  assert.equal(closed.body.code, 'exam_closed');
  assert.match(closed.body.en, /window closed/);
  assert.equal(h.dbQuery(srv.db, `SELECT state FROM attempts WHERE id=${id}`)[0].state, 'submitted');
});

test('re-opening is refused when the exam\'s review showed the answers with the result; nothing changes', async (t) => {
  for (const review of ['answers', 'full']) {
    const pub = await api('POST', '/api/staff/exams', spec({ review, title: `Ôn tập (${review})` }));
    assert.equal(pub.status, 200, JSON.stringify(pub.body));
    const c = await h.candidate(srv, 'phamthidung', state.pw.phamthidung);
    t.after(() => c.kill());
    const paper = await c.request('start', { exam: pub.body.id });
    assert.equal(paper.type, 'paper', JSON.stringify(paper));
    const res = await c.request('submit', { attempt: paper.attempt });
    assert.ok(Array.isArray(res.review), 'the result showed the review');
    const r = await api('POST', `/api/staff/attempts/${paper.attempt}/reopen`, { reason: 'Mất điện phòng máy lúc 9 giờ' });
    assert.equal(r.status, 409, JSON.stringify(r.body));
    assert.deepEqual([r.body.code, r.body.field], ['attempt_closed', 'review']);
    assert.match(r.body.en, /saw the answers/);
    assert.ok(r.body.vi, 'Vietnamese too');
    const row = h.dbQuery(srv.db, `SELECT state, reopen_deadline_ms FROM attempts WHERE id=${paper.attempt}`)[0];
    assert.deepEqual([row.state, row.reopen_deadline_ms], ['submitted', null]);
    assert.ok(!c.frames.some((f) => /"reopened"/.test(f)), 'nothing pushed');
    const table = await api('GET', `/api/staff/exams/${pub.body.id}/results`);
    assert.equal(table.body.exam.reopenable, false, 'the console offers no re-open');
  }
  const open = await api('GET', `/api/staff/exams/${state.exam}/results`);
  assert.equal(open.body.exam.reopenable, true, 'review none: re-openable');
});

test('a re-opened attempt: the candidate resumes it on the WebSocket with the answers kept, submits again; audited; the review shows it all', async (t) => {
  const id = state.cuong.attempt;
  // already connected (the result page open): told at once, no reload
  const c0 = await h.candidate(srv, 'levancuong', state.pw.levancuong);
  t.after(() => c0.kill());
  await c0.request('hello');
  const from0 = c0.frames.length;
  const before = Date.now();
  const r = await api('POST', `/api/staff/attempts/${id}/reopen`, { reason: 'Mất điện phòng máy lúc 9 giờ', minutes: 5 });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const push = await c0.waitFor((m) => m.type === 'reopened', { fromIndex: from0 });
  assert.deepEqual([push.attempt, push.exam], [id, state.exam]);
  assert.ok(push.left_ms > 4 * 60000 && push.left_ms <= 5 * 60000, `left ${push.left_ms}`);
  assert.equal(push.id, undefined);
  await c0.kill();
  assert.ok(r.body.deadline_ms >= before + 5 * 60000 - 1000 && r.body.deadline_ms <= Date.now() + 5 * 60000 + 1000);
  const row = h.dbQuery(srv.db, `SELECT state, score_centi, deadline_ms FROM attempts WHERE id=${id}`)[0];
  assert.deepEqual([row.state, row.score_centi, row.deadline_ms], ['running', null, r.body.deadline_ms]);
  // twice: it is running now
  assert.equal((await api('POST', `/api/staff/attempts/${id}/reopen`, { reason: 'Mất điện lần nữa' })).status, 409);
  // no longer counted in the table while it runs
  const mid = rowOf((await api('GET', `/api/staff/exams/${state.exam}/results`)).body, 'levancuong');
  assert.deepEqual([mid.running, mid.counted], [true, false]);

  // the candidate: hello shows it running; resume; answers kept
  const c = await h.candidate(srv, 'levancuong', state.pw.levancuong);
  t.after(() => c.kill());
  const hello = await c.request('hello');
  const item = hello.exams.find((e) => e.id === state.exam);
  assert.equal(item.running.attempt, id, JSON.stringify(item));
  const paper = await c.request('start', { exam: state.exam, attempt: id });
  assert.equal(paper.type, 'paper', JSON.stringify(paper));
  assert.equal(paper.resumed, true);
  assert.ok(paper.left_ms > 4 * 60000 && paper.left_ms <= 5 * 60000);
  assert.equal(paper.answers.length, 8);
  assert.deepEqual(paper.questions.map((q) => q.q), state.cuong.paper.questions.map((q) => q.q));
  for (const q of paper.questions) assert.equal(q.key, undefined, 'no key in a resumed paper');
  assert.ok(!c.frames.some((f) => /"key"|"correct"/.test(f)), 'no key on the wire');
  // a network drop and a reconnection: both recorded
  await c.kill();
  const c2 = await h.candidate(srv, 'levancuong', state.pw.levancuong);
  t.after(() => c2.kill());
  const again = await c2.request('start', { exam: state.exam, attempt: id });
  assert.equal(again.resumed, true);
  // one more right answer (the fourth question), then submit: 4 of 8
  const q4 = again.questions[3];
  const ack = await c2.request('answer', { attempt: id, q: q4.q, choice: h.keyOf(q4), seq: again.last_seq + 1 });
  assert.equal(ack.type, 'ack');
  const res = await c2.request('submit', { attempt: id });
  assert.equal(res.type, 'result');
  assert.equal(res.score, 5);
  const after = rowOf((await api('GET', `/api/staff/exams/${state.exam}/results`)).body, 'levancuong');
  assert.deepEqual([after.score, after.passed, after.attempts, after.running], [5, true, 1, false]);
  // time taken leaves out the time it spent submitted before the re-opening
  const times = h.dbQuery(srv.db, `SELECT started_ms, submitted_ms, paused_ms, reopen_deadline_ms FROM attempts WHERE id=${id}`)[0];
  assert.ok(times.paused_ms > 0, JSON.stringify(times));
  assert.equal(times.reopen_deadline_ms, r.body.deadline_ms);
  assert.equal(after.taken_ms, times.submitted_ms - times.started_ms - times.paused_ms);
  const rvt = await api('GET', `/api/staff/attempts/${id}/review`);
  assert.equal(rvt.body.attempt.taken_ms, after.taken_ms);

  // audit and attempt_events
  const audit = h.dbQuery(srv.db, "SELECT actor_id, detail FROM audit WHERE action='attempt.reopen'");
  assert.equal(audit.length, 1);
  const detail = JSON.parse(audit[0].detail);
  assert.deepEqual([detail.id, detail.reason, detail.minutes], [id, 'Mất điện phòng máy lúc 9 giờ', 5]);
  const trainer = h.dbQuery(srv.db, "SELECT id FROM users WHERE username='giangvien'")[0].id;
  assert.equal(audit[0].actor_id, trainer);

  // the review: events (reopen by the trainer, connect, disconnect, connect)
  const rv = await until('the disconnect in the review', async () => {
    const x = await api('GET', `/api/staff/attempts/${id}/review`);
    return x.body.events && x.body.events.filter((e) => e.kind === 'connect').length >= 2 ? x : null;
  });
  const kinds = rv.body.events.map((e) => e.kind);
  assert.deepEqual(kinds, ['reopen', 'connect', 'disconnect', 'connect']);
  assert.equal(rv.body.events[0].actor, 'giangvien');
  assert.equal(rv.body.events[0].detail, 'Mất điện phòng máy lúc 9 giờ');
  assert.ok(rv.body.events.every((e, i) => i === 0 || e.server_ms >= rv.body.events[i - 1].server_ms));
  assert.equal(rv.body.events[2].detail, '127.0.0.1');
  assert.equal(rv.body.attempt.score_centi, 500);
  assert.equal(rv.body.attempt.classification, 'Trung bình');
});

test('the review: the paper in the candidate\'s order and option order, their final choices, the key, every change with server times', async () => {
  const an = state.an2;
  const r = await api('GET', `/api/staff/attempts/${an.attempt}/review`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const b = r.body;
  assert.equal(b.attempt.user.login, 'nguyenvanan');
  assert.deepEqual([b.attempt.n, b.attempt.state, b.attempt.score_centi], [2, 'submitted', 875]);
  assert.deepEqual(b.questions.map((q) => q.id), an.paper.questions.map((q) => q.q));
  for (const [i, q] of b.questions.entries()) {
    const pq = an.paper.questions[i];
    assert.equal(q.text, pq.text);
    assert.deepEqual(q.options, pq.options, 'options as shown');
    assert.deepEqual(q.key, h.keyOf(pq));
    const last = an.sent.filter((s) => s.q === pq.q).pop();
    assert.deepEqual(q.choice, [...last.choice].sort((x, y) => x - y));
    assert.equal(q.right, i < 7);
    assert.equal(q.earned, i < 7 ? 1 : 0);
  }
  assert.equal(b.questions[0].flagged, true);
  // every change, in seq order, with server times
  assert.equal(b.history.length, an.sent.length);
  for (const [i, x] of b.history.entries()) {
    assert.equal(x.question_id, an.sent[i].q);
    assert.deepEqual(x.choice, [...an.sent[i].choice].sort((p, q) => p - q));
    assert.equal(x.q, an.paper.questions.findIndex((q) => q.q === x.question_id) + 1);
    assert.ok(Number.isInteger(x.server_ms) && x.server_ms >= b.attempt.started_ms);
    if (i) assert.ok(x.seq > b.history[i - 1].seq && x.server_ms >= b.history[i - 1].server_ms);
  }
  // the organiser may look too
  assert.equal((await api('GET', `/api/staff/attempts/${an.attempt}/review`, undefined, { user: 'tochuc' })).status, 200);
});

test('a hall drops off the network at once: every running attempt gets its disconnect; a resume is a connect', async (t) => {
  const users = Array.from({ length: 10 }, (_, i) => `ts${String(i + 1).padStart(2, '0')}`);
  const cs = await Promise.all(users.map((u) => h.openFor(t, srv, u)));
  const papers = await Promise.all(cs.map((c) => c.request('start', { exam: 1 })));
  const ids = papers.map((p) => p.attempt);
  assert.ok(ids.every(Number.isInteger), JSON.stringify(papers[0]));
  await Promise.all(cs.map((c) => c.kill()));
  const rows = await until('10 disconnects', () => {
    const r = h.dbQuery(srv.db, `SELECT attempt_id FROM attempt_events WHERE kind='disconnect' AND attempt_id IN (${ids.join(',')})`);
    return r.length === 10 ? r : null;
  });
  assert.deepEqual(rows.map((r) => r.attempt_id).sort((a, b) => a - b), [...ids].sort((a, b) => a - b));
  // and they come back: a resume is a connect
  const c = await h.openFor(t, srv, 'ts01');
  const p = await c.request('start', { exam: 1, attempt: ids[0] });
  assert.equal(p.resumed, true);
  await until('the connect', () => h.dbQuery(srv.db,
    `SELECT 1 FROM attempt_events WHERE kind='connect' AND attempt_id=${ids[0]}`).length === 1);
});

test('the server exits cleanly after it all (a leak or UB fails under the sanitizer build)', async () => {
  await h.stopServerClean(srv);
});
