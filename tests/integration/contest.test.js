// contest.test.js — contests with rounds against the real server
// (docs/contests.md): an organiser builds a contest and its rounds over
// HTTP, 40 participants register without a code (one per unit of four)
// and sit a round over real WebSockets with several attempts and
// predictions; windows refuse early and late starts; closing early cuts a
// running attempt; extending moves a running deadline; the ranking is
// checked against a computation written here from the database's rows;
// prizes with a tie at a boundary; publishing; unit figures; CSV and XLSX
// exports; and rule 5: another organiser reaches nothing of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as h from './harness.js';

let srv;
h.sharedServer((dir) => {
  h.prepareDb(dir);
  const db = `${dir}/examd.db`;
  h.examdCli(db, ['user', 'add', '--username', 'tochuc2', '--name', 'Ban tổ chức Lê Văn Nam', '--password', 'examd-demo', '--role', 'organiser']);
  h.examdCli(db, ['user', 'add', '--username', 'quantri', '--name', 'Quản trị', '--password', 'examd-demo', '--role', 'admin']);
}, {}, (s) => { srv = s; });

const cookies = {};
async function cookieOf(user) {
  if (!cookies[user]) {
    const r = await h.login(srv, user);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    cookies[user] = r.cookie;
  }
  return cookies[user];
}

// A request as user (default the organiser tochuc; null: nobody).
async function api(method, path, body, { user = 'tochuc', raw = false } = {}) {
  const headers = { origin: srv.base };
  if (user) headers.cookie = await cookieOf(user);
  let data;
  if (body !== undefined) {
    data = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  const r = await fetch(`${srv.base}${path}`, { method, headers, body: data });
  if (raw) return { status: r.status, headers: r.headers, bytes: Buffer.from(await r.arrayBuffer()) };
  const text = await r.text();
  let parsed = text;
  try { parsed = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, body: parsed, headers: r.headers, setCookie: r.headers.get('set-cookie') };
}

const HO = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ'];
const TEN = ['Thị Lan', 'Văn Bình', 'Đức Thắng', 'Thị Hồng Nhung', 'Quốc Việt'];
const N = 40;
const NQ = 5; // questions per paper
const st = { people: [] };

const isoNow = () => Date.now();

async function roundCreate(body, user = 'tochuc', contest = st.contest) {
  return api('POST', `/api/staff/contests/${contest}/rounds`, {
    title: 'Vòng', bank: st.bank, blueprint: [{ topic: null, difficulty: null, count: NQ }],
    duration_s: 600, attempts: 3, ...body,
  }, { user });
}

// Sit one attempt on exam with `right` questions answered right; returns
// { attempt, result }. predict: a number to send before submitting.
async function sit(c, exam, right, predict) {
  const paper = await c.request('start', { exam });
  assert.equal(paper.type, 'paper', JSON.stringify(paper));
  const ids = [];
  paper.questions.forEach((q, i) => {
    const choice = i < right ? h.keyOf(q) : [h.wrongOf(q)];
    ids.push(c.send('answer', { attempt: paper.attempt, q: q.q, choice, seq: i + 1 }));
  });
  for (const id of ids) assert.equal((await c.reply(id)).type, 'ack');
  if (predict !== undefined) {
    const p = await c.request('predict', { attempt: paper.attempt, prediction: predict });
    assert.deepEqual([p.type, p.prediction], ['predicted', predict], JSON.stringify(p));
  }
  const result = await c.request('submit', { attempt: paper.attempt });
  assert.equal(result.type, 'result', JSON.stringify(result));
  assert.equal(result.correct, right);
  return { attempt: paper.attempt, paper, result };
}

test('a contest with open registration; units with targets', async () => {
  const banks = await api('GET', '/api/staff/banks');
  st.bank = banks.body.banks.find((b) => b.name === 'dang-va-bac-ho').id;
  st.units = [];
  for (const [name, target] of [['Công đoàn Công ty May 10', 20], ['Chi bộ khu phố 3', 10], ['Đoàn thanh niên phường Minh Khai', 15], ['Hội Cựu chiến binh', 0]]) {
    const u = await api('POST', '/api/staff/units', { name, target });
    assert.equal(u.status, 200, JSON.stringify(u.body));
    st.units.push({ id: u.body.id, name, target });
  }
  const bad = await api('POST', '/api/staff/contests', { title: '' });
  assert.deepEqual([bad.status, bad.body.field], [400, 'title']);
  const k = await api('POST', '/api/staff/contests', { title: 'Tìm hiểu 95 năm Ngày thành lập Đảng', description: 'Cuộc thi trực tuyến', open_registration: true });
  assert.equal(k.status, 200, JSON.stringify(k.body));
  st.contest = k.body.id;
  const list = await api('GET', '/api/staff/contests');
  assert.deepEqual(list.body.contests.map((x) => [x.id, x.open_registration]), [[st.contest, true]]);
  // the public view lists the units to register with
  const pub = await api('GET', `/api/public/contests/${st.contest}`, undefined, { user: null });
  assert.equal(pub.status, 200);
  assert.equal(pub.body.contest.open_registration, true);
  assert.equal(pub.body.units.length, 4);
});

test('rounds: published with the exam rules plus prediction and prizes; bad fields named', async () => {
  const badPrizes = await roundCreate({ prizes: [{ name: 'Giải Nhất', count: 0 }] });
  assert.deepEqual([badPrizes.status, badPrizes.body.field], [400, 'prizes']);
  const badBp = await roundCreate({ blueprint: [{ topic: 'không có', count: 5 }] });
  assert.deepEqual([badBp.status, badBp.body.field], [422, 'blueprint']);
  const r = await roundCreate({
    title: 'Tuần 1', prediction: true, show_answers: true,
    prizes: [{ name: 'Giải Nhất', count: 1 }, { name: 'Giải Nhì', count: 2 }, { name: 'Giải Ba', count: 3 }, { name: 'Giải Khuyến khích', count: 5 }],
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.round_no, 1);
  st.round = r.body.id;
  const dup = await roundCreate({ round_no: 1 });
  assert.deepEqual([dup.status, dup.body.field], [409, 'round_no']);
  const g = await api('GET', `/api/staff/rounds/${st.round}`);
  assert.equal(g.status, 200);
  assert.deepEqual([g.body.round.state, g.body.round.prediction, g.body.round.questions, g.body.round.prizes.length], ['open', true, NQ, 4]);
});

test('registration without a code: checked fields, 40 accounts with units, rejoin finds the same account', async () => {
  const bad = await api('POST', `/api/public/contests/${st.contest}/register`, { full_name: 'Nguyễn Văn A', birth_date: '31/02/1990', unit: st.units[0].id }, { user: null });
  assert.deepEqual([bad.status, bad.body.field], [400, 'birth_date']);
  const noUnit = await api('POST', `/api/public/contests/${st.contest}/register`, { full_name: 'Nguyễn Văn A', birth_date: '01/02/1990' }, { user: null });
  assert.deepEqual([noUnit.status, noUnit.body.field], [400, 'unit']);
  const none = await api('POST', '/api/public/contests/999/register', { full_name: 'Nguyễn Văn A', birth_date: '01/02/1990', unit: st.units[0].id }, { user: null });
  assert.equal(none.status, 404);
  for (let i = 0; i < N; i++) {
    const name = `${HO[i % 8]} ${TEN[Math.floor(i / 8)]}`;
    const unit = st.units[i % 4];
    const r = await api('POST', `/api/public/contests/${st.contest}/register`, {
      full_name: name, birth_date: `${(i % 27) + 1}/0${(i % 9) + 1}/199${i % 10}`, unit: unit.id, phone: '0912 345 678',
    }, { user: null });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.contest, st.contest);
    const m = r.setCookie.match(/examd_session=([0-9a-f]{64})/);
    st.people.push({ i, name, unit, uid: r.body.user.id, cookie: `examd_session=${m[1]}` });
  }
  const again = await api('POST', `/api/public/contests/${st.contest}/register`, {
    full_name: 'nguyen thi lan', birth_date: '1990-01-01', unit: st.units[0].id,
  }, { user: null });
  assert.equal(again.status, 200);
  assert.equal(again.body.rejoined, true);
  assert.equal(again.body.user.id, st.people[0].uid);
});

// What each participant does in round 1: per attempt, questions right,
// and the prediction sent (undefined: none).
function plan(i) {
  const attempts = 1 + (i % 3);
  const out = [];
  for (let j = 0; j < attempts; j++) {
    const right = (i * 7 + j * 3) % 6;
    let predict;
    if (i % 5 !== 0 && j === 0) predict = (i * 3) % 12;
    if (i % 7 === 1 && j === 1) predict = 4; // changed in a later attempt
    out.push({ right, predict });
  }
  return out;
}

test('40 participants sit round 1: attempts, best-of, predictions; hello says it is a round', async () => {
  await Promise.all(st.people.map(async (p) => {
    const c = await h.connect(srv, p.cookie);
    p.c = c;
    const hello = await c.request('hello');
    const item = hello.exams.find((e) => e.id === st.round);
    assert.deepEqual([item.round.contest, item.round.round_no, item.round.prediction], [st.contest, 1, true]);
    for (const a of plan(p.i)) {
      const r = await sit(c, st.round, a.right, a.predict);
      // while the round is open a result shows no answers
      assert.equal(r.result.review, null);
      if (a.predict === undefined && p.i % 5 !== 0) {
        // a later paper shows the prediction entered before
        assert.equal(r.paper.prediction.asked, true);
        assert.equal(typeof r.paper.prediction.value, 'number');
      }
    }
  }));
  // a prediction needs a round that asks it and a running attempt
  const p0 = st.people[0];
  const closed = await p0.c.request('predict', { attempt: 999999, prediction: 3 });
  assert.equal(closed.type, 'error');
  const neg = await p0.c.request('predict', { attempt: 1, prediction: -1 });
  assert.deepEqual([neg.code, neg.field], ['bad_message', 'prediction']);
  // the monitor is the WebSocket one (monitor.test.js): its figures come
  // from counters, and the HTTP route that read them per person is gone
  const mon = await api('GET', `/api/staff/rounds/${st.round}/monitor`);
  assert.equal(mon.status, 404);
  const o = await h.connect(srv, await cookieOf('tochuc'));
  const m = await o.request('monitor', { exam: st.round });
  assert.equal(m.type, 'monitor', JSON.stringify(m));
  assert.deepEqual([m.total.started, m.total.submitted], [N, N], JSON.stringify(m.total));
  await o.close();
});

test('windows: a scheduled round refuses starts until opened; a closed one refuses them; bad windows named', async () => {
  const now = isoNow();
  const later = await roundCreate({ title: 'Tuần 2', opens_ms: now + 3600e3, closes_ms: now + 7200e3 });
  assert.equal(later.status, 200, JSON.stringify(later.body));
  st.round2 = later.body.id;
  const past = await roundCreate({ title: 'Tuần 0', opens_ms: now - 7200e3, closes_ms: now - 3600e3 });
  st.round0 = past.body.id;
  const c = st.people[1].c;
  const early = await c.request('start', { exam: st.round2 });
  assert.deepEqual([early.type, early.code], ['error', 'exam_closed']);
  const late = await c.request('start', { exam: st.round0 });
  assert.deepEqual([late.type, late.code], ['error', 'exam_closed']);
  const badWin = await api('POST', `/api/staff/rounds/${st.round2}/window`, { opens_ms: now, closes_ms: now - 1 });
  assert.deepEqual([badWin.status, badWin.body.field], [400, 'closes_ms']);
  const opened = await api('POST', `/api/staff/rounds/${st.round2}/open`, {});
  assert.equal(opened.status, 200, JSON.stringify(opened.body));
  assert.equal(opened.body.state, 'open');
  assert.equal((await api('POST', `/api/staff/rounds/${st.round2}/open`, {})).status, 409);
  const paper = await c.request('start', { exam: st.round2 });
  assert.equal(paper.type, 'paper', JSON.stringify(paper));
  // a round that asks no prediction refuses one
  const np = await c.request('predict', { attempt: paper.attempt, prediction: 3 });
  assert.deepEqual([np.code, np.field], ['bad_message', 'prediction']);
  await c.request('submit', { attempt: paper.attempt });
  // an audit entry for each change
  const audit = h.dbQuery(srv.db, "SELECT action FROM audit WHERE action LIKE 'round.%' OR action LIKE 'contest.%'");
  assert.ok(audit.some((a) => a.action === 'round.window'));
  assert.ok(audit.some((a) => a.action === 'round.create'));
});

test('editing a round: title, prizes, show_answers; the prediction flag only before anyone starts', async () => {
  const e = await api('POST', `/api/staff/rounds/${st.round2}`, { title: 'Tuần 2 (sửa)', prizes: [{ name: 'Giải Đặc biệt', count: 1 }], show_answers: true });
  assert.equal(e.status, 200, JSON.stringify(e.body));
  const g = (await api('GET', `/api/staff/rounds/${st.round2}`)).body.round;
  assert.deepEqual([g.title, g.prizes, g.show_answers], ['Tuần 2 (sửa)', [{ name: 'Giải Đặc biệt', count: 1 }], true]);
  const hello = await st.people[1].c.request('hello');
  assert.equal(hello.exams.find((x) => x.id === st.round2).title, 'Tuần 2 (sửa)');
  const late = await api('POST', `/api/staff/rounds/${st.round}`, { prediction: false });
  assert.deepEqual([late.status, late.body.field], [409, 'prediction']);
  const bad = await api('POST', `/api/staff/rounds/${st.round2}`, { show_answers: 'yes' });
  assert.deepEqual([bad.status, bad.body.field], [400, 'show_answers']);
  assert.equal((await api('GET', `/api/staff/rounds/${st.round}`)).body.round.prediction, true);
});

test('extending the close lengthens a running attempt cut by the old close, never past its duration', async () => {
  const now = isoNow();
  const r = await roundCreate({ title: 'Tuần 3', opens_ms: now - 1000, closes_ms: now + 30e3 });
  st.round3 = r.body.id;
  const c = st.people[2].c;
  const paper = await c.request('start', { exam: st.round3 });
  assert.ok(paper.left_ms <= 30e3, `left ${paper.left_ms}`);
  const from = c.frames.length;
  const ext = await api('POST', `/api/staff/rounds/${st.round3}/window`, { closes_ms: now + 3600e3 });
  assert.equal(ext.status, 200, JSON.stringify(ext.body));
  const t = await c.waitFor((m) => m.type === 'time' && m.attempt === paper.attempt, { fromIndex: from });
  assert.ok(t.left_ms > 500e3 && t.left_ms <= 600e3, `left ${t.left_ms}`);
  const row = h.dbQuery(srv.db, `SELECT started_ms, deadline_ms FROM attempts WHERE id=${paper.attempt}`)[0];
  assert.equal(row.deadline_ms, row.started_ms + 600e3);
  await c.request('submit', { attempt: paper.attempt });
});

test('closing early cuts a running attempt: graded with what was saved, pushed to the candidate', async () => {
  // participant 3 made 1 attempt of 3: a fourth person's running attempt
  const p = st.people[3];
  const paper = await p.c.request('start', { exam: st.round });
  assert.equal(paper.type, 'paper');
  const q = paper.questions[0];
  assert.equal((await p.c.request('answer', { attempt: paper.attempt, q: q.q, choice: h.keyOf(q), seq: 1 })).type, 'ack');
  const from = p.c.frames.length;
  const close = await api('POST', `/api/staff/rounds/${st.round}/close`, {});
  assert.equal(close.status, 200, JSON.stringify(close.body));
  assert.equal(close.body.state, 'closed');
  const res = await p.c.waitFor((m) => m.type === 'result' && m.attempt === paper.attempt, { fromIndex: from });
  assert.equal(res.reason, 'deadline');
  assert.equal(res.correct, 1);
  // closed: the key is shown now (show_answers)
  const again = await p.c.request('result', { attempt: paper.attempt });
  assert.ok(Array.isArray(again.review) && again.review[0].key, JSON.stringify(again.review?.[0]));
  const late = await p.c.request('start', { exam: st.round });
  assert.deepEqual([late.type, late.code], ['error', 'exam_closed']);
});

// The rule "never tell a candidate the key" across a round's close: the
// key waits for the grace (attempts cut at the close still take answers)
// and for the round's last attempt; once it may be out, nobody may hold
// the paper again (docs/contests.md "Showing the key").
test('the key: held back for the grace after the close; then the round cannot be opened again or closed later', async () => {
  const now = isoNow();
  const r = await roundCreate({ title: 'Tuần 5', show_answers: true, opens_ms: now - 1000, closes_ms: now + 3600e3 });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const id = r.body.id;
  const [x, y] = [st.people[20], st.people[21]];
  const done = await sit(x.c, id, 2);
  assert.equal(done.result.review, null);
  const paper = await y.c.request('start', { exam: id });
  assert.equal(paper.type, 'paper', JSON.stringify(paper));
  const fromY = y.c.frames.length;
  const close = await api('POST', `/api/staff/rounds/${id}/close`, {});
  assert.equal(close.status, 200, JSON.stringify(close.body));
  const closes = close.body.closes_ms, GRACE = 2000;
  // right after the close: Y's cut attempt still takes an answer, and X's
  // result shows no key meanwhile
  const q = paper.questions[0];
  const ack = await y.c.request('answer', { attempt: paper.attempt, q: q.q, choice: h.keyOf(q), seq: 1 });
  const early = await x.c.request('result', { attempt: done.attempt });
  const t0 = Date.now();
  assert.equal(ack.type, 'ack', JSON.stringify(ack));
  assert.ok(t0 < closes + GRACE, `the test was too slow to look inside the grace (${t0 - closes} ms)`);
  assert.equal(early.review, null, 'no key during the grace');
  // Y's attempt is closed at close + grace (pushed); then the key comes
  const cut = await y.c.waitFor((m) => m.type === 'result' && m.attempt === paper.attempt, { fromIndex: fromY });
  assert.ok(Date.now() >= closes + GRACE);
  const seen = await x.c.request('result', { attempt: done.attempt });
  assert.ok(Array.isArray(seen.review) && seen.review[0].key, JSON.stringify(seen.review));
  assert.equal(cut.correct, 1);
  // the key may be out: no re-opening, no later close, show_answers stays
  for (const [path, body] of [
    ['open', {}],
    ['window', { closes_ms: closes + 3600e3 }],
    ['window', { closes_ms: 0 }],
  ]) {
    const no = await api('POST', `/api/staff/rounds/${id}/${path}`, body);
    assert.equal(no.status, 409, `${path} ${JSON.stringify(body)}: ${JSON.stringify(no.body)}`);
    assert.equal(no.body.code, 'exam_closed');
    assert.match(no.body.en, /cannot be opened again or closed later/);
    assert.ok(no.body.vi.length > 10);
  }
  const off = await api('POST', `/api/staff/rounds/${id}`, { show_answers: false });
  assert.deepEqual([off.status, off.body.code, off.body.field], [409, 'exam_closed', 'show_answers']);
  const g = (await api('GET', `/api/staff/rounds/${id}`)).body.round;
  assert.deepEqual([g.state, g.closes_ms, g.show_answers], ['closed', closes, true]);
  const again = await x.c.request('start', { exam: id });
  assert.deepEqual([again.type, again.code], ['error', 'exam_closed']);
  // what stays allowed: a new title, publishing
  assert.equal((await api('POST', `/api/staff/rounds/${id}`, { title: 'Tuần 5 (đã đóng)' })).status, 200);
  assert.equal((await api('POST', `/api/staff/rounds/${id}/publish`, {})).status, 200);
  assert.equal((await api('POST', `/api/staff/rounds/${id}/unpublish`, {})).status, 200);
  // a round without show_answers may still be opened again
  const plain = await roundCreate({ title: 'Tuần 6', opens_ms: now - 2000, closes_ms: now - 1000 });
  assert.equal((await api('POST', `/api/staff/rounds/${plain.body.id}/open`, {})).status, 200);
});

// The ranking computed here from the attempts' rows (docs/contests.md
// "Ranking"), apart from the server's code.
function expectedRanking(exam, prizes, usePrediction) {
  const rows = h.dbQuery(srv.db, `SELECT a.id, a.user_id, a.n, a.state, a.score_centi, a.correct, a.total, a.started_ms, a.submitted_ms, a.prediction FROM attempts a WHERE exam_id=${exam}`);
  const byUser = new Map();
  for (const r of rows) {
    if (!byUser.has(r.user_id)) byUser.set(r.user_id, []);
    byUser.get(r.user_id).push(r);
  }
  const people = [];
  for (const [user, list] of byUser) {
    const done = list.filter((r) => r.state === 'submitted');
    if (!done.length) continue;
    done.sort((a, b) => b.score_centi - a.score_centi || a.n - b.n);
    const best = done[0];
    const preds = list.filter((r) => r.prediction !== null).sort((a, b) => b.n - a.n);
    people.push({ user, best, pred: preds.length ? preds[0].prediction : null });
  }
  const actual = people.filter((p) => p.best.total > 0 && p.best.correct === p.best.total).length;
  for (const p of people) {
    p.diff = !usePrediction ? 0 : p.pred === null ? Infinity : Math.abs(p.pred - actual);
    p.time = p.best.submitted_ms - p.best.started_ms;
  }
  const keyCmp = (a, b) => b.best.score_centi - a.best.score_centi || (a.diff === b.diff ? 0 : a.diff < b.diff ? -1 : 1) || a.time - b.time || a.best.submitted_ms - b.best.submitted_ms;
  people.sort((a, b) => keyCmp(a, b) || a.user - b.user);
  people.forEach((p, i) => { p.rank = i > 0 && keyCmp(people[i - 1], p) === 0 ? people[i - 1].rank : i + 1; });
  for (const p of people) {
    let sum = 0;
    p.prize = null;
    for (const z of prizes) {
      sum += z.count;
      if (p.rank - 1 < sum) { p.prize = z.name; break; }
    }
  }
  return { actual, people };
}

test('the ranking after close equals an independent computation from the database', async () => {
  const g = await api('GET', `/api/staff/rounds/${st.round}/ranking`);
  assert.equal(g.status, 200);
  assert.equal(g.body.final, true);
  const prizes = (await api('GET', `/api/staff/rounds/${st.round}`)).body.round.prizes;
  const want = expectedRanking(st.round, prizes, true);
  assert.ok(want.actual > 0, 'some participants got every question right');
  assert.equal(g.body.actual, want.actual);
  assert.equal(g.body.ranking.length, N);
  assert.deepEqual(
    g.body.ranking.map((r) => [r.user, r.rank, r.score_centi, r.attempt, r.diff, r.time_ms, r.prize]),
    want.people.map((p) => [p.user, p.rank, p.best.score_centi, p.best.id, p.diff === Infinity ? null : p.diff, p.time, p.prize]),
  );
  // participants with several attempts: the best one counts
  const multi = g.body.ranking.filter((r) => r.attempts > 1);
  assert.ok(multi.length > 10);
  st.ranking = g.body.ranking;
  const pz = await api('GET', `/api/staff/rounds/${st.round}/prizes`);
  assert.deepEqual(pz.body.prizes.map((z) => [z.name, z.winners.length]),
    prizes.map((z) => [z.name, want.people.filter((p) => p.prize === z.name).length]));
});

test('the ranking comes a page at a time: totals, boundaries, bad paging values', async () => {
  const get = async (q) => (await api('GET', `/api/staff/rounds/${st.round}/ranking${q}`)).body;
  const whole = await get('');
  assert.deepEqual([whole.total, whole.participants, whole.offset, whole.limit], [N, N, 0, 200]);
  for (const [offset, limit] of [[0, 7], [7, 7], [35, 7], [N - 1, 1], [N, 5], [N + 100, 1000], [0, N]]) {
    const p = await get(`?offset=${offset}&limit=${limit}`);
    assert.deepEqual([p.total, p.offset, p.limit, p.actual], [N, offset, limit, whole.actual]);
    assert.deepEqual(p.ranking, st.ranking.slice(offset, offset + limit), `offset ${offset} limit ${limit}`);
  }
  // the pages put together are the ranking, each person once
  let all = [];
  for (let o = 0; o < N; o += 13) all = all.concat((await get(`?offset=${o}&limit=13`)).ranking);
  assert.deepEqual(all.map((x) => x.user), st.ranking.map((x) => x.user));
  for (const [q, field] of [['?limit=0', 'limit'], ['?limit=1001', 'limit'], ['?limit=abc', 'limit'],
    ['?offset=-1', 'offset'], ['?offset=1x', 'offset'], ['?offset=0&limit=-5', 'limit']]) {
    const r = await api('GET', `/api/staff/rounds/${st.round}/ranking${q}`);
    assert.deepEqual([r.status, r.body.field], [400, field], JSON.stringify(r.body));
    assert.equal(r.body.code, 'bad_request');
    assert.ok(r.body.vi.includes(field) && r.body.en.includes(field), JSON.stringify(r.body));
  }
  assert.equal((await get('?limit=1000')).limit, 1000);
});

test('prizes: a tie at a prize boundary gives the whole group the higher prize', async () => {
  const r = await roundCreate({ title: 'Tuần 4', prediction: true, attempts: 1, prizes: [{ name: 'Giải Nhất', count: 1 }, { name: 'Giải Nhì', count: 1 }, { name: 'Giải Ba', count: 2 }] });
  st.round4 = r.body.id;
  const four = st.people.slice(10, 15);
  for (const p of four) await sit(p.c, st.round4, NQ, 7);
  // make four of them equal on every key (the first is faster)
  const ids = four.map((p) => p.uid);
  h.dbExec(srv.db, `UPDATE attempts SET started_ms=1000, submitted_ms=2000 WHERE exam_id=${st.round4} AND user_id IN (${ids.slice(1).join(',')})`);
  h.dbExec(srv.db, `UPDATE attempts SET started_ms=1000, submitted_ms=1500 WHERE exam_id=${st.round4} AND user_id=${ids[0]}`);
  const g = await api('GET', `/api/staff/rounds/${st.round4}/ranking`);
  assert.deepEqual(g.body.ranking.map((x) => [x.rank, x.prize]), [
    [1, 'Giải Nhất'], [2, 'Giải Nhì'], [2, 'Giải Nhì'], [2, 'Giải Nhì'], [2, 'Giải Nhì'],
  ]);
  assert.deepEqual(g.body.ranking.slice(1).map((x) => x.user), ids.slice(1).sort((a, b) => a - b));
  const pz = await api('GET', `/api/staff/rounds/${st.round4}/prizes`);
  assert.deepEqual(pz.body.prizes.map((z) => z.winners.length), [1, 4, 0]);
});

test('publishing: public results only after close and publish; no private data', async () => {
  assert.equal((await api('GET', `/api/public/rounds/${st.round}/results`, undefined, { user: null })).status, 404);
  const early = await api('POST', `/api/staff/rounds/${st.round2}/publish`, {});
  assert.deepEqual([early.status, early.body.field], [409, 'state']);
  const pub = await api('POST', `/api/staff/rounds/${st.round}/publish`, {});
  assert.equal(pub.status, 200, JSON.stringify(pub.body));
  assert.ok(pub.body.published_ms > 0);
  const r = await api('GET', `/api/public/rounds/${st.round}/results?top=10`, undefined, { user: null });
  assert.equal(r.status, 200);
  assert.equal(r.body.top.length, 10);
  assert.deepEqual(r.body.top.map((x) => [x.rank, x.name, x.prize]), st.ranking.slice(0, 10).map((x) => [x.rank, x.name, x.prize]));
  assert.equal(r.body.round.participants, N);
  const text = JSON.stringify(r.body);
  for (const bad of ['birth', 'phone', 'username', '0912345678', '"user"']) assert.ok(!text.includes(bad), `public results mention ${bad}`);
  assert.equal(r.body.prizes[0].winners[0].name, st.ranking[0].name);
  const un = await api('POST', `/api/staff/rounds/${st.round}/unpublish`, {});
  assert.equal(un.status, 200);
  assert.equal((await api('GET', `/api/public/rounds/${st.round}/results`, undefined, { user: null })).status, 404);
  assert.equal((await api('POST', `/api/staff/rounds/${st.round}/publish`, {})).status, 200);
});

test('the public page of a published round is kept: no query per request, read again after a staff change', async () => {
  const page = async (top) => {
    const r = await api('GET', `/api/public/rounds/${st.round}/results${top ? `?top=${top}` : ''}`, undefined, { user: null });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  const first = await page(3);
  assert.deepEqual(first.top.map((x) => x.name), st.ranking.slice(0, 3).map((x) => x.name));
  assert.equal((await page(1)).top.length, 1);
  assert.equal((await page(500)).top.length, N);
  assert.equal((await page()).top.length, N); // 50 by default, 40 people
  const badTop = await api('GET', `/api/public/rounds/${st.round}/results?top=501`, undefined, { user: null });
  assert.deepEqual([badTop.status, badTop.body.field], [400, 'top']);
  // renamed behind the server's back: the kept page does not see it
  const who = st.ranking[0];
  h.dbExec(srv.db, `UPDATE users SET full_name = 'Tên đã sửa' WHERE id = ${who.user}`);
  assert.equal((await page(3)).top[0].name, who.name);
  // a login is a write too, but no staff change: the page stays
  assert.equal((await h.login(srv, 'quantri')).status, 200);
  assert.equal((await page(3)).top[0].name, who.name);
  // a staff change (here: the round's title saved again) drops it
  const edit = async () => assert.equal((await api('POST', `/api/staff/rounds/${st.round}`, { title: 'Tuần 1' })).status, 200);
  await edit();
  assert.equal((await page(3)).top[0].name, 'Tên đã sửa');
  h.dbExec(srv.db, `UPDATE users SET full_name = '${who.name}' WHERE id = ${who.user}`);
  await edit();
  assert.equal((await page(3)).top[0].name, who.name);
  // many at once while it is being built: one build, every one answered
  await edit();
  const all = await Promise.all(Array.from({ length: 30 }, (_, i) => page(1 + (i % 5))));
  all.forEach((b, i) => assert.equal(b.top.length, 1 + (i % 5)));
});

test('unit figures: participants against targets, averages, the most and the best', async () => {
  const g = await api('GET', `/api/staff/rounds/${st.round}/units`);
  assert.equal(g.status, 200);
  const want = st.units.map((u) => {
    const mine = st.ranking.filter((r) => r.unit === u.id);
    const avg = mine.length ? mine.reduce((s, r) => s + r.score_centi, 0) / mine.length / 100 : null;
    return { unit: u.id, name: u.name, target: u.target, participants: mine.length, percent: u.target ? Math.floor(mine.length * 1000 / u.target) / 10 : null, avg };
  });
  assert.deepEqual(g.body.units.map((x) => [x.unit, x.target, x.participants, x.percent]), want.map((w) => [w.unit, w.target, w.participants, w.percent]));
  g.body.units.forEach((x, i) => assert.ok(Math.abs(x.average - want[i].avg) < 1e-9));
  const most = [...want].sort((a, b) => b.participants - a.participants || a.unit - b.unit)[0];
  const best = [...want].sort((a, b) => b.avg - a.avg || a.unit - b.unit)[0];
  assert.equal(g.body.most.unit, most.unit);
  assert.equal(g.body.best.unit, best.unit);
  // over the contest: a person counts once per unit
  const k = await api('GET', `/api/staff/contests/${st.contest}/units`);
  assert.equal(k.status, 200);
  assert.equal(k.body.units.reduce((s, x) => s + x.participants, 0), N);
});

test('exports: CSV with a BOM and Vietnamese intact; XLSX read back', async () => {
  const csv = await api('GET', `/api/staff/rounds/${st.round}/ranking?format=csv`, undefined, { raw: true });
  assert.equal(csv.status, 200);
  assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = csv.bytes.subarray(3).toString('utf8');
  const lines = text.trim().split('\r\n');
  assert.equal(lines.length, N + 1);
  assert.match(lines[0], /^Hạng,Họ và tên,Đơn vị,Điểm/);
  // paging is for the JSON only: an export is the whole round
  const paged = await api('GET', `/api/staff/rounds/${st.round}/ranking?format=csv&offset=3&limit=5`, undefined, { raw: true });
  assert.deepEqual(paged.bytes, csv.bytes);
  assert.ok(lines[1].includes(st.ranking[0].name), lines[1]);
  assert.match(csv.headers.get('content-disposition'), /attachment; filename="round-\d+-ranking\.csv"/);
  const units = await api('GET', `/api/staff/rounds/${st.round}/units?format=csv`, undefined, { raw: true });
  assert.ok(units.bytes.toString('utf8').includes('Đoàn thanh niên phường Minh Khai'));
  const x = await api('GET', `/api/staff/rounds/${st.round}/prizes?format=xlsx`, undefined, { raw: true });
  assert.equal(x.status, 200);
  const file = join(srv.dir, 'prizes.xlsx');
  writeFileSync(file, x.bytes);
  const out = execFileSync('/usr/bin/python3', ['-c', `
import openpyxl, json, sys
ws = openpyxl.load_workbook(sys.argv[1]).active
print(json.dumps([[c for c in r] for r in ws.iter_rows(values_only=True)], ensure_ascii=False))`, file], { encoding: 'utf8' });
  const rows = JSON.parse(out);
  assert.deepEqual(rows[0], ['Giải', 'Hạng', 'Họ và tên', 'Đơn vị', 'Điểm']);
  assert.equal(rows[1][0], 'Giải Nhất');
  assert.equal(rows[1][2], st.ranking[0].name);
  assert.equal(typeof rows[1][4], 'number');
  const bad = await api('GET', `/api/staff/rounds/${st.round}/ranking?format=pdf`);
  assert.deepEqual([bad.status, bad.body.field], [400, 'format']);
});

test('rule 5: another organiser reaches nothing of the contest; an admin reaches all', async () => {
  const o2 = { user: 'tochuc2' };
  assert.deepEqual((await api('GET', '/api/staff/contests', undefined, o2)).body.contests, []);
  for (const [m, p, b] of [
    ['GET', `/api/staff/contests/${st.contest}`],
    ['POST', `/api/staff/contests/${st.contest}`, { title: 'Đổi tên' }],
    ['GET', `/api/staff/contests/${st.contest}/units`],
    ['GET', `/api/staff/rounds/${st.round}`],
    ['POST', `/api/staff/rounds/${st.round}`, { prizes: [] }],
    ['GET', `/api/staff/rounds/${st.round}/ranking`],
    ['GET', `/api/staff/rounds/${st.round}/prizes`],
    ['GET', `/api/staff/rounds/${st.round}/units`],
    ['POST', `/api/staff/rounds/${st.round2}/close`, {}],
    ['POST', `/api/staff/rounds/${st.round2}/window`, { closes_ms: 0 }],
    ['POST', `/api/staff/rounds/${st.round}/unpublish`, {}],
  ]) {
    const r = await api(m, p, b, o2);
    assert.equal(r.status, 403, `${m} ${p}: ${JSON.stringify(r.body)}`);
  }
  const add = await roundCreate({ title: 'Vòng lạ' }, 'tochuc2');
  assert.equal(add.status, 403);
  // nothing changed
  assert.equal((await api('GET', `/api/staff/contests/${st.contest}`)).body.contest.title, 'Tìm hiểu 95 năm Ngày thành lập Đảng');
  assert.equal((await api('GET', `/api/staff/rounds/${st.round2}`)).body.round.state, 'open');
  assert.equal((await api('GET', `/api/staff/contests/999`)).status, 404);
  // a trainer is refused by the route table
  assert.equal((await api('GET', `/api/staff/rounds/${st.round}`, undefined, { user: 'giangvien' })).status, 403);
  const admin = await api('GET', `/api/staff/contests/${st.contest}`, undefined, { user: 'quantri' });
  assert.equal(admin.status, 200);
  assert.equal(admin.body.rounds.length, 7);
  for (const p of st.people) p.c?.kill();
});

test('a restart keeps the windows, the rounds and the ranking; then a clean stop', async () => {
  const before = (await api('GET', `/api/staff/rounds/${st.round}/ranking`)).body.ranking;
  await h.stopServerClean(srv);
  const again = await h.startServer({ dir: srv.dir, demo: false });
  const old = srv;
  srv = again;
  for (const k of Object.keys(cookies)) delete cookies[k];
  try {
    const g = await api('GET', `/api/staff/contests/${st.contest}`);
    const state = Object.fromEntries(g.body.rounds.map((r) => [r.id, r.state]));
    assert.deepEqual([state[st.round], state[st.round2], state[st.round0], state[st.round3]], ['closed', 'open', 'closed', 'open']);
    assert.deepEqual((await api('GET', `/api/staff/rounds/${st.round}/ranking`)).body.ranking, before);
    assert.equal((await api('GET', `/api/public/rounds/${st.round}/results`, undefined, { user: null })).status, 200);
    const c = await h.connect(srv, st.people[6].cookie); // one attempt of three used
    const late = await c.request('start', { exam: st.round });
    assert.deepEqual([late.type, late.code], ['error', 'exam_closed']);
    const hello = await c.request('hello');
    assert.equal(hello.exams.find((e) => e.id === st.round2).round.round_no, 2);
    c.kill();
  } finally {
    // under the sanitizer build: no leak, no error at exit
    await h.stopServerClean(srv);
    srv = old;
  }
});
