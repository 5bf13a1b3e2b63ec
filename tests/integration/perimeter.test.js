// perimeter.test.js — the defences at the edge (docs/security.md "HTTP
// headers", "Limits", "One device per attempt", "Training-room exams"):
// security headers on every HTTP response, the per-connection message
// rate, the idle ping, WebSockets per address, header size caps, one
// active connection per attempt, exams restricted to address ranges.
// Waits are on events (frames, pings, closes); the idle timeout is made
// short (--idle-s 1 --pong-s 1) so that it happens within the test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import * as h from './harness.js';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; "
  + "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

let srv; // default limits, short idle timeout
let proxied; // --trust-proxy --max-conns-per-ip 3
let capped; // --max-conns-per-ip 3 --cap-loopback --worker-queue 2

async function start(args) {
  const dir = h.tempDir();
  try {
    h.prepareDb(dir);
    return await h.startServer({ dir, demo: false, args: ['--quiet', ...args] });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

before(async () => {
  [srv, proxied, capped] = await Promise.all([
    start(['--idle-s', '1', '--pong-s', '1']),
    start(['--trust-proxy', '--max-conns-per-ip', '3']),
    start(['--max-conns-per-ip', '3', '--cap-loopback', '--worker-queue', '2']),
  ]);
});

after(async () => {
  for (const s of [srv, proxied, capped]) {
    if (!s) continue;
    await h.stopServer(s);
    h.cleanup(s);
  }
});

// A staff request as the demo organiser: { status, body }.
const staffCookies = new Map();
async function staff(s, method, path, body) {
  if (!staffCookies.has(s)) staffCookies.set(s, (await h.login(s, 'tochuc')).cookie);
  const r = await fetch(`${s.base}${path}`, {
    method,
    headers: { origin: s.base, cookie: staffCookies.get(s), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: await r.json() };
}

// Publish an exam of 5 questions restricted to ranges; returns its id.
async function publish(s, title, ranges) {
  const banks = (await staff(s, 'GET', '/api/staff/banks')).body.banks;
  const bank = banks.find((b) => b.name === 'dang-va-bac-ho').id;
  const r = await staff(s, 'POST', '/api/staff/exams',
    { title, bank, duration_s: 600, blueprint: [{ count: 5 }], ip_ranges: ranges });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.id ?? r.body.exam?.id;
}

// ---- HTTP headers ----

function assertHeaders(r, what) {
  assert.equal(r.headers.get('content-security-policy'), CSP, what);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff', what);
  assert.equal(r.headers.get('referrer-policy'), 'no-referrer', what);
  assert.equal(r.headers.get('x-frame-options'), 'DENY', what);
}

test('every HTTP response carries the security headers: static files, API replies, errors', async () => {
  const l = await h.login(srv, 'ts01');
  for (const [path, status] of [['/', 200], ['/index.html', 200], ['/js/main.js', 200],
    ['/css/app.css', 200], ['/staff.html', 200], ['/nope.js', 404]]) {
    const r = await fetch(srv.base + path);
    assert.equal(r.status, status, path);
    assertHeaders(r, path);
    await r.arrayBuffer();
  }
  const anon = await fetch(`${srv.base}/api/session`);
  assert.equal(anon.status, 401);
  assertHeaders(anon, '/api/session 401');
  const me = await fetch(`${srv.base}/api/session`, { headers: { cookie: l.cookie } });
  assert.equal(me.status, 200);
  assertHeaders(me, '/api/session 200');
  const post = await fetch(`${srv.base}/api/login`, { method: 'POST', body: '{}' });
  assert.equal(post.status, 400);
  assertHeaders(post, 'POST /api/login 400');
  const banks = await fetch(`${srv.base}/api/staff/banks`, {
    headers: { cookie: (await h.login(srv, 'tochuc')).cookie },
  });
  assert.equal(banks.status, 200);
  assertHeaders(banks, '/api/staff/banks');
});

// Send raw bytes over TCP; resolves with everything the server sent
// before it closed (or ended the reply: Connection: close).
function rawHttp(port, text) {
  return new Promise((res, rej) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    s.on('data', (d) => { got += d; });
    s.on('error', (e) => (e.code === 'ECONNRESET' ? res(got) : rej(e)));
    s.on('close', () => res(got));
    s.write(text);
  });
}

test('headers over 4 KiB are refused unanswered; 3 KiB of headers are served', async () => {
  const req = (pad) => `GET /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: ${'a'.repeat(pad)}\r\nConnection: close\r\n\r\n`;
  const small = await rawHttp(srv.port, req(3000));
  assert.match(small, /^HTTP\/1\.1 401/, small.slice(0, 100));
  const big = await rawHttp(srv.port, req(8000));
  assert.doesNotMatch(big, /^HTTP\/1\.1 [23]\d\d/, `an oversized request was served: ${big.slice(0, 100)}`);
  // The WebSocket upgrade too: a huge cookie never opens a socket.
  const l = await h.login(srv, 'ts01');
  await assert.rejects(h.connect(srv, `${l.cookie}; pad=${'b'.repeat(8000)}`));
  const ok = await h.connect(srv, l.cookie);
  ok.kill();
});

// ---- message rate ----

// Send n raw frames at once; resolves with the replies once every one
// has its reply (an error each here), or rejects if the socket closes.
async function burst(c, n, make) {
  const from = c.frames.length;
  const ids = [];
  for (let i = 0; i < n; i++) {
    const id = `b${from}-${i}`;
    ids.push(id);
    c.sendRaw(make(id, i));
  }
  const last = ids[ids.length - 1];
  await c.waitFor((m) => m.id === last, { fromIndex: from });
  const byId = new Map(c.messages().slice(from).filter((m) => m && m.id != null).map((m) => [m.id, m]));
  return ids.map((id) => byId.get(id));
}

test('a flood past the burst gets rate_limited for each message over the limit, and is not processed', async (t) => {
  const c = await h.openFor(t, srv, 'ts02');
  const replies = await burst(c, 300, (id) => JSON.stringify({ type: 'nope', id }));
  const codes = replies.map((m) => m && m.code);
  const limited = codes.filter((x) => x === 'rate_limited').length;
  const served = codes.filter((x) => x === 'unknown_type').length;
  assert.equal(limited + served, 300, JSON.stringify(codes.filter((x) => x !== 'rate_limited' && x !== 'unknown_type')));
  assert.ok(served >= 250 && served < 270, `served ${served}: the burst (250) and what refilled meanwhile`);
  assert.ok(limited >= 30, `limited ${limited}`);
  // The refused ones are the last ones, each named by its id.
  assert.equal(codes.indexOf('rate_limited') >= 250, true);
  const m = replies.find((x) => x.code === 'rate_limited');
  assert.match(m.message, /quá nhiều.*\/ too many messages/);
  assert.equal(c.closeInfo, null, 'a burst of 2 x the limit at most is not closed');
});

test('a reconnect resending a full outbox of 200 answers passes; an abusive flood is closed 1008 while others are acked', async (t) => {
  // ts03 answers 200 times (changes over the 20 questions), then
  // reconnects and resends all 200: hello, start, 200 answers at once.
  const c1 = await h.openFor(t, srv, 'ts03');
  const p = await c1.request('start', { exam: 1 });
  assert.equal(p.type, 'paper');
  const answers = Array.from({ length: 200 }, (_, i) => {
    const q = p.questions[i % p.questions.length];
    return { attempt: p.attempt, q: q.q, choice: [i % q.options.length], seq: i + 1 };
  });
  const first = await burst(c1, 200, (id, i) => JSON.stringify({ type: 'answer', id, ...answers[i] }));
  assert.deepEqual([...new Set(first.map((m) => m.type))], ['ack']);
  c1.kill();
  const c2 = await h.connect(srv, c1.cookie);
  t.after(() => c2.kill());
  assert.equal((await c2.request('hello')).type, 'hello');
  const r = await c2.request('start', { exam: 1, attempt: p.attempt });
  assert.equal(r.last_seq, 200);
  const again = await burst(c2, 200, (id, i) => JSON.stringify({ type: 'answer', id, ...answers[i] }));
  assert.deepEqual(again.map((m) => m.type + ':' + m.seq), answers.map((a) => 'ack:' + a.seq));

  // An abusive flood: closed with 1008 "too many messages" ...
  const f = await h.openFor(t, srv, 'ts04');
  for (let i = 0; i < 3000; i++) f.sendRaw(JSON.stringify({ type: 'nope', id: i }));
  const closed = await f.closed;
  assert.deepEqual([closed.code, closed.reason], [1008, 'too many messages']);
  assert.ok(f.messages().filter((m) => m?.code === 'unknown_type').length <= 260);
  // ... while another candidate on the same server is served as usual.
  const q = p.questions[0];
  const a = await c2.request('answer', { attempt: p.attempt, q: q.q, choice: [0], seq: 201 });
  assert.deepEqual([a.type, a.seq], ['ack', 201]);
});

// ---- idle ----

test('idle: a connection that answers pings stays; one that never answers is closed 1001', async (t) => {
  const l = await h.login(srv, 'ts05');
  const live = await h.connect(srv, l.cookie);
  t.after(() => live.kill());
  const dead = await h.connect(srv, l.cookie, { autoPong: false });
  t.after(() => dead.kill());
  const pings = (c, n) => new Promise((res) => {
    let k = 0;
    c.ws.on('ping', () => { if (++k === n) res(); });
  });
  const deadPinged = pings(dead, 1);
  const liveTwice = pings(live, 2);
  await deadPinged;
  const closed = await dead.closed;
  assert.deepEqual([closed.code, closed.reason], [1001, 'idle: no answer to ping']);
  // The live one was pinged, answered, and pinged again after another
  // silence instead of being closed.
  await liveTwice;
  assert.equal(live.closeInfo, null);
  assert.equal((await live.request('hello')).type, 'hello');
});

// ---- connections per address ----

const XFF = (ip) => ({ headers: { 'x-forwarded-for': `198.51.100.1, ${ip}` } });

test('per address: the 4th WebSocket from one address is closed 1013; another address and loopback are not capped', async (t) => {
  const l = await h.login(proxied, 'ts01');
  const open = async (opts) => {
    const c = await h.connect(proxied, l.cookie, opts);
    t.after(() => c.kill());
    return c;
  };
  const three = [];
  for (let i = 0; i < 3; i++) three.push(await open(XFF('203.0.113.7')));
  for (const c of three) assert.equal((await c.request('hello')).type, 'hello');
  const fourth = await open(XFF('203.0.113.7'));
  const closed = await fourth.closed;
  assert.deepEqual([closed.code, closed.reason], [1013, 'too many connections from this address']);
  // Another address (the last X-Forwarded-For entry counts, not the first).
  const other = await open(XFF('203.0.113.8'));
  assert.equal((await other.request('hello')).type, 'hello');
  // Loopback is exempt by default: a reverse proxy on the same host.
  const local = [];
  for (let i = 0; i < 5; i++) local.push(await open());
  for (const c of local) assert.equal((await c.request('hello')).type, 'hello');
  for (const c of three) assert.equal(c.closeInfo, null);
});

test('per address with --cap-loopback: the 4th loopback WebSocket is closed 1013', async (t) => {
  const l = await h.login(capped, 'ts01');
  const cs = [];
  for (let i = 0; i < 4; i++) {
    const c = await h.connect(capped, l.cookie);
    t.after(() => c.kill());
    cs.push(c);
  }
  assert.equal((await cs[3].closed).code, 1013);
  for (const c of cs.slice(0, 3)) assert.equal((await c.request('hello')).type, 'hello');
});

test('a login storm past --worker-queue gets 503 busy at once, the rest are answered, and logins work after it', async () => {
  const storm = await Promise.all(Array.from({ length: 24 }, () => h.login(capped, 'khongcoai', 'sai-mat-khau')));
  const busy = storm.filter((r) => r.status === 503);
  const answered = storm.filter((r) => r.status !== 503);
  assert.ok(busy.length > 0, `some turned away: ${storm.map((r) => r.status).join(' ')}`);
  assert.ok(answered.length >= 3, `the running and the queued are answered: ${storm.map((r) => r.status).join(' ')}`);
  for (const r of busy) {
    assert.equal(r.body.code, 'busy');
    assert.match(r.body.message, /thử lại.*retry/);
  }
  for (const r of answered) assert.equal(r.status, 401);
  const ok = await h.login(capped, 'ts02');
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
});

// ---- one active connection per attempt ----

test('take-over: a second device resuming the attempt closes the first (taken_over, 4001); a listing tab is untouched', async (t) => {
  const c1 = await h.openFor(t, srv, 'ts06');
  const lister = await h.againFor(t, srv, c1);
  const p = await c1.request('start', { exam: 1 });
  assert.equal(p.type, 'paper');
  const q = p.questions;
  assert.equal((await c1.request('answer', { attempt: p.attempt, q: q[0].q, choice: [0], seq: 1 })).type, 'ack');
  const hi = await lister.request('hello');
  assert.equal(hi.exams.find((e) => e.id === 1).running.attempt, p.attempt);

  const c2 = await h.againFor(t, srv, c1);
  const taken = c1.waitFor((m) => m.type === 'taken_over');
  const r = await c2.request('start', { exam: 1, attempt: p.attempt });
  assert.deepEqual([r.type, r.resumed], ['paper', true]);
  assert.deepEqual(await taken, { type: 'taken_over', attempt: p.attempt });
  // The first connection's answers after the take-over are not processed.
  try { c1.sendRaw(JSON.stringify({ type: 'answer', id: 'late', attempt: p.attempt, q: q[1].q, choice: [1], seq: 2 })); } catch { /* closing */ }
  const closed = await c1.closed;
  assert.deepEqual([closed.code, closed.reason], [4001, 'attempt opened elsewhere']);
  assert.equal(c1.messages().some((m) => m?.id === 'late'), false);

  // The second carries on; the late answer was never saved.
  const a = await c2.request('answer', { attempt: p.attempt, q: q[2].q, choice: [0], seq: 3 });
  assert.deepEqual([a.type, a.seq], ['ack', 3]);
  const c3 = await h.againFor(t, srv, c1);
  const back = await c3.request('start', { exam: 1, attempt: p.attempt });
  assert.deepEqual(back.answers.map((x) => x.q).sort(), [q[0].q, q[2].q].sort());
  assert.equal((await c2.closed).code, 4001, 'taking it back works the same way');
  // The tab that only listed the attempt is still open and served.
  assert.equal(lister.closeInfo, null);
  assert.equal((await lister.request('hello')).type, 'hello');
  if (h.hasSqlite3()) {
    const rows = h.dbQuery(srv.db, `SELECT seq FROM answers WHERE attempt_id = ${p.attempt} ORDER BY seq`);
    assert.deepEqual(rows.map((x) => x.seq), [1, 3]);
  }
});

// ---- training-room exams ----

test('ip_ranges are validated: a bad CIDR is named', async () => {
  const banks = (await staff(srv, 'GET', '/api/staff/banks')).body.banks;
  const bank = banks.find((b) => b.name === 'dang-va-bac-ho').id;
  const spec = (ip_ranges) => ({ title: 'Phòng máy', bank, duration_s: 600, blueprint: [{ count: 5 }], ip_ranges });
  for (const bad of ['10.1.0.0/8', '10.0.0.0/33', 'phòng 3', '2001:db8::/129', '']) {
    const r = await staff(srv, 'POST', '/api/staff/exams', spec(['192.168.0.0/16', bad]));
    assert.equal(r.status, 400, bad);
    assert.equal(r.body.field, 'ip_ranges');
    assert.ok(r.body.message.includes(`"${bad}"`), r.body.message);
    assert.ok(r.body.en.includes('is not a valid CIDR range'), r.body.en);
  }
  for (const bad of ['10.0.0.0/8', [1], Array(65).fill('10.0.0.0/8')]) {
    const r = await staff(srv, 'POST', '/api/staff/exams', spec(bad));
    assert.deepEqual([r.status, r.body.field], [400, 'ip_ranges'], JSON.stringify(bad).slice(0, 50));
  }
});

test('examd exam add --ip-ranges: ranges kept canonical in the snapshot; a bad CIDR is named and nothing is published', () => {
  const dir = h.tempDir();
  try {
    h.prepareDb(dir);
    const db = join(dir, 'examd.db');
    const id = Number(h.examdCli(db, ['exam', 'add', '--title', 'Phòng máy CLI', '--bank', 'dang-va-bac-ho',
      '--questions', '5', '--ip-ranges', '10.1.2.0/24, 2001:DB8::/64']).trim());
    assert.ok(id > 0);
    const snap = JSON.parse(h.dbQuery(db, `SELECT snapshot FROM exams WHERE id = ${id}`)[0].snapshot);
    assert.deepEqual(snap.ip_ranges, ['10.1.2.0/24', '2001:db8::/64']);
    const before = h.dbQuery(db, 'SELECT count(*) AS n FROM exams')[0].n;
    for (const bad of ['10.1.0.0/8', '10.0.0.0/24,phòng 3']) {
      const r = spawnSync(h.EXAMD, ['exam', 'add', '--title', 'X', '--bank', 'dang-va-bac-ho',
        '--questions', '5', '--ip-ranges', bad, '--db', db], { encoding: 'utf8' });
      assert.equal(r.status, 1, bad);
      assert.match(r.stderr, /is not a valid CIDR range/, r.stderr);
    }
    assert.equal(h.dbQuery(db, 'SELECT count(*) AS n FROM exams')[0].n, before, 'nothing published');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('training room: start from outside the ranges is refused with forbidden_network; inside is allowed', async (t) => {
  const room = await publish(srv, 'Phòng máy 10/8', ['10.0.0.0/8']);
  const local = await publish(srv, 'Phòng máy loopback', ['2001:db8::/32', '127.0.0.0/8']);
  const c = await h.openFor(t, srv, 'ts07');
  const hi = await c.request('hello');
  const byId = new Map(hi.exams.map((e) => [e.id, e]));
  assert.equal(byId.get(room).restricted, true, 'listed, with the reason');
  assert.equal(byId.get(local).restricted, false);
  assert.equal(byId.get(1).restricted, false);
  const no = await c.request('start', { exam: room });
  assert.deepEqual([no.type, no.code], ['error', 'forbidden_network']);
  assert.match(no.message, /phòng thi.*\/ .*exam room's network/);
  const yes = await c.request('start', { exam: local });
  assert.equal(yes.type, 'paper', JSON.stringify(yes));
  const a = await c.request('answer', { attempt: yes.attempt, q: yes.questions[0].q, choice: [0], seq: 1 });
  assert.equal(a.type, 'ack');
  if (h.hasSqlite3()) {
    const rows = h.dbQuery(srv.db, `SELECT count(*) AS n FROM attempts WHERE exam_id = ${room}`);
    assert.equal(rows[0].n, 0, 'the refused start created nothing');
  }
});

test('training room behind a trusted proxy: the forwarded address decides, IPv4 and IPv6; an answer from outside is refused', async (t) => {
  const room = await publish(proxied, 'Phòng máy 10/8 + 2001:db8::/32', ['10.0.0.0/8', '2001:db8::/32']);
  const l = await h.login(proxied, 'ts08');
  const open = async (ip) => {
    const c = await h.connect(proxied, l.cookie, XFF(ip));
    t.after(() => c.kill());
    return c;
  };
  const outside = await open('192.0.2.10');
  assert.equal((await outside.request('hello')).exams.find((e) => e.id === room).restricted, true);
  assert.equal((await outside.request('start', { exam: room })).code, 'forbidden_network');
  const v6 = await open('2001:db8:1::5');
  assert.equal((await v6.request('hello')).exams.find((e) => e.id === room).restricted, false);
  const inside = await open('10.20.30.40');
  const p = await inside.request('start', { exam: room });
  assert.equal(p.type, 'paper', JSON.stringify(p));
  // The attempt was started in the room: an answer from outside is not.
  const q = p.questions[0];
  const no = await outside.request('answer', { attempt: p.attempt, q: q.q, choice: [0], seq: 1 });
  assert.equal(no.code, 'forbidden_network');
  const yes = await inside.request('answer', { attempt: p.attempt, q: q.q, choice: [0], seq: 2 });
  assert.equal(yes.type, 'ack');
});
