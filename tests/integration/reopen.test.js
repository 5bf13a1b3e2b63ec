// reopen.test.js — a re-opened round attempt keeps the deadline its
// re-opening granted (docs/scores.md "Re-opening"): moving the round's
// window caps it by the new close and gives it back when the close moves
// later again, never recomputing it from the first start; a restart (SIGKILL,
// then the same database) loads it with the same deadline; the candidate
// connected when it is re-opened is told at once; the ranking's time taken
// leaves out the time it spent submitted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as h from './harness.js';

const ref = h.restartableServer();
const st = {};

const api = h.staffApi(() => ref.srv);
const org = { user: 'tochuc' };
const MIN = 60000;

// The running attempt's time left as the candidate's hello says it.
async function leftOf(c) {
  const hello = await c.request('hello');
  const item = hello.exams.find((e) => e.id === st.round);
  assert.ok(item && item.running && item.running.attempt === st.attempt, JSON.stringify(item));
  return item.running.left_ms;
}

const row = () => h.dbQuery(ref.srv.db, `SELECT state, started_ms, submitted_ms, deadline_ms, reopen_deadline_ms, paused_ms FROM attempts WHERE id=${st.attempt}`)[0];

test('a round attempt submitted long ago (its duration over) is re-opened for 5 minutes; the connected candidate is told', async (t) => {
  const bank = (await api('GET', '/api/staff/banks', undefined, org)).body.banks.find((b) => b.name === 'dang-va-bac-ho').id;
  const k = await api('POST', '/api/staff/contests', { title: 'Tìm hiểu Hiến pháp' }, org);
  assert.equal(k.status, 200, JSON.stringify(k.body));
  const now = Date.now();
  const r = await api('POST', `/api/staff/contests/${k.body.id}/rounds`, {
    title: 'Vòng 1', bank, blueprint: [{ topic: null, difficulty: null, count: 5 }],
    duration_s: 600, attempts: 2, opens_ms: now - 3 * 3600e3, closes_ms: now + 3600e3,
  }, org);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  st.round = r.body.id;
  const c = await h.openFor(t, ref.srv, 'ts01');
  const paper = await c.request('start', { exam: st.round });
  assert.equal(paper.type, 'paper', JSON.stringify(paper));
  st.attempt = paper.attempt;
  const q = paper.questions[0];
  assert.equal((await c.request('answer', { attempt: st.attempt, q: q.q, choice: h.keyOf(q), seq: 1 })).type, 'ack');
  assert.equal((await c.request('submit', { attempt: st.attempt })).type, 'result');
  // as if it had started two hours ago and used its ten minutes
  h.dbExec(ref.srv.db, `UPDATE attempts SET started_ms=${now - 2 * 3600e3}, submitted_ms=${now - 2 * 3600e3 + 600e3} WHERE id=${st.attempt}`);
  const from = c.frames.length;
  const re = await api('POST', `/api/staff/attempts/${st.attempt}/reopen`, { reason: 'Mất mạng giữa giờ thi', minutes: 5 }, org);
  assert.equal(re.status, 200, JSON.stringify(re.body));
  st.deadline = re.body.deadline_ms;
  assert.ok(Math.abs(st.deadline - (Date.now() + 5 * MIN)) < 5000, `deadline ${st.deadline - Date.now()} ms away`);
  const push = await c.waitFor((m) => m.type === 'reopened', { fromIndex: from });
  assert.deepEqual([push.attempt, push.exam], [st.attempt, st.round]);
  assert.ok(push.left_ms > 4 * MIN && push.left_ms <= 5 * MIN, `left ${push.left_ms}`);
  const x = row();
  assert.deepEqual([x.state, x.deadline_ms, x.reopen_deadline_ms], ['running', st.deadline, st.deadline]);
  assert.ok(x.paused_ms > 3600e3, `paused ${x.paused_ms}`);
});

test('moving the window: an earlier close caps the granted deadline, a later one gives it back; the attempt keeps running', async (t) => {
  const c = await h.openFor(t, ref.srv, 'ts01');
  assert.ok((await leftOf(c)) > 4 * MIN);
  let from = c.frames.length;
  const now = Date.now();
  const cap = await api('POST', `/api/staff/rounds/${st.round}/window`, { closes_ms: now + 2 * MIN }, org);
  assert.equal(cap.status, 200, JSON.stringify(cap.body));
  const t1 = await c.waitFor((m) => m.type === 'time' && m.attempt === st.attempt, { fromIndex: from });
  assert.ok(t1.left_ms > MIN && t1.left_ms <= 2 * MIN, `left ${t1.left_ms}`);
  assert.equal(row().deadline_ms, now + 2 * MIN);
  from = c.frames.length;
  const ext = await api('POST', `/api/staff/rounds/${st.round}/window`, { closes_ms: now + 3600e3 }, org);
  assert.equal(ext.status, 200, JSON.stringify(ext.body));
  const t2 = await c.waitFor((m) => m.type === 'time' && m.attempt === st.attempt, { fromIndex: from });
  assert.ok(t2.left_ms > 4 * MIN && t2.left_ms <= 5 * MIN, `left ${t2.left_ms}`);
  const x = row();
  assert.deepEqual([x.state, x.deadline_ms], ['running', st.deadline]);
  assert.ok((await leftOf(c)) > 4 * MIN);
});

test('a restart (SIGKILL, the same database) loads it with the granted deadline', async (t) => {
  const r = await ref.kill();
  assert.equal(r.sig, 'SIGKILL');
  await ref.start();
  const c = await h.openFor(t, ref.srv, 'ts01');
  const left = await leftOf(c);
  assert.ok(left > 3 * MIN && left <= 5 * MIN, `left ${left}`);
  const paper = await c.request('start', { exam: st.round, attempt: st.attempt });
  assert.deepEqual([paper.type, paper.resumed], ['paper', true], JSON.stringify(paper));
  assert.ok(Math.abs(paper.left_ms - (st.deadline - Date.now())) < 3000);
  assert.deepEqual([row().state, row().deadline_ms], ['running', st.deadline]);
  // submitted: the time taken is the ten minutes plus the re-opened sitting
  const res = await c.request('submit', { attempt: st.attempt });
  assert.equal(res.type, 'result', JSON.stringify(res));
  const x = row();
  const g = await api('GET', `/api/staff/rounds/${st.round}/ranking`, undefined, org);
  assert.equal(g.status, 200, JSON.stringify(g.body));
  const mine = g.body.ranking.find((e) => e.attempt === st.attempt);
  assert.equal(mine.time_ms, x.submitted_ms - x.started_ms - x.paused_ms);
  assert.ok(mine.time_ms >= 600e3 && mine.time_ms < 600e3 + 5 * MIN, `time ${mine.time_ms}`);
});
