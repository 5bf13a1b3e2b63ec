// monitor.test.js — the organiser's live monitor (docs/organiser-console.md
// "The monitor", docs/protocol.md §2.8): candidates of two units and of
// none say hello for a round, start, answer and submit; the organiser's
// snapshots show the figures in total and per unit, pushes come at most
// once a second (server times and arrival times) and only on change;
// another organiser is refused, a contest's owner is let in; the counts
// of started and submitted survive a restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as h from './harness.js';

let srv, dir, db, unitA, unitB, exam, demoExam;
const org = {}; // username -> cookie

function cli(args) { return h.examdCli(db, args).trim().split('\n').pop(); }

before(async () => {
  dir = h.tempDir();
  h.prepareDb(dir);
  db = join(dir, 'examd.db');
  demoExam = 1;
  unitA = Number(cli(['unit', 'add', '--name', 'Đảng bộ Phường Bến Nghé', '--target', '10']));
  unitB = Number(cli(['unit', 'add', '--name', 'Chi bộ Công ty May 10', '--target', '5']));
  for (const [u, unit] of [['mA1', unitA], ['mA2', unitA], ['mB1', unitB]]) {
    h.examdCli(db, ['user', 'add', '--username', u, '--name', `Thí sinh ${u}`, '--password', 'examd-demo', '--unit', String(unit)]);
  }
  h.examdCli(db, ['user', 'add', '--username', 'tochuc2', '--name', 'Ban tổ chức Hai', '--password', 'examd-demo', '--role', 'organiser']);
  h.examdCli(db, ['user', 'add', '--username', 'quantri', '--name', 'Quản trị', '--password', 'examd-demo', '--role', 'admin']);
  srv = await h.startServer({ dir, demo: false });
  for (const u of ['tochuc', 'tochuc2', 'quantri']) org[u] = (await h.login(srv, u)).cookie;
  const r = await fetch(`${srv.base}/api/staff/exams`, {
    method: 'POST',
    headers: { origin: srv.base, cookie: org.tochuc, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Vòng 1: Tìm hiểu Điều lệ Đảng', bank: 1, duration_s: 600, attempts: 1,
      blueprint: [{ topic: null, difficulty: null, count: 3 }] }),
  });
  const b = await r.json();
  assert.equal(r.status, 200, JSON.stringify(b));
  exam = b.id;
});

after(async () => {
  if (srv) await h.stopServerClean(srv);
  h.cleanup({ dir });
});

// The organiser's socket, with the arrival time of every monitor frame.
async function watcher(t, user) {
  const c = await h.connect(srv, org[user]);
  c.arrivals = [];
  c.ws.on('message', (d) => {
    const m = JSON.parse(String(d));
    if (m.type === 'monitor' && m.id === undefined) c.arrivals.push({ at: Date.now(), m });
  });
  t.after(() => c.kill());
  return c;
}

const unitOf = (m, u) => m.units.find((x) => x.unit === u) || { connected: 0, started: 0, submitted: 0, answers_min: 0 };
const figures = (r) => [r.connected, r.started, r.submitted, r.answers_min];

// Wait for a push satisfying pred (pushes only: no id).
function push(c, pred, timeoutMs = 10000) {
  return c.waitFor((m) => m.type === 'monitor' && m.id === undefined && pred(m), { timeoutMs });
}

test('the monitor: hello, start, answer, submit and leaving move the figures, per unit and in total', async (t) => {
  const o = await watcher(t, 'tochuc');
  const first = await o.request('monitor', { exam });
  assert.equal(first.type, 'monitor', JSON.stringify(first));
  assert.equal(first.exam, exam);
  assert.deepEqual(figures(first.total), [0, 0, 0, 0]);
  assert.ok(Math.abs(first.at_ms - Date.now()) < 5000);

  // mA1 opens the round (hello naming it): connected before starting
  const a1 = await h.openFor(t, srv, 'mA1');
  assert.equal((await a1.request('hello', { exam })).type, 'hello');
  let m = await push(o, (x) => x.total.connected === 1);
  assert.deepEqual(figures(unitOf(m, unitA)), [1, 0, 0, 0]);

  // mA1 and mA2 (unit A) and mB1 (unit B) start; ts01 (no unit) too
  const p1 = await a1.request('start', { exam });
  assert.equal(p1.type, 'paper', JSON.stringify(p1));
  const a2 = await h.openFor(t, srv, 'mA2');
  const p2 = await a2.request('start', { exam });
  const b1 = await h.openFor(t, srv, 'mB1');
  const pb = await b1.request('start', { exam });
  const n0 = await h.openFor(t, srv, 'ts01');
  const p0 = await n0.request('start', { exam });
  m = await push(o, (x) => x.total.started === 4 && x.total.connected === 4);
  assert.deepEqual(figures(unitOf(m, unitA)), [2, 2, 0, 0]);
  assert.deepEqual(figures(unitOf(m, unitB)), [1, 1, 0, 0]);
  assert.deepEqual(figures(unitOf(m, 0)), [1, 1, 0, 0]);

  // answers: a flood from unit A within a few seconds (many changes a
  // second: the pushes must still come at most once a second)
  let seq = 0;
  const acks = [];
  for (let round = 0; round < 6; round++) {
    for (const q of p1.questions) acks.push(a1.request('answer', { attempt: p1.attempt, q: q.q, choice: [round % 2], flag: false, seq: ++seq }));
    await Promise.all(acks.splice(0));
    await o.waitFor((x) => x.type === 'monitor' && x.id === undefined, { fromIndex: o.frames.length }); // the next push
  }
  for (const [c, p] of [[b1, pb], [a2, p2]]) {
    const r = await c.request('answer', { attempt: p.attempt, q: p.questions[0].q, choice: [0], flag: false, seq: 1 });
    assert.equal(r.type, 'ack', JSON.stringify(r));
  }
  m = await push(o, (x) => x.total.answers_min === seq + 2);
  assert.equal(unitOf(m, unitA).answers_min, seq + 1);
  assert.equal(unitOf(m, unitB).answers_min, 1);
  assert.equal(unitOf(m, 0).answers_min, 0);

  // mB1 submits, ts01 submits; mA2 leaves (its socket drops)
  assert.equal((await b1.request('submit', { attempt: pb.attempt })).type, 'result');
  assert.equal((await n0.request('submit', { attempt: p0.attempt })).type, 'result');
  await a2.kill();
  m = await push(o, (x) => x.total.submitted === 2 && unitOf(x, unitA).connected === 1);
  assert.deepEqual(figures(m.total), [3, 4, 2, seq + 2]);
  assert.deepEqual(figures(unitOf(m, unitB)), [1, 1, 1, 1]); // still there, on its result
  assert.deepEqual(unitOf(m, 0).submitted, 1);

  // at most one push a second: by the server's clock and on arrival
  const pushes = o.arrivals;
  assert.ok(pushes.length >= 6, `only ${pushes.length} pushes`);
  for (let i = 1; i < pushes.length; i++) {
    const gap = pushes[i].m.at_ms - pushes[i - 1].m.at_ms;
    assert.ok(gap >= 1000, `pushes ${i - 1} and ${i} were ${gap} ms apart (server clock)`);
    const seen = pushes[i].at - pushes[i - 1].at;
    assert.ok(seen >= 800, `pushes ${i - 1} and ${i} arrived ${seen} ms apart`);
  }
  // the first push also keeps its distance from the reply to monitor
  assert.ok(pushes[0].m.at_ms - first.at_ms >= 1000);

  // nothing changes: nothing is pushed (two and a half ticks of quiet)
  const before = o.arrivals.length;
  await h.wallClock(2500);
  assert.equal(o.arrivals.length, before, 'a push without a change');

  // unmonitor: no more pushes; a new monitor shows the current figures
  const u = await o.request('unmonitor');
  assert.equal(u.type, 'unmonitor');
  const stopped = o.arrivals.length;
  const r = await a1.request('submit', { attempt: p1.attempt });
  assert.equal(r.type, 'result');
  const again = await o.request('monitor', { exam });
  assert.equal(again.total.submitted, 3);
  assert.equal(o.arrivals.length, stopped, 'pushed after unmonitor');
});

test('the monitor is owner-scoped: another organiser is refused, a contest owner and admins are let in', async (t) => {
  const other = await watcher(t, 'tochuc2');
  let r = await other.request('monitor', { exam });
  assert.deepEqual([r.type, r.code, r.field], ['error', 'forbidden', 'exam'], JSON.stringify(r));
  // the demo exam has no owner: organisers are refused, admins let in
  r = await other.request('monitor', { exam: demoExam });
  assert.equal(r.code, 'forbidden', JSON.stringify(r));
  const admin = await watcher(t, 'quantri');
  r = await admin.request('monitor', { exam });
  assert.equal(r.type, 'monitor', JSON.stringify(r));
  r = await admin.request('monitor', { exam: demoExam });
  assert.equal(r.type, 'monitor', JSON.stringify(r));
  // a round of tochuc2's contest: its owner may watch it
  const uid = h.dbQuery(db, "SELECT id FROM users WHERE username='tochuc2'")[0].id;
  h.dbExec(db, `INSERT INTO contests(title, owner_id, created_ms) VALUES('Hội thi Bác Hồ', ${uid}, 0);
    UPDATE exams SET contest_id = last_insert_rowid() WHERE id = ${demoExam};`);
  r = await other.request('monitor', { exam: demoExam });
  assert.equal(r.type, 'monitor', JSON.stringify(r));
  // unknown exam, bad field, and candidates and trainers not at all
  r = await admin.request('monitor', { exam: 999999 });
  assert.deepEqual([r.code, r.field], ['not_found', 'exam']);
  r = await admin.request('monitor', { exam: 'một' });
  assert.deepEqual([r.code, r.field], ['bad_message', 'exam']);
  r = await admin.request('monitor', {});
  assert.deepEqual([r.code, r.field], ['bad_message', 'exam']);
  const cand = await h.openFor(t, srv, 'ts02');
  r = await cand.request('monitor', { exam });
  assert.equal(r.code, 'forbidden');
  r = await cand.request('hello', { exam: 'x' });
  assert.deepEqual([r.code, r.field], ['bad_message', 'exam']);
});

test('started and submitted are counted again from the store after a restart', async () => {
  await h.stopServerClean(srv);
  srv = await h.startServer({ dir, demo: false });
  org.tochuc = (await h.login(srv, 'tochuc')).cookie;
  const o = await h.connect(srv, org.tochuc);
  try {
    const m = await o.request('monitor', { exam });
    assert.deepEqual(figures(m.total).slice(0, 3), [0, 4, 3]);
    assert.deepEqual(figures(unitOf(m, unitA)).slice(0, 3), [0, 2, 1]);
    assert.deepEqual(figures(unitOf(m, unitB)).slice(0, 3), [0, 1, 1]);
    assert.deepEqual(figures(unitOf(m, 0)).slice(0, 3), [0, 1, 1]);
    // the running attempt (mA2) still counts under its unit when it answers
    const a2 = await h.candidate(srv, 'mA2');
    const p = await a2.request('start', { exam });
    assert.equal(p.resumed, true);
    await a2.request('answer', { attempt: p.attempt, q: p.questions[1].q, choice: [1], flag: false, seq: 2 });
    const x = await push(o, (y) => unitOf(y, unitA).answers_min === 1 && unitOf(y, unitA).connected === 1);
    assert.equal(x.total.started, 4);
    a2.kill();
  } finally {
    o.kill();
  }
});
