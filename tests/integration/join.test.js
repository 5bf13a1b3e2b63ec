// join.test.js — joining a contest with a code or link (docs/protocol.md
// "Joining with a code", docs/staff-api.md "Join codes", docs/security.md
// "Join codes"): organisers and admins make codes, a participant joins with
// one and gets a session that sees and starts the exam, wrong / expired /
// revoked codes create nothing, the same person rejoining gets the same
// account, bad fields are named, wrong codes are throttled per address,
// and no code is ever stored in plain text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as h from './harness.js';

let srv;
h.sharedServer((dir) => {
  h.prepareDb(dir, { exams: [{ title: 'Hội thi tìm hiểu pháp luật', questions: 5, duration: 600 }] });
  h.examdCli(join(dir, 'examd.db'), ['user', 'add', '--username', 'quantri', '--name', 'Quản trị', '--password', 'examd-demo', '--role', 'admin']);
}, {}, (s) => { srv = s; });

const EXAM = 2; // demo exam 1, then ours
const cookies = {};
async function cookieOf(user) {
  if (!cookies[user]) cookies[user] = (await h.login(srv, user)).cookie;
  return cookies[user];
}

async function call(method, path, cookie, body) {
  const headers = { origin: srv.base };
  if (cookie) headers.cookie = cookie;
  if (method === 'POST') headers['content-type'] = 'application/json';
  const r = await fetch(srv.base + path, { method, headers, body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined });
  const set = r.headers.get('set-cookie') || '';
  const m = set.match(/examd_session=([0-9a-f]{64})/);
  return { status: r.status, body: await r.json(), cookie: m ? `examd_session=${m[1]}` : null };
}

const codes = (body, who = 'tochuc') => cookieOf(who).then((c) => call('POST', `/api/staff/exams/${EXAM}/codes`, c, body));
const joinWith = (body) => call('POST', '/api/join', null, body);
const person = (code, extra = {}) => ({ code, full_name: 'Nguyễn Thị Lan', birth_date: '02/09/1990', ...extra });
const users = () => h.dbQuery(srv.db, 'SELECT count(*) AS n FROM users')[0].n;

let units;
test('set-up: a unit tree (organiser)', async () => {
  const c = await cookieOf('tochuc');
  const root = await call('POST', '/api/staff/units', c, { name: 'Công đoàn Khu công nghiệp' });
  const a = await call('POST', '/api/staff/units', c, { name: 'Công ty May 10', parent: root.body.id });
  const b = await call('POST', '/api/staff/units', c, { name: 'Công ty Điện tử Hòa Bình', parent: root.body.id });
  const other = await call('POST', '/api/staff/units', c, { name: 'Phường Đông Ngạc' });
  for (const r of [root, a, b, other]) assert.equal(r.status, 200, JSON.stringify(r.body));
  units = { root: root.body.id, a: a.body.id, b: b.body.id, other: other.body.id };
});

test('codes: organisers and admins make them, trainers and candidates may not; 16 characters, shown once with links and QR codes', async () => {
  const r = await codes({ count: 3, base: srv.base });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.codes.length, 3);
  for (const c of r.body.codes) {
    assert.match(c.code, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    assert.equal(c.link, `${srv.base}/?join=${c.code}`);
    assert.match(c.qr, /^<svg /);
  }
  assert.equal(new Set(r.body.codes.map((c) => c.code)).size, 3);
  const adm = await codes({ count: 1 }, 'quantri');
  assert.equal(adm.status, 200, JSON.stringify(adm.body));
  assert.equal(adm.body.codes[0].link, undefined, 'no base, no link');
  for (const who of ['giangvien', 'ts01']) {
    const x = await codes({ count: 1 }, who);
    assert.equal(x.status, 403, `${who}: ${JSON.stringify(x.body)}`);
  }
  const list = await call('GET', `/api/staff/exams/${EXAM}/codes`, await cookieOf('tochuc'));
  assert.equal(list.status, 200);
  assert.equal(list.body.codes.created, 4);
  assert.ok(!JSON.stringify(list.body).includes(r.body.codes[0].code.slice(0, 4) + '-'), 'the list shows no code');
});

test('codes: bad requests are named and create nothing', async () => {
  const before = h.dbQuery(srv.db, 'SELECT count(*) AS n FROM join_codes')[0].n;
  for (const [body, field] of [[{}, 'count'], [{ count: 0 }, 'count'], [{ count: 10001 }, 'count'], [{ count: 'x' }, 'count'],
    [{ count: 1, unit: 99999 }, 'unit'], [{ count: 1, expires_ms: 1000 }, 'expires_ms'],
    [{ count: 1, base: 'javascript:alert(1)' }, 'base']]) {
    const r = await codes(body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.body.field, field, JSON.stringify(r.body));
    assert.ok(r.body.vi && r.body.en);
  }
  const none = await call('POST', '/api/staff/exams/999/codes', await cookieOf('tochuc'), { count: 1 });
  assert.equal(none.status, 404);
  assert.equal(h.dbQuery(srv.db, 'SELECT count(*) AS n FROM join_codes')[0].n, before);
});

test('join with a good code: a session cookie, the exam in hello, start works; the code is checked forgivingly', async (t) => {
  const code = (await codes({ count: 1, unit: units.a })).body.codes[0].code;
  const info = await call('GET', `/api/join/units?code=${encodeURIComponent(code)}`);
  assert.equal(info.status, 200, JSON.stringify(info.body));
  assert.equal(info.body.exam.id, EXAM);
  assert.equal(info.body.unit, units.a);
  assert.equal(info.body.unit_required, false);
  const typed = code.toLowerCase().replaceAll('-', ' ');
  const r = await joinWith(person(typed, { phone: '0912 345 678' }));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.ok(r.cookie, 'a session cookie');
  assert.equal(r.body.exam, EXAM);
  assert.equal(r.body.user.role, 'candidate');
  assert.equal(r.body.user.name, 'Nguyễn Thị Lan');
  assert.equal(r.body.rejoined, false);
  const row = h.dbQuery(srv.db, `SELECT unit_id, birth_date, phone, pw_hash FROM users WHERE id=${r.body.user.id}`)[0];
  assert.deepEqual([row.unit_id, row.birth_date, row.phone], [units.a, '1990-09-02', '0912345678']);
  assert.match(row.pw_hash, new RegExp(`^join:${EXAM}:[0-9a-f]{16}$`));
  const c = await h.connect(srv, r.cookie);
  t.after(() => c.kill());
  const hi = await c.request('hello');
  assert.equal(hi.user.id, r.body.user.id);
  assert.ok(hi.exams.some((e) => e.id === EXAM), JSON.stringify(hi.exams));
  const p = await c.request('start', { exam: EXAM });
  assert.equal(p.type, 'paper', JSON.stringify(p));
  // no password ever logs in to a joined account
  const l = await h.login(srv, r.body.user.username, 'join:2:');
  assert.equal(l.status, 401);
});

test('the same person rejoins (another phone, cleared cookies): the same account, and their attempt goes on', async (t) => {
  const code = (await codes({ count: 1, unit: units.b })).body.codes[0].code;
  const first = await joinWith(person(code, { full_name: 'Trần Văn Bình', birth_date: '1985-01-31' }));
  assert.equal(first.status, 200, JSON.stringify(first.body));
  const c1 = await h.connect(srv, first.cookie);
  t.after(() => c1.kill());
  const p = await c1.request('start', { exam: EXAM });
  assert.equal(p.type, 'paper');
  const n = users();
  // typed differently: no diacritics, other case and spacing, other date format
  const again = await joinWith(person(code, { full_name: '  tran van  binh ', birth_date: '31/01/1985' }));
  assert.equal(again.status, 200, JSON.stringify(again.body));
  assert.equal(again.body.user.id, first.body.user.id);
  assert.equal(again.body.rejoined, true);
  assert.notEqual(again.cookie, first.cookie);
  assert.equal(users(), n, 'no new account');
  const c2 = await h.connect(srv, again.cookie);
  t.after(() => c2.kill());
  const hi = await c2.request('hello');
  const ex = hi.exams.find((e) => e.id === EXAM);
  assert.equal(ex.running.attempt, p.attempt, JSON.stringify(ex));
  // another birth date is another person
  const other = await joinWith(person(code, { full_name: 'Trần Văn Bình', birth_date: '1985-02-01' }));
  assert.notEqual(other.body.user.id, first.body.user.id);
});

test('the unit: picked from the code\'s subtree, required when the code has none', async () => {
  const whole = (await codes({ count: 1, unit: units.root })).body.codes[0].code;
  const info = await call('GET', `/api/join/units?code=${whole}`);
  assert.deepEqual(info.body.units.map((u) => u.id).sort(), [units.root, units.a, units.b].sort());
  const ok = await joinWith(person(whole, { full_name: 'Lê Văn Cường', unit: units.b }));
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(h.dbQuery(srv.db, `SELECT unit_id FROM users WHERE id=${ok.body.user.id}`)[0].unit_id, units.b);
  const outside = await joinWith(person(whole, { full_name: 'Lê Văn Dũng', unit: units.other }));
  assert.equal(outside.status, 400);
  assert.equal(outside.body.field, 'unit');
  const open = (await codes({ count: 1 })).body.codes[0].code;
  const all = await call('GET', `/api/join/units?code=${open}`);
  assert.equal(all.body.unit_required, true);
  assert.equal(all.body.units.length, 4);
  const missing = await joinWith(person(open, { full_name: 'Phạm Thị Em' }));
  assert.equal(missing.status, 400);
  assert.equal(missing.body.field, 'unit');
  const picked = await joinWith(person(open, { full_name: 'Phạm Thị Em', unit: units.other }));
  assert.equal(picked.status, 200, JSON.stringify(picked.body));
});

test('bad fields are named (Vietnamese and English) and create nothing', async () => {
  const code = (await codes({ count: 1, unit: units.a })).body.codes[0].code;
  const n = users();
  for (const [body, field] of [
    [{ full_name: 'A', birth_date: '02/09/1990' }, 'code'],
    [{ code, birth_date: '02/09/1990' }, 'full_name'],
    [{ code, full_name: '   ', birth_date: '02/09/1990' }, 'full_name'],
    [{ code, full_name: 'Nguyễn Văn Giang' }, 'birth_date'],
    [{ code, full_name: 'Nguyễn Văn Giang', birth_date: '31/02/1990' }, 'birth_date'],
    [{ code, full_name: 'Nguyễn Văn Giang', birth_date: '02/09/1990', phone: '12345' }, 'phone'],
    [{ code, full_name: 'Nguyễn Văn Giang', birth_date: '02/09/1990', phone: '1912345678' }, 'phone'],
    [{ code, full_name: 'Nguyễn Văn Giang', birth_date: '02/09/1990', unit: 'x' }, 'unit'],
  ]) {
    const r = await joinWith(body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.body.field, field, JSON.stringify(r.body));
    assert.ok(r.body.vi && r.body.en, JSON.stringify(r.body));
    assert.equal(r.cookie, null);
  }
  const notJson = await fetch(srv.base + '/api/join', { method: 'POST', headers: { origin: srv.base }, body: 'nope' });
  assert.equal(notJson.status, 400);
  const foreign = await fetch(srv.base + '/api/join', { method: 'POST', headers: { origin: 'http://evil.example' }, body: JSON.stringify(person(code)) });
  assert.equal(foreign.status, 403);
  assert.equal(users(), n);
});

test('wrong, expired and revoked codes: one answer (bad_code), nothing created', async () => {
  const staff = { tochuc: await cookieOf('tochuc'), giangvien: await cookieOf('giangvien') };
  const n = users();
  const sessions = h.dbQuery(srv.db, 'SELECT count(*) AS n FROM sessions')[0].n;
  const unknown = await joinWith(person('K7QM-4TZP-9XWA-R2HD'));
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.code, 'bad_code');
  assert.ok(unknown.body.vi && unknown.body.en);
  const malformed = await joinWith(person('hello'));
  assert.equal(malformed.body.code, 'bad_code');
  const soon = Date.now() + 1500;
  const exp = (await codes({ count: 1, expires_ms: soon })).body.codes[0].code;
  assert.equal((await call('GET', `/api/join/units?code=${exp}`)).status, 200);
  while (Date.now() <= soon + 50) await h.wallClock(100);
  const expired = await joinWith(person(exp));
  assert.deepEqual([expired.status, expired.body.code], [404, 'bad_code']);
  const rev = (await codes({ count: 1 })).body.codes[0].code;
  const trainer = await call('POST', `/api/staff/exams/${EXAM}/codes/revoke`, staff.giangvien);
  assert.equal(trainer.status, 403);
  const r = await call('POST', `/api/staff/exams/${EXAM}/codes/revoke`, await cookieOf('tochuc'));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.ok(r.body.revoked >= 1);
  const revoked = await joinWith(person(rev));
  assert.deepEqual([revoked.status, revoked.body.code], [404, 'bad_code']);
  assert.equal((await call('GET', `/api/join/units?code=${rev}`)).body.code, 'bad_code');
  for (const x of [unknown, malformed, expired, revoked]) assert.equal(x.cookie, null);
  assert.equal(users(), n);
  assert.equal(h.dbQuery(srv.db, 'SELECT count(*) AS n FROM sessions')[0].n, sessions);
  const list = await call('GET', `/api/staff/exams/${EXAM}/codes`, await cookieOf('tochuc'));
  assert.equal(list.body.codes.active, 0, JSON.stringify(list.body));
  assert.ok(list.body.codes.revoked >= 1 && list.body.codes.used >= 3, JSON.stringify(list.body));
  assert.ok(list.body.joined >= 5, JSON.stringify(list.body));
});

test('no code is in the database (or its files) in plain text', async () => {
  const made = (await codes({ count: 50 })).body.codes.map((c) => c.code);
  const stored = h.dbQuery(srv.db, 'SELECT count(*) AS n FROM join_codes WHERE length(hash) = 32')[0].n;
  assert.ok(stored >= 50);
  const files = readdirSync(srv.dir).map((f) => join(srv.dir, f)).filter((f) => statSync(f).isFile());
  const key = join(srv.dir, 'join.key');
  assert.ok(files.includes(key), 'the key sits beside the database');
  assert.equal(statSync(key).mode & 0o777, 0o600);
  assert.equal(statSync(key).size, 32);
  for (const f of files) {
    const text = readFileSync(f).toString('latin1');
    for (const c of made) {
      assert.ok(!text.includes(c) && !text.includes(c.replaceAll('-', '')), `${c} found in ${f}`);
    }
  }
});

test('wrong codes are throttled per address: past 100, even a good code is refused for a while', async () => {
  const good = (await codes({ count: 1, unit: units.a })).body.codes[0].code;
  let locked = null;
  for (let i = 0; i < 130 && !locked; i++) {
    const r = await joinWith(person('ZZZZ-ZZZZ-ZZZZ-' + String(1000 + i).slice(-4).replace(/[01]/g, '2')));
    if (r.status === 429) locked = r;
    else assert.equal(r.body.code, 'bad_code', JSON.stringify(r.body));
  }
  assert.ok(locked, 'never locked');
  assert.equal(locked.body.code, 'too_many');
  assert.ok(locked.body.vi && locked.body.en);
  const n = h.dbQuery(srv.db, "SELECT failures FROM login_failures WHERE ip LIKE 'join %'")[0].failures;
  assert.ok(n >= 100 && n <= 110, `failures ${n}`);
  const r = await joinWith(person(good, { full_name: 'Võ Thị Hạnh' }));
  assert.equal(r.status, 429, 'a locked address is refused even with a good code');
  assert.equal((await call('GET', `/api/join/units?code=${good}`)).status, 429);
  // the login's own throttle is apart: staff still log in from this address
  assert.equal((await h.login(srv, 'tochuc')).status, 200);
});
