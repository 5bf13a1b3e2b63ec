// staff.test.js — the staff HTTP API (docs/staff-api.md) against the real
// server and database: who may call it, importing with a preview, search,
// editing with versions, publishing a blueprint exam into the running
// server, partial-credit scoring end to end, export and re-import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as h from './harness.js';

let srv;
h.sharedServer((dir) => h.prepareDb(dir), {}, (s) => { srv = s; });

const staffCookie = {};
async function cookieOf(user) {
  if (!staffCookie[user]) {
    const r = await h.login(srv, user);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    staffCookie[user] = r.cookie;
  }
  return staffCookie[user];
}

// A staff request: returns { status, body }. opts: user (default the
// trainer), origin (default ours; false = none), raw (a Buffer body).
async function api(method, path, body, opts = {}) {
  const headers = {};
  const user = opts.user === undefined ? 'giangvien' : opts.user;
  if (user) headers.cookie = await cookieOf(user);
  if (opts.origin !== false) headers.origin = srv.base;
  let data;
  if (opts.raw !== undefined) {
    data = opts.raw;
    headers['content-type'] = 'application/octet-stream';
  } else if (body !== undefined) {
    data = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  const r = await fetch(`${srv.base}${path}`, { method, headers, body: data });
  const text = await r.text();
  let parsed = text;
  try { parsed = JSON.parse(text); } catch { /* a file */ }
  return { status: r.status, body: parsed, headers: r.headers };
}

const GIFT_BAD = `$CATEGORY: $course$/top/Phòng chống tham nhũng

::t1:: Luật Phòng, chống tham nhũng hiện hành được Quốc hội thông qua năm nào? {=2018 ~2005 ~2012 ~2020}

::t2:: Câu hỏi này có hai đáp án đúng nhưng viết như câu một đáp án {=Một =Hai ~Ba}
`;

const GIFT_GOOD = `$CATEGORY: $course$/top/Phòng chống tham nhũng

::t1:: Luật Phòng, chống tham nhũng hiện hành được Quốc hội thông qua năm nào? {=2018 ~2005 ~2012 ~2020}

::t2:: Những hành vi nào là hành vi tham nhũng trong khu vực nhà nước? {~%50%Tham ô tài sản ~%50%Nhận hối lộ ~%-100%Kê khai tài sản trung thực ~%-100%Tặng quà đúng quy định}

::t3:: Đảng lãnh đạo công tác phòng, chống tham nhũng. {T}
`;

const upload = (q, text, opts = {}) =>
  api('POST', `/api/staff/import?${new URLSearchParams(q)}`, undefined, { raw: Buffer.from(text), ...opts });

test('only staff, and only from our own page, may use the staff API', async () => {
  assert.equal((await api('GET', '/api/staff/banks', undefined, { user: null })).status, 401);
  const cand = await api('GET', '/api/staff/banks', undefined, { user: 'ts01' });
  assert.equal(cand.status, 403);
  assert.equal(cand.body.code, 'forbidden');
  const noOrigin = await api('POST', '/api/staff/banks', { name: 'x', title: 'X' }, { origin: false });
  assert.equal(noOrigin.status, 403);
  const list = await api('GET', '/api/staff/banks');
  assert.equal(list.status, 200);
  assert.ok(!list.body.banks.some((b) => b.name === 'x'), 'a refused request wrote a bank');
  const demo = list.body.banks.find((b) => b.name === 'dang-va-bac-ho');
  assert.equal(demo.questions, 74);
  // the organiser is staff too
  assert.equal((await api('GET', '/api/staff/banks', undefined, { user: 'tochuc' })).status, 200);
});

test('an import with an error is refused whole, naming the line; a clean one previews then imports', async () => {
  const bad = await upload({ bank: 'pctn-test', title: 'Phòng chống tham nhũng', dry_run: '1' }, GIFT_BAD);
  assert.equal(bad.status, 422, JSON.stringify(bad.body));
  assert.equal(bad.body.code, 'bad_import');
  assert.equal(bad.body.format, 'gift');
  const issue = bad.body.issues.find((i) => !i.skipped);
  assert.equal(issue.line, 5, JSON.stringify(bad.body.issues));
  assert.match(issue.question, /hai đáp án đúng/);
  assert.ok(issue.vi && issue.en);
  // the same file for real: still nothing written
  assert.equal((await upload({ bank: 'pctn-test', dry_run: '0' }, GIFT_BAD)).status, 422);
  const banks = (await api('GET', '/api/staff/banks')).body.banks;
  assert.ok(!banks.some((b) => b.name === 'pctn-test'));

  const pre = await upload({ bank: 'pctn-test', title: 'Phòng chống tham nhũng', dry_run: '1' }, GIFT_GOOD);
  assert.equal(pre.status, 200, JSON.stringify(pre.body));
  assert.equal(pre.body.dry_run, true);
  assert.equal(pre.body.added, 3);
  assert.equal(pre.body.new_bank, true);
  assert.equal(pre.body.questions[1].multi, true);
  assert.deepEqual(pre.body.questions[1].options.map((o) => o.weight), [50, 50, -100, -100]);
  assert.ok(!(await api('GET', '/api/staff/banks')).body.banks.some((b) => b.name === 'pctn-test'),
    'a dry run wrote the bank');

  const real = await upload({ bank: 'pctn-test', title: 'Phòng chống tham nhũng', dry_run: '0' }, GIFT_GOOD);
  assert.equal(real.status, 200, JSON.stringify(real.body));
  assert.ok(real.body.bank_id > 0);
  const b = (await api('GET', '/api/staff/banks')).body.banks.find((x) => x.name === 'pctn-test');
  assert.equal(b.questions, 3);
  assert.equal(b.title, 'Phòng chống tham nhũng');

  // the same questions again into the same bank: duplicates, nothing added
  const again = await upload({ bank: 'pctn-test', dry_run: '0' }, GIFT_GOOD);
  assert.equal(again.status, 422);
  assert.equal(again.body.issues.length, 3);
  assert.match(again.body.issues[0].en, /already in the bank/);
  assert.equal((await api('GET', '/api/staff/banks')).body.banks.find((x) => x.name === 'pctn-test').questions, 3);
});

test('search ignores accents and case; filters by topic and difficulty', async () => {
  const r = await api('GET', '/api/staff/questions?bank=1&q=dang%20cong%20san&limit=200');
  assert.equal(r.status, 200);
  assert.ok(r.body.total > 0);
  for (const q of r.body.questions) {
    const all = [q.text, ...q.options.map((o) => o.text), q.explanation].join('\n');
    assert.match(all.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/gi, 'd').toLowerCase(), /dang cong san/);
  }
  const upper = await api('GET', '/api/staff/questions?bank=1&q=%C4%90%E1%BA%A2NG%20C%E1%BB%98NG%20S%E1%BA%A2N');
  assert.equal(upper.body.total, r.body.total);
  const easy = await api('GET', `/api/staff/questions?bank=1&difficulty=easy&topic=${encodeURIComponent('Lịch sử Đảng')}`);
  assert.ok(easy.body.total > 0);
  assert.ok(easy.body.questions.every((q) => q.difficulty === 'easy' && q.topic === 'Lịch sử Đảng'));
  assert.equal((await api('GET', '/api/staff/questions?difficulty=hardest')).status, 400);
  assert.equal((await api('GET', '/api/staff/questions?limit=0')).status, 400);
});

async function bankId(name) {
  return (await api('GET', '/api/staff/banks')).body.banks.find((b) => b.name === name).id;
}

test('questions are validated; a question a published exam uses gets a new version when edited', async () => {
  const bank = await bankId('pctn-test');
  const q = {
    bank, topic: 'Kê khai tài sản', difficulty: 'medium',
    text: 'Tài sản, thu nhập biến động trong năm từ bao nhiêu trở lên thì phải kê khai bổ sung?',
    multi: false,
    options: [{ text: '100 triệu đồng', weight: 0 }, { text: '300 triệu đồng', weight: 100 },
      { text: '500 triệu đồng', weight: 0 }, { text: '1 tỷ đồng', weight: 0 }],
    explanation: 'Điều 36 Luật Phòng, chống tham nhũng 2018.',
  };
  const noKey = await api('POST', '/api/staff/questions', { ...q, options: q.options.map((o) => ({ ...o, weight: 0 })) });
  assert.equal(noKey.status, 400, JSON.stringify(noKey.body));
  assert.equal(noKey.body.field, 'options');
  const one = await api('POST', '/api/staff/questions', { ...q, options: q.options.slice(0, 1) });
  assert.equal(one.status, 400);
  const noText = await api('POST', '/api/staff/questions', { ...q, text: '' });
  assert.equal(noText.body.field, 'text');

  const made = await api('POST', '/api/staff/questions', q);
  assert.equal(made.status, 200, JSON.stringify(made.body));
  const id = made.body.id;
  const dup = await api('POST', '/api/staff/questions', q);
  assert.equal(dup.status, 409);

  // not used yet: changed in place
  const ed = await api('POST', `/api/staff/questions/${id}`, { ...q, difficulty: 'hard' });
  assert.equal(ed.status, 200, JSON.stringify(ed.body));
  assert.deepEqual([ed.body.id, ed.body.version, ed.body.versioned], [id, 1, false]);

  const pub = await api('POST', '/api/staff/exams', {
    title: 'Đề cố định', bank, questions: [id], duration_s: 300, attempts: 1, review: 'full',
  });
  assert.equal(pub.status, 200, JSON.stringify(pub.body));

  const ed2 = await api('POST', `/api/staff/questions/${id}`, { ...q, difficulty: 'hard', explanation: 'Sửa lại.' });
  assert.equal(ed2.status, 200, JSON.stringify(ed2.body));
  assert.equal(ed2.body.versioned, true);
  assert.equal(ed2.body.version, 2);
  assert.notEqual(ed2.body.id, id);
  const old = await api('GET', `/api/staff/questions?bank=${bank}&retired=1`);
  const o = old.body.questions.find((x) => x.id === id);
  assert.equal(o.replaced, true);
  assert.equal(o.used, true);
  assert.equal(o.explanation, q.explanation, 'the frozen version changed');
  // the old version cannot be edited again
  assert.equal((await api('POST', `/api/staff/questions/${id}`, q)).status, 409);
  // retire the new one: it leaves the current list
  assert.equal((await api('POST', `/api/staff/questions/${ed2.body.id}/retire`)).status, 200);
  const cur = await api('GET', `/api/staff/questions?bank=${bank}&limit=200`);
  assert.ok(!cur.body.questions.some((x) => x.id === ed2.body.id));
});

test('a blueprint exam: a short cell is named; a good one is live at once and graded with partial credit', async (t) => {
  const bank = await bankId('pctn-test');
  const short = await api('POST', '/api/staff/exams', {
    title: 'Thiếu câu', bank, duration_s: 300,
    blueprint: [{ topic: 'Phòng chống tham nhũng', difficulty: null, count: 9 }],
  });
  assert.equal(short.status, 422, JSON.stringify(short.body));
  assert.equal(short.body.field, 'blueprint');
  assert.match(short.body.message, /cell 1 \(Phòng chống tham nhũng, any level\): needs 9 questions, the bank has 3/);
  const badField = await api('POST', '/api/staff/exams', { title: 'X', bank, duration_s: 0, blueprint: [{ count: 1 }] });
  assert.equal(badField.body.field, 'duration_s');

  const pub = await api('POST', '/api/staff/exams', {
    title: 'Tìm hiểu Luật Phòng, chống tham nhũng', bank, duration_s: 600, attempts: 1,
    review: 'full', multi_scoring: 'partial', shuffle_options: false,
    blueprint: [{ topic: 'Phòng chống tham nhũng', difficulty: null, count: 3 }],
  }, { user: 'tochuc' });
  assert.equal(pub.status, 200, JSON.stringify(pub.body));
  const examId = pub.body.id;
  // the organiser published it: a trainer lists only their own exams
  const listed = (await api('GET', '/api/staff/exams', undefined, { user: 'tochuc' })).body.exams.find((e) => e.id === examId);
  assert.equal(listed.questions, 3);

  // a candidate sees it without a restart and sits it
  const c = await h.openFor(t, srv, 'ts02');
  const hi = await c.request('hello');
  assert.ok(hi.exams.some((e) => e.id === examId), 'the new exam is not offered');
  const p = await c.request('start', { exam: examId });
  assert.equal(p.type, 'paper', JSON.stringify(p));
  assert.equal(p.questions.length, 3);
  const multi = p.questions.find((q) => q.multi);
  const tf = p.questions.find((q) => q.options.length === 2);
  const single = p.questions.find((q) => !q.multi && q.options.length === 4);
  // multi: one of the two right options only (50 %); single: right; t/f: wrong
  const items = [
    { q: multi.q, choice: [multi.options.indexOf('Tham ô tài sản')], seq: 1 },
    { q: single.q, choice: [single.options.indexOf('2018')], seq: 2 },
    { q: tf.q, choice: [tf.options.findIndex((o) => /Sai|False/.test(o))], seq: 3 },
  ];
  for (const it of items) {
    const a = await c.request('answer', { attempt: p.attempt, flag: false, ...it });
    assert.equal(a.type, 'ack', JSON.stringify(a));
  }
  const res = await c.request('submit', { attempt: p.attempt });
  assert.equal(res.type, 'result', JSON.stringify(res));
  assert.equal(res.correct, 1);
  assert.equal(res.score, 5); // (0.5 + 1 + 0) / 3 x 10
  for (const r of res.review) assert.ok(!('weight' in r) && !('weights' in r));
});

test('export GIFT and native; the native export imports back as the same bank', async () => {
  const bank = await bankId('pctn-test');
  const gift = await api('GET', `/api/staff/banks/${bank}/export?format=gift`);
  assert.equal(gift.status, 200);
  assert.match(gift.headers.get('content-disposition'), /attachment/);
  assert.match(gift.body, /Luật Phòng, chống tham nhũng/);
  const nat = await api('GET', `/api/staff/banks/${bank}/export?format=native`);
  assert.equal(nat.status, 200);
  assert.equal(nat.body.format, 'examd-bank/1');
  const back = await upload({ bank: 'pctn-copy', title: 'Bản sao', dry_run: '0' }, JSON.stringify(nat.body));
  assert.equal(back.status, 200, JSON.stringify(back.body));
  const q1 = (await api('GET', `/api/staff/questions?bank=${bank}&limit=200`)).body.questions;
  const q2 = (await api('GET', `/api/staff/questions?bank=${back.body.bank_id}&limit=200`)).body.questions;
  const strip = (qs) => qs.map(({ topic, difficulty, text, multi, options, points, shuffle, explanation }) =>
    ({ topic, difficulty, text, multi, options, points, shuffle, explanation }));
  assert.deepEqual(strip(q2), strip(q1));
  assert.equal((await api('GET', `/api/staff/banks/${bank}/export?format=docx`)).status, 400);
});

test('bad uploads: empty, too large, unknown format, bad bank name, not UTF-8', async () => {
  assert.equal((await upload({ bank: 'x1', dry_run: '1' }, '')).status, 400);
  assert.equal((await upload({ bank: 'x1', format: 'pdf', dry_run: '1' }, GIFT_GOOD)).status, 400);
  assert.equal((await upload({ bank: 'Bad Name', dry_run: '1' }, GIFT_GOOD)).status, 400);
  const big = await upload({ bank: 'x1', dry_run: '1' }, 'x'.repeat(9 * 1024 * 1024)).catch((e) => ({ status: String(e) }));
  assert.ok(big.status === 413 || /EPIPE|ECONNRESET|other side closed|fetch failed/.test(big.status), `got ${big.status}`);
  const latin = await api('POST', '/api/staff/import?bank=x1&dry_run=1', undefined,
    { raw: Buffer.from([0x3a, 0x3a, 0x61, 0x3a, 0x3a, 0xc0, 0x20, 0x7b, 0x54, 0x7d]) });
  assert.equal(latin.status, 422);
  assert.match(latin.body.issues[0].en, /UTF-8/);
});

test('examd exam add --blueprint: a short cell is named and nothing is published; a good one is', () => {
  const dir = h.tempDir();
  const db = `${dir}/examd.db`;
  h.prepareDb(dir);
  const before = h.dbQuery(db, 'SELECT count(*) AS n FROM exams')[0].n;
  assert.throws(() => h.examdCli(db, ['exam', 'add', '--title', 'BP', '--bank', 'dang-va-bac-ho',
    '--blueprint', 'Lịch sử Đảng:easy:5;*:hard:100']),
  (e) => /cell 2 \(any topic, hard\): needs 100 questions, the bank has \d+/.test(e.stderr));
  assert.throws(() => h.examdCli(db, ['exam', 'add', '--title', 'BP', '--blueprint', 'x:y']),
    (e) => /cell 1 must be TOPIC:LEVEL:COUNT/.test(e.stderr));
  assert.equal(h.dbQuery(db, 'SELECT count(*) AS n FROM exams')[0].n, before);
  const id = Number(h.examdCli(db, ['exam', 'add', '--title', 'BP', '--bank', 'dang-va-bac-ho',
    '--blueprint', 'Lịch sử Đảng:easy:5;*:hard:3', '--partial', '--penalty', '0.25']).trim());
  const snap = JSON.parse(h.dbQuery(db, `SELECT snapshot FROM exams WHERE id=${id}`)[0].snapshot);
  assert.equal(snap.n_paper, 8);
  assert.deepEqual(snap.cells.map((c) => c.count), [5, 3]);
  assert.ok(snap.pool.slice(0, snap.cells[0].n).every((q) => q.topic === 'Lịch sử Đảng' && q.difficulty === 0));
  assert.ok(snap.pool.slice(snap.cells[0].n).every((q) => q.difficulty === 2));
  assert.equal(snap.multi_scoring, 'partial');
  assert.equal(snap.wrong_penalty_e7, 2500000);
});

test('one question by id; errors carry vi and en apart, and the blueprint cell by number', async () => {
  const list = await api('GET', '/api/staff/questions?bank=1&limit=1');
  const id = list.body.questions[0].id;
  const one = await api('GET', `/api/staff/questions/${id}`);
  assert.equal(one.status, 200);
  assert.deepEqual(one.body.question, list.body.questions[0]);
  assert.equal((await api('GET', '/api/staff/questions/99999999')).status, 404);
  const bad = await api('POST', '/api/staff/questions', {
    bank: 1, topic: 'T', difficulty: 'easy', text: 'Câu thử?', options: [{ text: 'A', weight: 0 }, { text: 'B', weight: 0 }],
  });
  assert.equal(bad.status, 400);
  assert.ok(bad.body.vi && bad.body.en, JSON.stringify(bad.body));
  assert.ok(!/^câu 1|^question 1/.test(bad.body.vi + bad.body.en), JSON.stringify(bad.body));
  assert.ok(!bad.body.en.includes('/'), bad.body.en);
  const cell = await api('POST', '/api/staff/exams', {
    title: 'X', bank: 1, duration_s: 60,
    blueprint: [{ topic: null, difficulty: null, count: 1 }, { topic: 'Không có', difficulty: 'hard', count: 1 }],
  });
  assert.equal(cell.status, 422);
  assert.equal(cell.body.cell, 2);
  assert.match(cell.body.en, /^cell 2/);
});
