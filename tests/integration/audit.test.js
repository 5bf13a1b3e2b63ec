// audit.test.js — the audit log through the staff API (docs/staff-api.md,
// "Audit log"): GET /api/staff/audit lists entries newest first, paged and
// filtered by action, with a login and an import among them;
// GET /api/staff/audit/verify answers intact with the head hash that
// "examd audit verify" prints, and after a row is edited with sqlite3
// names that entry; the users list pages and filters; only admins get in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as h from './harness.js';

const ADMIN = 'quantri';
const ADMIN_PW = 'quantri-mat-khau';

let srv;
h.sharedServer((dir) => {
  h.prepareDb(dir);
  h.examdCli(join(dir, 'examd.db'), ['user', 'add', '--username', ADMIN, '--name', 'Quản trị hệ thống',
    '--password', ADMIN_PW, '--role', 'admin']);
}, {}, (s) => { srv = s; });

const cookies = {};
async function get(path, user = ADMIN) {
  if (!cookies[user]) {
    const r = await h.login(srv, user, user === ADMIN ? ADMIN_PW : 'examd-demo');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    cookies[user] = r.cookie;
  }
  const r = await fetch(srv.base + path, { headers: { cookie: cookies[user], origin: srv.base } });
  return { status: r.status, body: await r.json() };
}

test('only an admin reads the audit log or verifies it', async () => {
  for (const user of ['ts01', 'giangvien', 'tochuc']) {
    assert.equal((await get('/api/staff/audit', user)).status, 403, user);
    assert.equal((await get('/api/staff/audit/verify', user)).status, 403, user);
  }
  const anon = await fetch(srv.base + '/api/staff/audit');
  assert.equal(anon.status, 401);
});

test('a login and an import appear newest first; pages and the action filter', async () => {
  const gift = '::a1:: Đảng Cộng sản Việt Nam được thành lập năm nào? {=1930 ~1945 ~1954 ~1975}\n';
  await get('/api/staff/audit'); // the admin's login comes before the import
  await get('/api/staff/banks', 'giangvien');
  const imp = await fetch(`${srv.base}/api/staff/import?bank=audit-ui&title=Audit`, {
    method: 'POST', body: gift, headers: { cookie: cookies.giangvien, origin: srv.base, 'content-type': 'application/octet-stream' } });
  assert.equal(imp.status, 200);

  const all = await get('/api/staff/audit?limit=200');
  assert.equal(all.status, 200);
  const { entries, total, actions } = all.body;
  assert.equal(entries.length, total);
  assert.deepEqual(entries.map((e) => e.id), entries.map((e) => e.id).sort((a, b) => b - a), 'newest first');
  const newest = entries[0];
  assert.equal(newest.action, 'bank.import');
  assert.equal(newest.actor, 'giangvien');
  assert.ok(newest.ip.includes('127.0.0.1'));
  assert.equal(newest.detail.bank, 'audit-ui', 'detail is JSON again');
  assert.equal(typeof newest.at_ms, 'number');
  const login = entries.find((e) => e.action === 'login' && e.actor === 'giangvien');
  assert.deepEqual(login.detail, { rehashed: false, user: 'giangvien' });
  const cli = entries.find((e) => e.action === 'user.add');
  assert.equal(cli.actor, null, 'the CLI acts as nobody');
  assert.equal(cli.detail.via, 'cli');
  for (const a of ['bank.import', 'login', 'user.add']) assert.ok(actions.includes(a), a);
  assert.deepEqual(actions, [...actions].sort());

  // a page of two from the second entry
  const p = await get('/api/staff/audit?offset=1&limit=2');
  assert.deepEqual(p.body.entries.map((e) => e.id), [entries[1].id, entries[2].id]);
  assert.equal(p.body.total, total);
  // "login" takes login and login.fail; "login.fail" only itself
  await h.login(srv, 'ts01', 'wrong-password');
  const lg = await get('/api/staff/audit?action=login');
  assert.ok(lg.body.entries.length >= 3);
  assert.ok(lg.body.entries.every((e) => e.action === 'login' || e.action === 'login.fail'));
  assert.ok(lg.body.entries.some((e) => e.action === 'login.fail'));
  const lf = await get('/api/staff/audit?action=login.fail');
  assert.ok(lf.body.entries.every((e) => e.action === 'login.fail'));
  assert.equal((await get('/api/staff/audit?action=nothing')).body.total, 0);
  for (const bad of ['limit=0', 'limit=201', 'offset=-1', 'limit=x'])
    assert.equal((await get(`/api/staff/audit?${bad}`)).status, 400, bad);
});

test('the users list pages and filters by role and an accent-insensitive search', async () => {
  const all = await get('/api/staff/users');
  const staff = await get('/api/staff/users?role=staff');
  assert.deepEqual(staff.body.users.map((u) => u.username), ['giangvien', 'tochuc', ADMIN]);
  assert.equal(staff.body.total, 3);
  const cand = await get('/api/staff/users?role=candidate&offset=2&limit=3');
  assert.equal(cand.body.total, all.body.users.filter((u) => u.role === 'candidate').length);
  assert.deepEqual(cand.body.users.map((u) => u.username), ['ts03', 'ts04', 'ts05']);
  const q = await get('/api/staff/users?q=' + encodeURIComponent('NGUYEN van'));
  assert.ok(q.body.users.length >= 1);
  assert.ok(q.body.users.every((u) => /nguy[eễ]n v[aă]n/i.test(u.name)), JSON.stringify(q.body.users));
  assert.equal((await get('/api/staff/users?q=ts01')).body.users[0].username, 'ts01');
  assert.equal((await get('/api/staff/users?role=king')).status, 400);
  assert.equal((await get('/api/staff/users?limit=501')).status, 400);
});

test('verify: intact with the CLI\'s head hash; after an edit with sqlite3 it names the entry', async (t) => {
  if (!h.hasSqlite3()) return t.skip('no sqlite3 shell');
  const ok = await get('/api/staff/audit/verify');
  assert.equal(ok.status, 200);
  assert.equal(ok.body.intact, true);
  const cli = spawnSync(h.EXAMD, ['audit', 'verify', '--db', srv.db], { encoding: 'utf8' });
  assert.equal(cli.stdout.trim(), `ok: ${ok.body.entries} entries, head ${ok.body.head}`);

  const im = (await get('/api/staff/audit?action=bank.import')).body.entries.find((e) => e.actor === 'giangvien');
  spawnSync('sqlite3', [srv.db, `UPDATE audit SET detail=replace(detail, 'audit-ui', 'other') WHERE id=${im.id}`]);
  const bad = await get('/api/staff/audit/verify');
  assert.equal(bad.status, 200);
  assert.equal(bad.body.intact, false);
  assert.equal(bad.body.bad_id, im.id);
  assert.equal(bad.body.entries, im.id - 1);
  assert.match(bad.body.message, new RegExp(`entry ${im.id} was edited`));
  assert.match(bad.body.message, new RegExp(`mục ${im.id} đã bị sửa`));
});
