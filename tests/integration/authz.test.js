// authz.test.js — the authorisation matrix (rule 5). authz-matrix.json says
// who may make each request; this file checks that examd's own table
// (`examd routes`) has exactly those routes, then makes every request as
// every role and checks it is let through or refused as the matrix says,
// then the ownership cases: another candidate's attempt, another trainer's
// class, a class exam seen from outside the class.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as h from './harness.js';

const M = JSON.parse(readFileSync(new URL('./authz-matrix.json', import.meta.url), 'utf8'));
const USERS = { candidate: 'ts01', trainer: 'giangvien', organiser: 'tochuc', admin: 'quantri' };
const NOID = '999999';

let srv;
h.sharedServer((dir) => {
  h.prepareDb(dir);
  const db = join(dir, 'examd.db');
  h.examdCli(db, ['user', 'add', '--username', 'quantri', '--name', 'Quản trị', '--password', 'examd-demo', '--role', 'admin']);
  h.examdCli(db, ['user', 'add', '--username', 'giangvien2', '--name', 'Giảng viên Hai', '--password', 'examd-demo', '--role', 'trainer']);
}, {}, (s) => { srv = s; });

const cookies = {};
async function cookieOf(user) {
  if (!cookies[user]) {
    const r = await h.login(srv, user);
    assert.equal(r.status, 200, `login ${user}: ${JSON.stringify(r.body)}`);
    cookies[user] = r.cookie;
  }
  return cookies[user];
}

async function call(method, path, cookie, body) {
  const headers = { origin: srv.base };
  if (cookie) headers.cookie = cookie;
  if (method === 'POST') headers['content-type'] = 'application/json';
  const r = await fetch(srv.base + path, { method, headers, body: method === 'POST' ? (body ?? '{}') : undefined });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* an export */ }
  return { status: r.status, body: json };
}

test('every route examd answers has a row in the matrix, and every row a route', () => {
  const out = execFileSync(h.EXAMD, ['routes'], { encoding: 'utf8' }).trim().split('\n');
  const http = out.filter((l) => l.startsWith('http ')).map((l) => l.split(' ').slice(1, 3).join(' '));
  const ws = out.filter((l) => l.startsWith('ws ')).map((l) => l.split(' ')[1]);
  assert.deepEqual([...http].sort(), Object.keys(M.http).sort(), 'HTTP routes and matrix rows differ');
  assert.deepEqual([...ws].sort(), Object.keys(M.ws).sort(), 'WebSocket messages and matrix rows differ');
});

for (const [route, allow] of Object.entries(M.http)) {
  test(`HTTP ${route}: ${allow.join(', ')}`, async () => {
    const [method, pattern] = route.split(' ');
    const path = pattern.replaceAll('{id}', NOID);
    for (const role of M.roles) {
      // a logout ends the session it is sent with: give it its own
      const cookie = role === 'anonymous' ? null
        : route === 'POST /api/logout' ? (await h.login(srv, USERS[role])).cookie : await cookieOf(USERS[role]);
      const r = await call(method, path, cookie);
      const why = `${role} ${route} -> ${r.status} ${JSON.stringify(r.body)}`;
      if (allow.includes(role)) {
        assert.ok(r.status !== 401 && r.status !== 403, `should pass: ${why}`);
      } else {
        assert.equal(r.status, role === 'anonymous' ? 401 : 403, `should be refused: ${why}`);
      }
    }
  });
}

const WS_FIELDS = {
  hello: {},
  start: { exam: Number(NOID) },
  answer: { attempt: Number(NOID), q: 1, choice: [0], flag: false, seq: 1 },
  submit: { attempt: Number(NOID) },
  result: { attempt: Number(NOID) },
  predict: { attempt: Number(NOID), prediction: 5 }, // contest rounds
  live_lookup: { code: NOID },
  live_join: { code: NOID, name: 'Người chơi' },
  live_resume: { token: `1-${'0'.repeat(32)}` },
  live_answer: { q: 0, choice: [0] },
  live_watch: { round: Number(NOID) },
  monitor: { exam: Number(NOID) },
  unmonitor: {},
};

test('WebSocket: nobody logged in cannot connect (closed before upgrading, docs/protocol.md §2)', async () => {
  await assert.rejects(h.connect(srv, null));
});

for (const [type, allow] of Object.entries(M.ws)) {
  test(`WebSocket ${type}: ${allow.join(', ')}`, async (t) => {
    assert.ok(WS_FIELDS[type], `no request fields for ${type} in this test`);
    for (const role of M.roles) {
      // anonymous: the live subprotocol admits connections without a session
      const c = role === 'anonymous' ? await h.connect(srv, null, { protocol: 'examd.live.v1' })
        : await h.connect(srv, await cookieOf(USERS[role]));
      t.after(() => c.kill());
      const r = await c.request(type, WS_FIELDS[type]);
      const why = `${role} ${type} -> ${JSON.stringify(r)}`;
      if (allow.includes(role)) assert.ok(!(r.type === 'error' && r.code === 'forbidden'), `should pass: ${why}`);
      else assert.deepEqual([r.type, r.code], ['error', 'forbidden'], `should be refused: ${why}`);
      c.kill();
    }
  });
}

test("another candidate's attempt: no answer, submit, result or paper for them", async (t) => {
  const a = await h.openFor(t, srv, 'ts03');
  const p = await a.request('start', { exam: 1 });
  assert.equal(p.type, 'paper');
  const b = await h.openFor(t, srv, 'ts04');
  const q = p.questions[0].q;
  for (const [type, f] of [['answer', { attempt: p.attempt, q, choice: [0], flag: false, seq: 1 }],
    ['submit', { attempt: p.attempt }], ['result', { attempt: p.attempt }], ['start', { exam: 1, attempt: p.attempt }]]) {
    const r = await b.request(type, f);
    assert.equal(r.type, 'error', `${type}: ${JSON.stringify(r)}`);
    assert.ok(['forbidden', 'not_found'].includes(r.code), `${type}: ${JSON.stringify(r)}`);
  }
  // the owner's attempt is untouched: no answer was saved by the other
  const mine = await a.request('answer', { attempt: p.attempt, q, choice: [1], flag: false, seq: 1 });
  assert.equal(mine.type, 'ack', JSON.stringify(mine));
});

test("another trainer's class: refused everywhere, and its exam is hidden from outsiders", async (t) => {
  const mk = await call('POST', '/api/staff/classes', await cookieOf('giangvien'),
    JSON.stringify({ name: 'Lớp bồi dưỡng nhận thức về Đảng, khóa 9/2026' }));
  assert.equal(mk.status, 200, JSON.stringify(mk.body));
  const id = mk.body.id;
  const other = await cookieOf('giangvien2');
  for (const [method, path, body] of [['GET', `/api/staff/classes/${id}`], ['GET', `/api/staff/classes/${id}/slips?base=${srv.base}`],
    ['POST', `/api/staff/classes/${id}/roster?dry_run=1`, 'họ và tên,ngày sinh\nNguyễn Văn Tư,01/01/1990\n'],
    ['POST', `/api/staff/classes/${id}/members/1/reset`]]) {
    const r = await call(method, path, other, body);
    assert.equal(r.status, 403, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  const pubOther = await call('POST', '/api/staff/exams', other,
    JSON.stringify({ title: 'X', bank: 1, class: id, duration_s: 60, blueprint: [{ topic: null, difficulty: null, count: 1 }] }));
  assert.equal(pubOther.status, 403, JSON.stringify(pubOther.body));
  const lst = await call('GET', '/api/staff/classes', other);
  assert.ok(!lst.body.classes.some((c) => c.id === id), 'the other trainer lists the class');
  // the owner publishes a class exam: candidates outside the (empty) class do not see it
  const pub = await call('POST', '/api/staff/exams', await cookieOf('giangvien'),
    JSON.stringify({ title: 'Kiểm tra lớp 9', bank: 1, class: id, duration_s: 60, blueprint: [{ topic: null, difficulty: null, count: 1 }] }));
  assert.equal(pub.status, 200, JSON.stringify(pub.body));
  const c = await h.openFor(t, srv, 'ts05');
  const hi = await c.request('hello');
  assert.ok(!hi.exams.some((e) => e.id === pub.body.id), 'an outsider sees the class exam');
  const st = await c.request('start', { exam: pub.body.id });
  assert.deepEqual([st.type, st.code], ['error', 'not_found'], JSON.stringify(st));
});
