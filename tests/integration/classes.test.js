// classes.test.js — units, classes, roster imports, credential slips,
// password resets and class exams (docs/staff-api.md, docs/roster-format.md)
// against the real server: the perimeter of rule 5 (a trainer sees only
// their classes; a candidate only their class's exams) and rule 4 (a bad
// roster changes nothing and names its lines).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as h from './harness.js';

let srv;
h.sharedServer((dir) => {
  h.prepareDb(dir);
  const db = `${dir}/examd.db`;
  // a second trainer, and a unit tree made with the CLI
  h.examdCli(db, ['user', 'add', '--username', 'giangvien2', '--name', 'Giảng viên Lê Thu', '--password', 'examd-demo', '--role', 'trainer']);
  const tinh = h.examdCli(db, ['unit', 'add', '--name', 'Đảng bộ tỉnh Hà Nam', '--target', '500']).trim();
  const phuong = h.examdCli(db, ['unit', 'add', '--name', 'Đảng ủy phường Minh Khai', '--parent', tinh, '--target', '120']).trim();
  return { tinh: Number(tinh), phuong: Number(phuong) };
}, {}, (s) => { srv = s; });

// A staff request as user (default the trainer giangvien): { status, body }.
const api = h.staffApi(() => srv);

const roster = (classId, csv, dry, user) =>
  api('POST', `/api/staff/classes/${classId}/roster?dry_run=${dry ? 1 : 0}`, undefined, { raw: csv, user });

const count = (sql) => Number(Object.values(h.dbQuery(srv.db, sql)[0])[0]);

const state = {};

test('units: the CLI and the API build one tree; only organisers and admins add units', async () => {
  const { tinh, phuong } = srv.extra;
  const cell = await api('POST', '/api/staff/units', { name: 'Chi bộ khu phố 3', parent: phuong, target: 25 }, { user: 'tochuc' });
  assert.equal(cell.status, 200, JSON.stringify(cell.body));
  const cell2 = await api('POST', '/api/staff/units', { name: 'Chi bộ khu phố 4', parent: phuong }, { user: 'tochuc' });
  assert.equal(cell2.status, 200);
  // the same name twice under one parent, a missing parent, a bad target, a trainer
  const again = await api('POST', '/api/staff/units', { name: 'Chi bộ khu phố 3', parent: phuong }, { user: 'tochuc' });
  assert.equal(again.status, 409);
  assert.equal(again.body.field, 'name');
  assert.equal((await api('POST', '/api/staff/units', { name: 'X', parent: 9999 }, { user: 'tochuc' })).status, 404);
  const badTarget = await api('POST', '/api/staff/units', { name: 'X', target: -1 }, { user: 'tochuc' });
  assert.equal(badTarget.status, 400);
  assert.equal(badTarget.body.field, 'target');
  assert.match(badTarget.body.message, /chỉ tiêu.* \/ the target/);
  assert.equal((await api('POST', '/api/staff/units', { name: '' }, { user: 'tochuc' })).body.field, 'name');
  const byTrainer = await api('POST', '/api/staff/units', { name: 'Chi bộ lạ' });
  assert.equal(byTrainer.status, 403);

  const list = await api('GET', '/api/staff/units');
  assert.equal(list.status, 200);
  const names = list.body.units.map((u) => [u.name, u.parent, u.target]);
  assert.deepEqual(names, [
    ['Đảng bộ tỉnh Hà Nam', null, 500],
    ['Đảng ủy phường Minh Khai', tinh, 120],
    ['Chi bộ khu phố 3', phuong, 25],
    ['Chi bộ khu phố 4', phuong, 0],
  ]);
  state.cell3 = cell.body.id;
  state.cell4 = cell2.body.id;
  const tree = h.examdCli(srv.db, ['unit', 'list']);
  assert.match(tree, /^1 {2}Đảng bộ tỉnh Hà Nam {2}0\/500\n {2}2 {2}Đảng ủy phường Minh Khai {2}0\/120\n {4}3 {2}Chi bộ khu phố 3/);
});

test('classes: a trainer creates one and sees only their own; another trainer gets 403', async () => {
  const name = 'Lớp bồi dưỡng nhận thức về Đảng, khóa 3/2026';
  const made = await api('POST', '/api/staff/classes', { name, unit: state.cell3 });
  assert.equal(made.status, 200, JSON.stringify(made.body));
  state.classA = made.body.id;
  const other = await api('POST', '/api/staff/classes', { name: 'Lớp của giảng viên khác' }, { user: 'giangvien2' });
  state.classB = other.body.id;
  assert.equal((await api('POST', '/api/staff/classes', { name: 'X', unit: 999 })).status, 404);
  assert.equal((await api('POST', '/api/staff/classes', { name: 'X', unit: 'a' })).body.field, 'unit');

  const mine = await api('GET', '/api/staff/classes');
  assert.deepEqual(mine.body.classes.map((c) => c.name), [name]);
  assert.equal(mine.body.classes[0].unit.name, 'Chi bộ khu phố 3');
  assert.equal(mine.body.classes[0].members, 0);
  const theirs = await api('GET', '/api/staff/classes', undefined, { user: 'giangvien2' });
  assert.deepEqual(theirs.body.classes.map((c) => c.id), [state.classB]);
  const all = await api('GET', '/api/staff/classes', undefined, { user: 'tochuc' });
  assert.equal(all.body.classes.length, 2);

  const peek = await api('GET', `/api/staff/classes/${state.classA}`, undefined, { user: 'giangvien2' });
  assert.equal(peek.status, 403);
  assert.equal(peek.body.code, 'forbidden');
  const slips = await api('GET', `/api/staff/classes/${state.classA}/slips?base=${encodeURIComponent(srv.base)}`, undefined, { user: 'giangvien2' });
  assert.equal(slips.status, 403);
  const push = await roster(state.classA, 'Họ và tên;Ngày sinh\nA B;01/01/1990\n', false, 'giangvien2');
  assert.equal(push.status, 403);
  assert.equal((await api('GET', '/api/staff/classes/9999')).status, 404);
  // a candidate is not staff at all
  assert.equal((await api('GET', '/api/staff/classes', undefined, { user: 'ts01' })).status, 403);
});

const GOOD = '\uFEFFSTT;Họ và tên;Ngày sinh;Đơn vị;Số điện thoại\r\n'
  + '1;Nguyễn Văn An;05/03/1990;Chi bộ khu phố 3;0912 345 678\r\n'
  + '2;Nguyễn Văn An;1992-07-20;Đảng ủy phường Minh Khai / Chi bộ khu phố 4;\r\n'
  + '3;Trần Thị Bích Ngọc;12/11/1985;;\r\n';

test('a roster with a bad row and a duplicate is refused whole, by line', async () => {
  const usersBefore = count('SELECT count(*) FROM users');
  const bad = 'Họ và tên,Ngày sinh,Đơn vị\n'
    + 'Nguyễn Văn An,05/03/1990,Chi bộ khu phố 3\n'
    + 'Lê Văn Cường,31/02/1991,Chi bộ khu phố 3\n'
    + 'NGUYỄN VĂN AN,1990-03-05,Chi bộ khu phố 4\n'
    + 'Phạm Thị Dung,01/01/1990,Chi bộ không có\n';
  for (const dry of [true, false]) {
    const r = await roster(state.classA, bad, dry);
    assert.equal(r.status, 422, JSON.stringify(r.body));
    assert.equal(r.body.code, 'bad_import');
    const lines = r.body.issues.map((i) => i.line);
    assert.deepEqual(lines, [3, 4, 5]);
    assert.match(r.body.issues[0].en, /not a date/);
    assert.match(r.body.issues[0].vi, /ngày sinh/);
    assert.match(r.body.issues[1].en, /repeats the person on line 2/);
    assert.match(r.body.issues[2].en, /no unit "Chi bộ không có"/);
  }
  assert.equal(count('SELECT count(*) FROM users'), usersBefore);
  assert.equal(count(`SELECT count(*) FROM class_members WHERE class_id=${state.classA}`), 0);
  // not a CSV roster at all, an empty body, a bad dry_run
  const junk = await roster(state.classA, 'hello world\n', true);
  assert.equal(junk.status, 422);
  assert.equal(junk.body.issues[0].line, 1);
  assert.equal((await roster(state.classA, '', true)).status, 400);
  assert.equal((await api('POST', `/api/staff/classes/${state.classA}/roster?dry_run=2`, undefined, { raw: GOOD })).status, 400);
});

test('a clean roster previews, then imports: logins made, passwords shown once, and they log in', async () => {
  const usersBefore = count('SELECT count(*) FROM users');
  const preview = await roster(state.classA, GOOD, true);
  assert.equal(preview.status, 200, JSON.stringify(preview.body));
  assert.equal(preview.body.dry_run, true);
  assert.deepEqual(preview.body.members.map((m) => m.login), ['nguyenvanan', 'nguyenvanan2', 'tranthibichngoc']);
  assert.ok(preview.body.members.every((m) => m.password === undefined), 'a preview shows no password');
  assert.equal(preview.body.members[1].unit.path, 'Đảng bộ tỉnh Hà Nam / Đảng ủy phường Minh Khai / Chi bộ khu phố 4');
  assert.equal(preview.body.members[2].unit.name, 'Chi bộ khu phố 3', 'an empty unit is the class\'s');
  assert.equal(count('SELECT count(*) FROM users'), usersBefore);

  const done = await roster(state.classA, GOOD, false);
  assert.equal(done.status, 200, JSON.stringify(done.body));
  const m = done.body.members;
  assert.deepEqual(m.map((x) => [x.line, x.login, x.birth_date, x.phone]), [
    [2, 'nguyenvanan', '1990-03-05', '0912345678'],
    [3, 'nguyenvanan2', '1992-07-20', ''],
    [4, 'tranthibichngoc', '1985-11-12', ''],
  ]);
  for (const x of m) assert.match(x.password, /^[a-hj-km-np-z2-9]{10}$/);
  assert.notEqual(m[0].password, m[1].password);
  state.members = m;
  // stored hashed, never in plain text
  const rows = h.dbQuery(srv.db, "SELECT username, pw_hash, unit_id, role FROM users WHERE username LIKE 'nguyenvanan%' OR username='tranthibichngoc' ORDER BY id");
  assert.equal(rows.length, 3);
  for (const [i, r] of rows.entries()) {
    assert.match(r.pw_hash, /^\$argon2id\$/);
    assert.ok(!r.pw_hash.includes(m[i].password));
    assert.equal(r.role, 'candidate');
  }
  assert.equal(rows[1].unit_id, state.cell4);
  const cls = await api('GET', `/api/staff/classes/${state.classA}`);
  assert.deepEqual(cls.body.members.map((x) => x.login).sort(), ['nguyenvanan', 'nguyenvanan2', 'tranthibichngoc']);
  assert.ok(cls.body.members.every((x) => x.password === undefined));
  // the new candidates log in with what the reply said
  for (const x of m) {
    const l = await h.login(srv, x.login, x.password);
    assert.equal(l.status, 200, `${x.login}: ${JSON.stringify(l.body)}`);
  }
  // the same people again: already in the class, by line; nothing written
  const again = await roster(state.classA, GOOD, false);
  assert.equal(again.status, 422);
  assert.deepEqual(again.body.issues.map((i) => i.line), [2, 3, 4]);
  assert.match(again.body.issues[0].en, /already in the class \(login nguyenvanan\)/);
  assert.equal(count(`SELECT count(*) FROM class_members WHERE class_id=${state.classA}`), 3);
});

test('credential slips: one per member with the login link as a QR code, no password', async () => {
  const r = await api('GET', `/api/staff/classes/${state.classA}/slips?base=${encodeURIComponent(srv.base)}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.slips.length, 3);
  for (const s of r.body.slips) {
    assert.equal(s.link, `${srv.base}/?u=${s.login}`);
    assert.match(s.qr, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 (\d+) \1"[^>]*><rect [^>]*\/><path fill="#000" d="(M\d+ \d+h\d+v1h-\d+z)+"\/><\/svg>$/);
    assert.equal(s.password, undefined);
  }
  const one = await api('GET', `/api/staff/classes/${state.classA}/slips?base=${encodeURIComponent(srv.base)}&user=${state.members[0].id}`);
  assert.deepEqual(one.body.slips.map((s) => s.login), ['nguyenvanan']);
  const bad = await api('GET', `/api/staff/classes/${state.classA}/slips?base=${encodeURIComponent('javascript:alert(1)')}`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'base');
});

test('a class exam: members see and start it; others do not see it and get not_found; trainers only for their classes', async (t) => {
  const spec = (cls) => ({ title: 'Kiểm tra cuối khóa 3/2026', bank: 1, class: cls, duration_s: 600,
    blueprint: [{ topic: null, difficulty: null, count: 5 }] });
  const foreign = await api('POST', '/api/staff/exams', spec(state.classB));
  assert.equal(foreign.status, 403);
  assert.equal(foreign.body.field, 'class');
  assert.equal((await api('POST', '/api/staff/exams', spec(9999))).status, 404);
  assert.equal((await api('POST', '/api/staff/exams', spec('x'))).body.field, 'class');
  const pub = await api('POST', '/api/staff/exams', spec(state.classA));
  assert.equal(pub.status, 200, JSON.stringify(pub.body));
  const examId = pub.body.id;
  assert.deepEqual(h.dbQuery(srv.db, `SELECT owner_id, class_id FROM exams WHERE id=${examId}`)[0],
    { owner_id: count("SELECT id FROM users WHERE username='giangvien'"), class_id: state.classA });
  // an open exam for everyone, published by the organiser
  const open = await api('POST', '/api/staff/exams', { ...spec(null), title: 'Bài thi chung' }, { user: 'tochuc' });
  assert.equal(open.status, 200);

  // the trainers' exam lists: their own only
  const listA = await api('GET', '/api/staff/exams');
  assert.deepEqual(listA.body.exams.map((e) => [e.id, e.class]), [[examId, state.classA]]);
  const listB = await api('GET', '/api/staff/exams', undefined, { user: 'giangvien2' });
  assert.deepEqual(listB.body.exams, []);
  const listOrg = await api('GET', '/api/staff/exams', undefined, { user: 'tochuc' });
  assert.ok(listOrg.body.exams.some((e) => e.id === examId) && listOrg.body.exams.some((e) => e.id === 1));

  const member = await h.candidate(srv, 'nguyenvanan', state.members[0].password);
  t.after(() => member.kill());
  const hm = await member.request('hello');
  assert.ok(hm.exams.some((e) => e.id === examId), 'a member sees the class exam');
  assert.ok(hm.exams.some((e) => e.id === open.body.id));
  const paper = await member.request('start', { exam: examId });
  assert.equal(paper.type, 'paper', JSON.stringify(paper));

  const outsider = await h.openFor(t, srv, 'ts01');
  const ho = await outsider.request('hello');
  assert.ok(!ho.exams.some((e) => e.id === examId), 'a non-member does not see it');
  assert.ok(ho.exams.some((e) => e.id === open.body.id) && ho.exams.some((e) => e.id === 1));
  assert.ok(!outsider.frames.some((f) => f.includes('Kiểm tra cuối khóa 3/2026')), 'not even its title');
  const refused = await outsider.request('start', { exam: examId });
  assert.equal(refused.type, 'error');
  assert.equal(refused.code, 'not_found');
  assert.equal(count(`SELECT count(*) FROM attempts WHERE exam_id=${examId}`), 1);
});

test('a password reset: the new one works, the old one fails, the member\'s sockets close; only for the class\'s trainer', async () => {
  const x = state.members[1];
  const ws = await h.candidate(srv, x.login, x.password);
  await ws.request('hello');
  const path = `/api/staff/classes/${state.classA}/members/${x.id}/reset`;
  assert.equal((await api('POST', path, {}, { user: 'giangvien2' })).status, 403);
  // someone not in the class (a demo candidate), and a staff account
  assert.equal((await api('POST', `/api/staff/classes/${state.classA}/members/1/reset`, {})).status, 404);
  const r = await api('POST', path, {});
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.login, x.login);
  assert.match(r.body.password, /^[a-hj-km-np-z2-9]{10}$/);
  assert.notEqual(r.body.password, x.password);
  const closed = await ws.closed;
  assert.equal(closed.code, 1008);
  assert.equal((await h.login(srv, x.login, x.password)).status, 401);
  assert.equal((await h.login(srv, x.login, r.body.password)).status, 200);
  // the other members keep theirs
  assert.equal((await h.login(srv, state.members[2].login, state.members[2].password)).status, 200);
  // every change is in the audit log, and the chain holds
  const actions = h.dbQuery(srv.db, "SELECT action FROM audit WHERE action LIKE 'class.%' OR action = 'unit.add' ORDER BY id").map((r) => r.action);
  assert.deepEqual(actions, ['unit.add', 'unit.add', 'unit.add', 'unit.add', 'class.create', 'class.create', 'class.roster', 'class.reset']);
  const reset = h.dbQuery(srv.db, "SELECT detail FROM audit WHERE action = 'class.reset'")[0];
  assert.ok(!reset.detail.includes(r.body.password), 'no password in the audit log');
  assert.match(h.examdCli(srv.db, ['audit', 'verify']), /ok|valid|intact/i);
});
