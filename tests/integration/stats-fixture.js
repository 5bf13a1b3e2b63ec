// stats-fixture.js — the scripted exam behind the item statistics tests
// (integration/stats.test.js, browser/stats.test.js): a bank of eight
// questions made through the staff API, a fixed exam and a blueprint exam,
// and candidates who answer by plan over a real WebSocket, so every mark
// is known here without asking the server.
import assert from 'node:assert/strict';
import * as h from './harness.js';

// The bank: option 1 is the key of every single-answer question.
// [text, topic, points, multi weights or null]
export const QUESTIONS = [
  ['Thống kê câu 1: ai cũng đúng', 'A', 1, null],
  ['Thống kê câu 2: người yếu đúng, người giỏi sai', 'A', 1, null],
  ['Thống kê câu 3', 'A', 1, null],
  ['Thống kê câu 4', 'A', 1, null],
  ['Thống kê câu 5', 'B', 1, null],
  ['Thống kê câu 6', 'B', 1, null],
  ['Thống kê câu 7: nhiều đáp án', 'B', 2, [50, 50, -50, 0]],
  ['Thống kê câu 8: ba điểm', 'B', 3, null],
];
export const optText = (i, k) => `Câu ${i + 1} phương án ${'ABCD'[k]}`;

// Logins of n candidates: the demo's ts01..ts10 and more made by candidatesAdd.
export const logins = (n) => Array.from({ length: n }, (_, k) => `ts${String(k + 1).padStart(2, '0')}`);

// Before the server starts: accounts ts11..tsN (password examd-demo).
export function candidatesAdd(db, n) {
  for (const u of logins(n).slice(10)) h.examdCli(db, ['user', 'add', '--username', u, '--name', `Thí sinh ${u}`, '--password', 'examd-demo']);
}

// Candidate k's planned choice (bank option indexes) for question i; the
// weak (small k) get question 2 right and the strong get it wrong.
export function plan(i, k, second) {
  if (second) return i === 6 ? [0, 1] : [1];
  switch (i) {
    case 0: return [1];
    case 1: return k < 10 ? [1] : [0];
    case 2: return k >= 8 && k % 7 !== 3 ? [1] : [2];
    case 3: return k >= 15 ? [1] : k % 3 === 0 ? [] : [3];
    case 4: return k >= 12 || k % 5 === 0 ? [1] : [0];
    case 5: return (k * 7) % 10 >= 4 ? [1] : [2];
    case 6: return k >= 20 ? [0, 1] : k >= 10 ? [0] : k % 4 === 1 ? [2] : [0, 2];
    default: return k >= 18 ? [1] : [3];
  }
}

// The mark as a fraction, from the weights (grade.h's rules, partial).
export function fraction(i, choice) {
  const w = QUESTIONS[i][3];
  if (!choice.length) return 0;
  if (!w) return choice.length === 1 && choice[0] === 1 ? 1 : 0;
  const sum = choice.reduce((s, k) => s + w[k], 0);
  return Math.min(1, Math.max(0, sum / 100));
}

// A staff caller for srv: call(path, user, body) -> {status, body}; GET
// without a body, POST with one.
export function staffApi(srv) {
  const cookies = {};
  return async (path, user = 'giangvien', body) => {
    if (!cookies[user]) cookies[user] = (await h.login(srv, user)).cookie;
    const headers = { origin: srv.base, cookie: cookies[user] };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const r = await fetch(srv.base + path, { method: body === undefined ? 'GET' : 'POST', headers,
      body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.status, body: await r.json() };
  };
}

// The trainer giangvien makes the bank and publishes the fixed exam (every
// question, two attempts) and the blueprint exam (two of topic A, two of
// B, a draw per paper). Returns {bank, ids, F, R}.
export async function examsBuild(api) {
  const bank = await api('/api/staff/banks', 'giangvien', { name: 'thong-ke', title: 'Ngân hàng thống kê' });
  assert.equal(bank.status, 200, JSON.stringify(bank.body));
  const ids = [];
  for (const [i, [text, topic, points, weights]] of QUESTIONS.entries()) {
    const options = [0, 1, 2, 3].map((k) => ({ text: optText(i, k), weight: weights ? weights[k] : k === 1 ? 100 : 0 }));
    const r = await api('/api/staff/questions', 'giangvien', { bank: bank.body.id, topic, difficulty: 'medium', text,
      multi: !!weights, options, points, shuffle: true, explanation: '' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    ids.push(r.body.id);
  }
  const common = { bank: bank.body.id, duration_s: 3600, review: 'none', shuffle_questions: true, shuffle_options: true,
    multi_scoring: 'partial', wrong_penalty: 0 };
  const f = await api('/api/staff/exams', 'giangvien', { ...common, title: 'Thống kê: đề cố định', questions: ids, attempts: 2 });
  assert.equal(f.status, 200, JSON.stringify(f.body));
  const r = await api('/api/staff/exams', 'giangvien', { ...common, title: 'Thống kê: đề rút ngẫu nhiên', attempts: 1,
    random_selection: true, blueprint: [{ topic: 'A', difficulty: null, count: 2 }, { topic: 'B', difficulty: null, count: 2 }] });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return { bank: bank.body.id, ids, F: f.body.id, R: r.body.id };
}

// Candidate k (client c) sits one attempt of exam: answers the plan (when
// k % 6 == 0 question 3 is answered wrong first: the last answer counts;
// blanks are sent as [] by odd k and not at all by even k) and submits
// unless open. Returns {k, second, sat: [{id, i, choice, fraction}]}.
export async function sit(c, ids, exam, k, { second = false, open = false } = {}) {
  const p = await c.request('start', { exam });
  assert.equal(p.type, 'paper', JSON.stringify(p));
  let seq = p.last_seq;
  const sat = [];
  const answer = async (pq, display) => {
    const a = await c.request('answer', { attempt: p.attempt, q: pq.q, choice: display, flag: false, seq: ++seq });
    assert.equal(a.type, 'ack', JSON.stringify(a));
  };
  for (const pq of p.questions) {
    const i = ids.indexOf(pq.q);
    assert.ok(i >= 0, `question ${pq.q} is not one of the bank's`);
    const display = (bank) => bank.map((b) => pq.options.indexOf(optText(i, b))).sort();
    const choice = plan(i, k, second);
    if (k % 6 === 0 && i === 2) await answer(pq, display([0]));
    if (choice.length || k % 2) await answer(pq, display(choice));
    sat.push({ id: pq.q, i, choice: [...choice].sort(), fraction: fraction(i, choice) });
  }
  if (open) return null;
  const r = await c.request('submit', { attempt: p.attempt });
  assert.equal(r.type, 'result', JSON.stringify(r));
  return { k, second, sat };
}

// n candidates sit exam F (k < again: twice) and, when R, exam R once;
// six at a time. Returns {F: [...], R: [...]} of sit()'s records.
export async function sitAll(srv, ex, n, { again = 0, R = true } = {}) {
  const out = { F: [], R: [] };
  const one = async (k) => {
    const c = await h.candidate(srv, logins(n)[k]);
    try {
      out.F.push(await sit(c, ex.ids, ex.F, k));
      if (R) out.R.push(await sit(c, ex.ids, ex.R, k));
      if (k < again) out.F.push(await sit(c, ex.ids, ex.F, k, { second: true }));
    } finally {
      c.kill();
    }
  };
  for (let k = 0; k < n; k += 6) await Promise.all([0, 1, 2, 3, 4, 5].filter((d) => k + d < n).map((d) => one(k + d)));
  return out;
}
