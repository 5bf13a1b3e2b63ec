// takers.js — scripted candidates for the export tests: a trainer
// publishes an exam over the staff API, then each person logs in, starts
// it, answers `right` questions correctly and the rest wrongly, and
// submits, over the real protocol.
import assert from 'node:assert/strict';
import * as h from './harness.js';

// people: [[username, full name, right], ...]; returns the new exam's id.
export async function publishAndTake(srv, trainerCookie, people, { title, count = 5 }) {
  const pub = await fetch(`${srv.base}/api/staff/exams`, {
    method: 'POST',
    headers: { cookie: trainerCookie, origin: srv.base, 'content-type': 'application/json' },
    body: JSON.stringify({ title, bank: 1, duration_s: 600, attempts: 2,
      blueprint: [{ topic: null, difficulty: null, count }] }),
  });
  const pj = await pub.json();
  assert.equal(pub.status, 200, JSON.stringify(pj));
  for (const [u, , right] of people) {
    const c = await h.candidate(srv, u);
    try {
      const p = await c.request('start', { exam: pj.id });
      assert.equal(p.type, 'paper', JSON.stringify(p));
      let seq = 1;
      for (const [i, q] of p.questions.entries()) {
        const choice = i < right ? h.keyOf(q) : [h.wrongOf(q)];
        const a = await c.request('answer', { attempt: p.attempt, q: q.q, choice, flag: false, seq: seq++ });
        assert.equal(a.type, 'ack', JSON.stringify(a));
      }
      const r = await c.request('submit', { attempt: p.attempt });
      assert.equal(r.type, 'result', JSON.stringify(r));
    } finally {
      c.kill();
    }
  }
  return pj.id;
}
