// live.test.js — a live round in a hall, end to end over real sockets:
// 200 players without accounts join with the round's code on the live
// subprotocol, every one receives every question, answers close at the
// server's deadline (a late answer is refused), elimination and the one
// revive, a player who reconnects with their token keeps their score and
// lands on the current question, nobody without the token takes a
// player, organisers reach only their own rounds, and a restarted server
// carries a round on (docs/live-rounds.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as h from './harness.js';

const N = 200;
let srv;
const ref = h.sharedServer((dir) => {
  h.prepareDb(dir);
  const db = join(dir, 'examd.db');
  h.examdCli(db, ['user', 'add', '--username', 'tochuc2', '--name', 'Tổ chức Hai', '--password', 'examd-demo', '--role', 'organiser']);
  h.examdCli(db, ['user', 'add', '--username', 'quantri', '--name', 'Quản trị', '--password', 'examd-demo', '--role', 'admin']);
}, {}, (s) => { srv = s; });

const cookies = {};
async function cookieOf(user) {
  if (!cookies[user]) cookies[user] = (await h.login(srv, user)).cookie;
  return cookies[user];
}

async function api(user, method, path, body) {
  const headers = { origin: srv.base, cookie: await cookieOf(user) };
  if (method === 'POST') headers['content-type'] = 'application/json';
  const r = await fetch(srv.base + path, { method, headers, body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined });
  return { status: r.status, body: await r.json() };
}

const player = () => h.connect(srv, null, { protocol: 'examd.live.v1' });

// Join n players; returns [{ c, token, id, name }].
async function joinAll(code, n, prefix) {
  const out = [];
  for (let i = 0; i < n; i += 50) {
    const batch = await Promise.all(Array.from({ length: Math.min(50, n - i) }, async (_, k) => {
      const c = await player();
      const name = `${prefix} ${i + k + 1}`;
      const w = await c.request('live_join', { code, name });
      assert.equal(w.type, 'live_welcome', JSON.stringify(w));
      assert.match(w.token, /^\d+-[0-9a-f]{32}$/);
      return { c, token: w.token, id: w.player.id, name };
    }));
    out.push(...batch);
  }
  return out;
}

async function key(user, id) {
  const r = await api(user, 'GET', `/api/staff/live/${id}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.round.question;
}

// an option outside the key (a multiple-answer question's key has several)
const wrongOf = (q) => q.options.findIndex((_, i) => !q.key.includes(i));
const questionOf = (c, q, from = 0) => c.waitFor((m) => m.type === 'live_question' && m.q === q, { timeoutMs: 20000, fromIndex: from });
const revealOf = (c, q) => c.waitFor((m) => m.type === 'live_reveal' && m.q === q, { timeoutMs: 20000 });
const youOf = (c, q, type = 'live_you') => c.waitFor((m) => m.type === type && m.q === q, { timeoutMs: 20000 });

test('an elimination round with 200 players: questions, deadline, elimination, revive, reconnect, final board', async (t) => {
  const mk = await api('tochuc', 'POST', '/api/staff/live', {
    // 5 s for the first question (its deadline is waited for); the others
    // long enough that only "everyone still in has answered" reveals them
    title: 'Rung chuông vàng — Lịch sử Đảng', bank: 1, blueprint: [{ count: 3 }], seconds: 5, seconds_each: [5, 60, 60],
    elimination: true,
  });
  assert.equal(mk.status, 200, JSON.stringify(mk.body));
  assert.match(mk.body.code, /^[1-9]\d{5}$/);
  const id = mk.body.id;
  const code = mk.body.code;

  // the projector (the organiser's session) watches the lobby fill
  const proj = await h.connect(srv, await cookieOf('tochuc'), { protocol: 'examd.live.v1' });
  t.after(() => proj.kill());
  const w = await proj.request('live_watch', { round: id });
  assert.equal(w.type, 'live_welcome');
  assert.equal(w.round.state, 'lobby');

  const look = await (await player()).request('live_lookup', { code });
  assert.equal(look.type, 'live_round');
  assert.equal(look.round.title, 'Rung chuông vàng — Lịch sử Đảng');
  assert.ok(Array.isArray(look.units));
  const bad = await (await player()).request('live_join', { code: '000000', name: 'Ai đó' });
  assert.deepEqual([bad.type, bad.code, bad.field], ['error', 'not_found', 'code']);
  const noName = await (await player()).request('live_join', { code, name: '   ' });
  assert.deepEqual([noName.type, noName.field], ['error', 'name']);
  const noUnit = await (await player()).request('live_join', { code, name: 'Ai đó', unit: 999 });
  assert.deepEqual([noUnit.type, noUnit.code, noUnit.field], ['error', 'bad_message', 'unit']);
  // a connection that keeps guessing codes is closed
  const guesser = await player();
  for (let i = 0; i < 9; i++) assert.equal((await guesser.request('live_lookup', { code: String(100000 + i) })).code, 'not_found');
  guesser.send('live_lookup', { code: '100009' });
  assert.equal((await guesser.closed).code, 1008);

  const ps = await joinAll(code, N, 'Người chơi');
  t.after(() => ps.forEach((p) => p.c.kill()));
  await proj.waitFor((m) => m.type === 'live_lobby' && m.players === N);
  // anonymous players cannot send the candidates' messages
  const hi = await ps[0].c.request('hello');
  assert.deepEqual([hi.type, hi.code], ['error', 'forbidden']);
  // nothing to answer in the lobby
  const early = await ps[0].c.request('live_answer', { q: 0, choice: [0] });
  assert.deepEqual([early.type, early.code], ['error', 'no_question']);

  // ---- question 1: pushed to all 200 at once; the deadline closes it ----
  const st = await api('tochuc', 'POST', `/api/staff/live/${id}/start`);
  assert.equal(st.status, 200, JSON.stringify(st.body));
  const q0 = await Promise.all(ps.map((p) => questionOf(p.c, 0)));
  const pushedAt = Date.now();
  assert.ok(q0.every((m) => m.n === 3 && m.seconds === 5 && m.left_ms > 3000 && m.options.length >= 2));
  assert.ok(q0.every((m) => m.key === undefined && !JSON.stringify(m).includes('"key"')), 'a question carries no key');
  await questionOf(proj, 0);
  const k0 = await key('tochuc', id);
  // 0..149 right, 150..189 wrong, 190..198 silent, 199 answers too late
  const acks = await Promise.all(ps.slice(0, 190).map((p, i) =>
    p.c.request('live_answer', { q: 0, choice: i < 150 ? k0.key : [wrongOf(k0)] })));
  assert.ok(acks.every((a) => a.type === 'live_ack' && a.q === 0), JSON.stringify(acks.find((a) => a.type !== 'live_ack')));
  const twice = await ps[0].c.request('live_answer', { q: 0, choice: [wrongOf(k0)] });
  assert.deepEqual([twice.type, twice.code], ['error', 'already_answered']);
  const badOpt = await ps[195].c.request('live_answer', { q: 0, choice: [9] });
  assert.equal(badOpt.type, 'error');
  const rv0 = await Promise.all(ps.map((p) => revealOf(p.c, 0)));
  // the answers close at the server's deadline, not before it
  assert.ok(Date.now() - pushedAt >= q0[0].left_ms - 250, `revealed after ${Date.now() - pushedAt} ms`);
  const late = await ps[199].c.request('live_answer', { q: 0, choice: k0.key });
  assert.deepEqual([late.type, late.code], ['error', 'too_late']);
  const board0 = rv0[0];
  assert.deepEqual(board0.key, k0.key);
  assert.equal(board0.counts[k0.key[0]], 150);
  assert.equal(board0.counts[wrongOf(k0)], 40);
  assert.equal(board0.answered, 190);
  assert.equal(board0.active, 150);
  assert.equal(board0.board.length, 10);
  assert.equal(board0.board[0].correct, 1);
  const you0 = await Promise.all(ps.map((p) => youOf(p.c, 0)));
  assert.ok(you0.slice(0, 150).every((y) => y.right && !y.eliminated && y.correct === 1));
  assert.ok(you0.slice(150).every((y) => !y.right && y.eliminated && y.correct === 0));
  await revealOf(proj, 0);

  // ---- question 2: a player drops and comes back with the token ----
  const from = ps.map((p) => p.c.frames.length);
  assert.equal((await api('tochuc', 'POST', `/api/staff/live/${id}/next`)).status, 200);
  await Promise.all(ps.map((p, i) => questionOf(p.c, 1, from[i])));
  const k1 = await key('tochuc', id);
  const out = await ps[160].c.request('live_answer', { q: 1, choice: k1.key });
  assert.deepEqual([out.type, out.code], ['error', 'eliminated']);

  await ps[5].c.kill();
  const stranger = await player();
  t.after(() => stranger.kill());
  const forged = await stranger.request('live_resume', { token: `${id}-${'0'.repeat(32)}` });
  assert.deepEqual([forged.type, forged.code], ['error', 'not_found']);
  const nobody = await stranger.request('live_answer', { q: 1, choice: k1.key });
  assert.deepEqual([nobody.type, nobody.code, nobody.field], ['error', 'not_found', 'player']);
  const back = await player();
  t.after(() => back.kill());
  const wb = await back.request('live_resume', { token: ps[5].token });
  assert.equal(wb.type, 'live_welcome', JSON.stringify(wb));
  assert.equal(wb.player.id, ps[5].id);
  assert.equal(wb.token, undefined, 'the token is sent once, at the join');
  assert.equal(wb.round.current, 1);
  const again = await questionOf(back, 1);
  assert.ok(again.left_ms <= 60000 && again.left_ms > 0);
  ps[5].c = back;
  // a second device with the same token takes the player over
  const other = await player();
  t.after(() => other.kill());
  await other.request('live_resume', { token: ps[5].token });
  await back.waitFor((m) => m.type === 'live_taken_over');
  const stale = await back.request('live_answer', { q: 1, choice: k1.key });
  assert.deepEqual([stale.type, stale.code, stale.field], ['error', 'not_found', 'player']);
  ps[5].c = other;

  // everyone still in answers right: the reveal comes at once
  const t1 = Date.now();
  await Promise.all(ps.slice(0, 150).map((p) => p.c.request('live_answer', { q: 1, choice: k1.key })));
  const rv1 = await revealOf(ps[0].c, 1);
  assert.ok(Date.now() - t1 < 45000, 'the reveal did not wait for the deadline');
  assert.equal(rv1.active, 150);
  const y5 = await youOf(ps[5].c, 1);
  assert.equal(y5.correct, 2, 'the reconnected player kept their score');

  // ---- revive all, once ----
  assert.equal((await api('tochuc', 'POST', `/api/staff/live/${id}/revive`)).status, 200);
  const rev = await ps[199].c.waitFor((m) => m.type === 'live_revived');
  assert.equal(rev.active, N);
  const twiceRev = await api('tochuc', 'POST', `/api/staff/live/${id}/revive`);
  assert.equal(twiceRev.status, 409, JSON.stringify(twiceRev.body));
  assert.ok(twiceRev.body.vi && twiceRev.body.en);

  // ---- question 3 (the last), then the final board ----
  assert.equal((await api('tochuc', 'POST', `/api/staff/live/${id}/next`)).status, 200);
  await Promise.all(ps.map((p) => questionOf(p.c, 2)));
  const k2 = await key('tochuc', id);
  await Promise.all(ps.map((p) => p.c.request('live_answer', { q: 2, choice: k2.key })));
  const rv2 = await revealOf(ps[0].c, 2);
  assert.equal(rv2.last, true);
  assert.equal((await api('tochuc', 'POST', `/api/staff/live/${id}/next`)).status, 200);
  const end = await ps[0].c.waitFor((m) => m.type === 'live_end');
  assert.equal(end.board[0].correct, 3);
  assert.equal(end.board[0].rank, 1);
  const y5end = await ps[5].c.waitFor((m) => m.type === 'live_you' && m.q === 2);
  assert.equal(y5end.correct, 3);
  const yLast = await ps[199].c.waitFor((m) => m.type === 'live_you' && m.q === 2);
  assert.equal(yLast.correct, 1);
  const after = await api('tochuc', 'POST', `/api/staff/live/${id}/next`);
  assert.equal(after.status, 409);
  const done = await api('tochuc', 'GET', `/api/staff/live/${id}`);
  assert.equal(done.body.round.state, 'ended');
  assert.equal(done.body.round.board.length, N);
  // ranks: correct desc, then time asc
  const b = done.body.round.board;
  for (let i = 1; i < b.length; i++) {
    assert.ok(b[i - 1].correct > b[i].correct || (b[i - 1].correct === b[i].correct && b[i - 1].time_ms <= b[i].time_ms), `rank ${i}`);
  }
  // each step of the organiser is in the audit log
  const audit = await api('quantri', 'GET', '/api/staff/audit?action=live&limit=200');
  const acts = audit.body.entries.filter((e) => e.detail.id === id).map((e) => e.action).reverse();
  assert.deepEqual(acts, ['live.create', 'live.start', 'live.next', 'live.revive', 'live.next', 'live.next']);
  assert.ok(audit.body.entries.every((e) => e.actor === 'tochuc' || e.detail.id !== id));
  // stored: every acknowledged answer is in the database
  if (h.hasSqlite3()) {
    const [row] = h.dbQuery(srv.db, `SELECT count(*) AS n, sum(correct) AS c FROM live_answers WHERE round_id = ${id}`);
    assert.deepEqual([row.n, row.c], [190 + 150 + N, 150 + 150 + N]);
    const [out] = h.dbQuery(srv.db, `SELECT count(*) AS n FROM live_players WHERE round_id = ${id} AND eliminated_at >= 0`);
    assert.equal(out.n, 0, 'revived, and nobody missed the last question');
  }
});

// The export's rows read back: CSV text (after the BOM) into its two
// tables, XLSX through openpyxl into {sheet title: rows}.
async function download(user, path) {
  const r = await fetch(srv.base + path, { headers: { origin: srv.base, cookie: await cookieOf(user) } });
  return { status: r.status, headers: r.headers, bytes: Buffer.from(await r.arrayBuffer()) };
}
function xlsxSheets(bytes) {
  const file = join(srv.dir, 'live-results.xlsx');
  writeFileSync(file, bytes);
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', `
import openpyxl, json, sys
wb = openpyxl.load_workbook(sys.argv[1])
print(json.dumps({ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}, ensure_ascii=False))`, file],
  { encoding: 'utf8' }));
}

test('the results export: the final board and the answers per question, CSV and XLSX, owner only', async (t) => {
  const unit = await api('tochuc', 'POST', '/api/staff/units', { name: 'Đoàn phường Bến Nghé' });
  assert.equal(unit.status, 200, JSON.stringify(unit.body));
  const mk = await api('tochuc', 'POST', '/api/staff/live', { title: 'Rung chuông vàng — xuất kết quả', bank: 1,
    blueprint: [{ count: 2 }], seconds: 60, elimination: true });
  assert.equal(mk.status, 200, JSON.stringify(mk.body));
  const id = mk.body.id, code = mk.body.code;
  const look = await (await player()).request('live_lookup', { code });
  const u = look.units.find((x) => x.name === 'Đoàn phường Bến Nghé');
  assert.ok(u, JSON.stringify(look.units));
  const names = ['Nguyễn Thị Hồng Nhung', 'Trần Đức Thắng', 'Lê Văn Bình, Tổ 5', 'Phạm Quốc Việt'];
  const ps = [];
  for (const [i, name] of names.entries()) {
    const c = await player();
    t.after(() => c.kill());
    const w = await c.request('live_join', i === 0 ? { code, name, unit: u.id } : { code, name });
    assert.equal(w.type, 'live_welcome', JSON.stringify(w));
    ps.push(c);
  }
  // nothing asked yet: the board lists everyone, the answers sheet is empty
  const lobby = xlsxSheets((await download('tochuc', `/api/staff/live/${id}/export?format=xlsx`)).bytes);
  assert.equal(lobby['Bảng xếp hạng'].length, 1 + names.length);
  assert.equal(lobby['Số câu trả lời'].length, 1);

  // question 1: 0 and 1 right, 2 and 3 wrong (out at question 1);
  // question 2: 0 right, 1 wrong (out at question 2)
  assert.equal((await api('tochuc', 'POST', `/api/staff/live/${id}/start`)).status, 200);
  await Promise.all(ps.map((c) => questionOf(c, 0)));
  const k0 = await key('tochuc', id);
  const counts = (k, choices) => k.options.map((_, o) => choices.filter((c) => c.includes(o)).length);
  const c0 = ps.map((_, i) => (i < 2 ? k0.key : [wrongOf(k0)]));
  for (const [i, c] of ps.entries()) {
    const a = await c.request('live_answer', { q: 0, choice: c0[i] });
    assert.equal(a.type, 'live_ack', JSON.stringify(a));
  }
  await revealOf(ps[0], 0);
  assert.equal((await api('tochuc', 'POST', `/api/staff/live/${id}/next`)).status, 200);
  await Promise.all(ps.map((c) => questionOf(c, 1)));
  const k1 = await key('tochuc', id);
  await ps[0].request('live_answer', { q: 1, choice: k1.key });
  await ps[1].request('live_answer', { q: 1, choice: [wrongOf(k1)] });
  await revealOf(ps[0], 1);
  assert.equal((await api('tochuc', 'POST', `/api/staff/live/${id}/next`)).status, 200);
  const done = (await api('tochuc', 'GET', `/api/staff/live/${id}`)).body.round;
  assert.equal(done.state, 'ended');

  // CSV: UTF-8 with a BOM, Vietnamese intact, the board then the answers
  const csv = await download('tochuc', `/api/staff/live/${id}/export?format=csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-disposition'), new RegExp(`attachment; filename="live-${id}-results\\.csv"`));
  assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const [boardCsv, answersCsv] = csv.bytes.subarray(3).toString('utf8').trim().split('\r\n\r\n').map((b) => b.split('\r\n'));
  assert.equal(boardCsv[0], 'Hạng,Họ và tên,Đơn vị,Số câu đúng,Tổng thời gian (giây),Bị loại ở câu');
  const sec = (ms) => (ms / 1000).toFixed(2);
  const expected = done.board.map((p) => {
    const i = names.indexOf(p.name);
    const out = i === 1 ? '2' : i >= 2 ? '1' : '';
    return `${p.rank},${p.name.includes(',') ? `"${p.name}"` : p.name},${p.unit},${p.correct},${sec(p.time_ms)},${out}`;
  });
  assert.deepEqual(boardCsv.slice(1), expected);
  assert.equal(boardCsv[1].split(',')[1], 'Nguyễn Thị Hồng Nhung');
  assert.equal(boardCsv[1].split(',')[2], 'Đoàn phường Bến Nghé');
  assert.match(answersCsv[0], /^Câu,Nội dung,Đáp án,Số người trả lời,Đúng,Sai,A,B/);
  assert.equal(answersCsv.length, 3);

  // XLSX: two worksheets, numbers as numbers, the counts per option
  const x = await download('tochuc', `/api/staff/live/${id}/export?format=xlsx`);
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  const wb = xlsxSheets(x.bytes);
  assert.deepEqual(Object.keys(wb), ['Bảng xếp hạng', 'Số câu trả lời']);
  const board = wb['Bảng xếp hạng'];
  assert.deepEqual(board[0], ['Hạng', 'Họ và tên', 'Đơn vị', 'Số câu đúng', 'Tổng thời gian (giây)', 'Bị loại ở câu']);
  assert.deepEqual(board.slice(1).map((r) => [r[0], r[1], r[3], r[5]]),
    [[1, names[0], 2, null], [2, names[1], 1, 2], [3, names[2], 0, 1], [4, names[3], 0, 1]]);
  assert.deepEqual(done.board.map((p) => [p.rank, p.name]), board.slice(1).map((r) => [r[0], r[1]]));
  assert.equal(board[1][2], 'Đoàn phường Bến Nghé');
  assert.ok(Math.abs(board[1][4] - done.board[0].time_ms / 1000) < 0.006, `${board[1][4]} ${done.board[0].time_ms}`);
  const ans = wb['Số câu trả lời'];
  const letter = (i) => String.fromCharCode(65 + i);
  const q1 = ans[1], q2 = ans[2];
  assert.deepEqual(q1.slice(0, 6), [1, k0.text, k0.key.map(letter).join(','), 4, 2, 2]);
  assert.deepEqual(q1.slice(6, 6 + k0.options.length), counts(k0, c0));
  assert.deepEqual(q2.slice(0, 6), [2, k1.text, k1.key.map(letter).join(','), 2, 1, 1]);
  assert.deepEqual(q2.slice(6, 6 + k1.options.length), counts(k1, [k1.key, [wrongOf(k1)]]));
  // one column per option of the round's widest question
  assert.equal(ans[0].length, 6 + Math.max(k0.options.length, k1.options.length));
  assert.deepEqual(ans[0].slice(6), k0.options.length >= k1.options.length ? k0.options.map((_, i) => letter(i)) : k1.options.map((_, i) => letter(i)));

  // owner only; csv or xlsx only
  assert.equal((await download('tochuc2', `/api/staff/live/${id}/export?format=csv`)).status, 404);
  assert.equal((await download('quantri', `/api/staff/live/${id}/export?format=xlsx`)).status, 200);
  for (const q of ['', '?format=json', '?format=pdf']) {
    const r = await api('tochuc', 'GET', `/api/staff/live/${id}/export${q}`);
    assert.deepEqual([r.status, r.body.field], [400, 'format'], q);
    assert.ok(r.body.vi && r.body.en);
  }
  assert.equal((await download('tochuc', '/api/staff/live/999999/export?format=csv')).status, 404);
});

test("organisers reach only their own live rounds; admins every one", async (t) => {
  const mk = await api('tochuc', 'POST', '/api/staff/live', { title: 'Vòng của tổ chức Một', bank: 1, questions: [1, 2] });
  assert.equal(mk.status, 200, JSON.stringify(mk.body));
  const id = mk.body.id;
  for (const [m, p] of [['GET', `/api/staff/live/${id}`], ['POST', `/api/staff/live/${id}/start`], ['POST', `/api/staff/live/${id}/end`], ['POST', `/api/staff/live/${id}/revive`]]) {
    const r = await api('tochuc2', m, p);
    assert.equal(r.status, 404, `${m} ${p}: ${JSON.stringify(r.body)}`);
  }
  const list2 = await api('tochuc2', 'GET', '/api/staff/live');
  assert.ok(!list2.body.rounds.some((r) => r.id === id));
  const proj = await h.connect(srv, await cookieOf('tochuc2'), { protocol: 'examd.live.v1' });
  t.after(() => proj.kill());
  const w = await proj.request('live_watch', { round: id });
  assert.deepEqual([w.type, w.code], ['error', 'forbidden']);
  const adm = await api('quantri', 'GET', `/api/staff/live/${id}?base=${encodeURIComponent(srv.base)}`);
  assert.equal(adm.status, 200);
  assert.equal(adm.body.round.url, `${srv.base}/live.html?code=${mk.body.code}`);
  assert.match(adm.body.round.qr_svg, /^<svg|<\?xml/);
  // bad input: a clear error naming the field, nothing created
  for (const [body, field] of [[{ bank: 1, questions: [1] }, 'title'], [{ title: 'X', bank: 1, questions: [1], seconds: 2 }, 'seconds'],
    [{ title: 'X', bank: 999, questions: [1] }, 'bank'], [{ title: 'X', bank: 1 }, 'blueprint'],
    [{ title: 'X', bank: 1, questions: [1, 2], seconds_each: [10] }, 'seconds_each'],
    [{ title: 'X', bank: 1, blueprint: [{ count: 2 }], seconds_each: [10, 4] }, 'seconds_each']]) {
    const r = await api('tochuc', 'POST', '/api/staff/live', body);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.field, field);
    assert.ok(r.body.vi && r.body.en);
  }
  const short = await api('tochuc', 'POST', '/api/staff/live', { title: 'X', bank: 1, blueprint: [{ count: 5000 }] });
  assert.ok([400, 422].includes(short.status), JSON.stringify(short.body));
});

test('a restarted server carries a live round on: state, question, scores, tokens', async (t) => {
  const dir = h.tempDir();
  h.prepareDb(dir);
  let s2 = await h.startServer({ dir, demo: false });
  t.after(async () => { await h.stopServer(s2); h.cleanup(s2); });
  const l = await h.login(s2, 'tochuc');
  const call = async (method, path, body) => {
    const r = await fetch(s2.base + path, { method, headers: { origin: s2.base, cookie: l.cookie, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    return { status: r.status, body: await r.json() };
  };
  const mk = await call('POST', '/api/staff/live', { title: 'Vòng khôi phục', bank: 1, questions: [1, 2, 3], seconds: 5, seconds_each: [5, 7, 9] });
  assert.equal(mk.status, 200, JSON.stringify(mk.body));
  const id = mk.body.id;
  const ws = [];
  for (let i = 0; i < 3; i++) {
    const c = await h.connect(s2, null, { protocol: 'examd.live.v1' });
    const w = await c.request('live_join', { code: mk.body.code, name: `Khôi phục ${i}` });
    ws.push({ c, token: w.token });
  }
  assert.equal((await call('POST', `/api/staff/live/${id}/start`)).status, 200);
  const k = (await call('GET', `/api/staff/live/${id}`)).body.round.question;
  const a0 = await ws[0].c.request('live_answer', { q: 0, choice: k.key });
  const a1 = await ws[1].c.request('live_answer', { q: 0, choice: k.key });
  assert.equal(a0.type, 'live_ack');
  assert.equal(a1.type, 'live_ack');
  await h.killServer(s2); // power cut mid-question
  s2 = await h.startServer({ dir, demo: false, port: s2.port });
  const l2 = await h.login(s2, 'tochuc');
  l.cookie = l2.cookie;
  const c = await h.connect(s2, null, { protocol: 'examd.live.v1' });
  t.after(() => c.kill());
  const w = await c.request('live_resume', { token: ws[0].token });
  assert.equal(w.type, 'live_welcome', JSON.stringify(w));
  assert.equal(w.round.current, 0);
  // the question's deadline passes (or has passed): the reveal scores the two
  const you = await c.waitFor((m) => m.type === 'live_you' && m.q === 0, { timeoutMs: 15000 });
  assert.equal(you.correct, 1);
  assert.equal(you.rank, 1);
  const r = await call('GET', `/api/staff/live/${id}`);
  assert.equal(r.body.round.state, 'reveal');
  assert.deepEqual(r.body.round.board.map((p) => p.correct), [1, 1, 0]);
  assert.equal((await call('POST', `/api/staff/live/${id}/next`)).status, 200);
  const q1 = await c.waitFor((m) => m.type === 'live_question' && m.q === 1);
  assert.equal(q1.n, 3);
  assert.equal(q1.seconds, 7, "each question's own limit, kept across the restart");
});

test('live_round replies keep the unit list: no query per lookup; a staff change makes it read again', async () => {
  const mk = await api('tochuc', 'POST', '/api/staff/live', { title: 'Vòng đơn vị', bank: 1, questions: [1] });
  assert.equal(mk.status, 200, JSON.stringify(mk.body));
  const look = async () => {
    const c = await player();
    const r = await c.request('live_lookup', { code: mk.body.code });
    await c.close();
    assert.equal(r.type, 'live_round', JSON.stringify(r));
    assert.equal(r.round.title, 'Vòng đơn vị');
    return r.units.map((u) => u.name);
  };
  const before = await look();
  // written behind the server's back: the kept list does not see it
  h.dbExec(srv.db, "INSERT INTO units(name, target, created_ms) VALUES('Đơn vị ghi thẳng', 0, 0)");
  assert.deepEqual(await look(), before);
  const u = await api('tochuc', 'POST', '/api/staff/units', { name: 'Chi đoàn Bến Nghé', target: 5 });
  assert.equal(u.status, 200, JSON.stringify(u.body));
  const after = await look();
  assert.deepEqual(after.slice(0, before.length), before);
  assert.ok(after.includes('Chi đoàn Bến Nghé') && after.includes('Đơn vị ghi thẳng'), JSON.stringify(after));
});

test('answers: a failed write is taken back from the counts; the reveal waits for the stored answers', async (t) => {
  const mk = await api('tochuc', 'POST', '/api/staff/live', { title: 'Vòng ghi lỗi', bank: 1, blueprint: [{ count: 2 }], seconds_each: [60, 60] });
  assert.equal(mk.status, 200, JSON.stringify(mk.body));
  const id = mk.body.id;
  const ps = await joinAll(mk.body.code, 3, 'Ghi');
  t.after(() => Promise.all(ps.map((p) => p.c.kill())));
  const [a, b, c] = ps;
  // the store refuses a's answers (as a full disk would)
  h.dbExec(srv.db, `CREATE TRIGGER live_fail BEFORE INSERT ON live_answers WHEN NEW.player_id = ${a.id} BEGIN SELECT RAISE(ABORT, 'test'); END`);
  t.after(() => h.dbExec(srv.db, 'DROP TRIGGER IF EXISTS live_fail'));
  assert.equal((await api('tochuc', 'POST', `/api/staff/live/${id}/start`)).status, 200);
  await Promise.all(ps.map((p) => questionOf(p.c, 0)));
  const k0 = await key('tochuc', id);
  const failed = await a.c.request('live_answer', { q: 0, choice: k0.key });
  assert.deepEqual([failed.type, failed.code], ['error', 'internal']);
  // taken back: a may answer again (and is refused by the store again)
  const again = await a.c.request('live_answer', { q: 0, choice: k0.key });
  assert.deepEqual([again.type, again.code], ['error', 'internal']);
  for (const p of [b, c]) assert.equal((await p.c.request('live_answer', { q: 0, choice: k0.key })).type, 'live_ack');
  // two of three answered: no early reveal; the organiser reveals
  assert.equal((await api('tochuc', 'GET', `/api/staff/live/${id}`)).body.round.state, 'question');
  assert.equal((await api('tochuc', 'POST', `/api/staff/live/${id}/reveal`)).status, 200);
  const rv0 = await revealOf(b.c, 0);
  assert.equal(rv0.answered, 2, JSON.stringify(rv0));
  assert.equal(rv0.counts[k0.key[0]], 2);
  const you = await youOf(a.c, 0);
  assert.equal(you.correct, 0);
  h.dbExec(srv.db, 'DROP TRIGGER live_fail');
  // question 2: everybody answers; the last one's ack comes before the
  // reveal, which waited for its commit
  const from = c.c.frames.length;
  assert.equal((await api('tochuc', 'POST', `/api/staff/live/${id}/next`)).status, 200);
  await Promise.all(ps.map((p) => questionOf(p.c, 1)));
  const k1 = await key('tochuc', id);
  for (const p of [a, b]) assert.equal((await p.c.request('live_answer', { q: 1, choice: k1.key })).type, 'live_ack');
  const last = c.c.send('live_answer', { q: 1, choice: k1.key });
  const rv1 = await revealOf(c.c, 1);
  const kinds = c.c.messages().slice(from).filter((m) => m && (m.id === last || m.type === 'live_reveal'));
  assert.deepEqual(kinds.map((m) => m.type), ['live_ack', 'live_reveal']);
  assert.equal(rv1.answered, 3);
  const stored = h.dbQuery(srv.db, `SELECT count(*) AS n FROM live_answers WHERE round_id = ${id} AND q = 1`)[0].n;
  assert.equal(stored, rv1.answered, 'the board counts what was stored');
});

test('the players cap holds under a burst of joins, and every stored join gets its token', async (t) => {
  process.env.EXAMD_LIVE_PLAYERS_MAX = '5';
  let s2;
  try {
    s2 = await h.startServer();
  } finally {
    delete process.env.EXAMD_LIVE_PLAYERS_MAX;
  }
  t.after(async () => { await h.stopServer(s2); h.cleanup(s2); });
  const l = await h.login(s2, 'tochuc');
  const r = await fetch(`${s2.base}/api/staff/live`, { method: 'POST', headers: { origin: s2.base, cookie: l.cookie, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Vòng đầy', bank: 1, questions: [1] }) });
  const mk = await r.json();
  assert.equal(r.status, 200, JSON.stringify(mk));
  const cs = await Promise.all(Array.from({ length: 12 }, () => h.connect(s2, null, { protocol: 'examd.live.v1' })));
  t.after(() => Promise.all(cs.map((c) => c.kill())));
  // all at once: none has come back from the writer when the next arrives
  const ids = cs.map((c, i) => c.send('live_join', { code: mk.code, name: `Người ${i + 1}` }));
  const replies = await Promise.all(cs.map((c, i) => c.reply(ids[i])));
  const welcomed = replies.filter((m) => m.type === 'live_welcome');
  assert.equal(welcomed.length, 5, JSON.stringify(replies.map((m) => m.type)));
  assert.ok(welcomed.every((w) => /^\d+-[0-9a-f]{32}$/.test(w.token)));
  assert.ok(replies.filter((m) => m.type === 'error').every((m) => m.code === 'bad_message'));
  const rows = h.dbQuery(s2.db, `SELECT count(*) AS n FROM live_players WHERE round_id = ${mk.id}`)[0].n;
  assert.equal(rows, 5, 'a stored player without a token');
});

test('the server exits cleanly after it all (a leak or UB fails under the sanitizer build)', async () => {
  await h.stopServerClean(srv);
});
