// candidate.test.js — the candidate web app (web/) in Debian's chromium,
// driven by playwright-core against the real examd binary (one server per
// test, see ../integration/harness.js). Phone-sized, Vietnamese by default.
// Every test also fails on a page error, a console error or a CSP
// violation; the only expected ones are the 401 of GET /api/session before
// login and, while the network is down on purpose, the failed reconnects.
// Screenshots for the docs go to docs/img/.
//
// Run: cd tests && node --test browser/   (EXAMD_BIN picks the binary)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch } from './browser.js';
import * as h from '../integration/harness.js';

const IMG = join(h.ROOT, 'docs', 'img');
const PHONE = { width: 360, height: 740 };
const LIMIT = 60 * 1000; // first-load budget, bytes
const TEST_MS = 60000;
const WAIT_MS = 10000; // any single DOM wait

let browser;

before(async () => {
  mkdirSync(IMG, { recursive: true });
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
});

// ---- set-up: a server, a phone-sized context, an error collector ----

// A fresh server (demo set-up) and a new browser context with one page.
// Everything is torn down after the test, whether it passed or not.
async function setup(t, { viewport = PHONE } = {}) {
  const env = { srv: await h.startServer() };
  env.dir = env.srv.dir;
  let context = null;
  t.after(async () => {
    try {
      if (context) await context.close();
    } finally {
      try {
        // A clean exit is part of the test (the sanitizer build fails on a
        // leak), unless the test itself killed this server.
        if (env.srv.proc.signalCode === 'SIGKILL') await h.stopServer(env.srv);
        else await h.stopServerClean(env.srv);
      } finally {
        h.cleanup(env.srv);
      }
    }
  });
  context = await browser.newContext({
    viewport, isMobile: true, hasTouch: true, deviceScaleFactor: 1,
    locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh',
  });
  // CSP violations also reach the console as errors: say so explicitly.
  await context.addInitScript(() => {
    addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    }, true);
  });
  env.context = context;
  env.page = await context.newPage();
  env.page.setDefaultTimeout(WAIT_MS);
  env.errors = watch(env);
  // Every examd.v1 frame the page sends and receives, parsed, in order.
  env.frames = [];
  env.page.on('websocket', (ws) => {
    const rec = (dir) => (f) => {
      try { env.frames.push({ dir, ...JSON.parse(f.payload) }); } catch { /* not JSON */ }
    };
    ws.on('framesent', rec('out'));
    ws.on('framereceived', rec('in'));
  });
  return env;
}

// Collect page errors and console errors. errors.loggedIn: the 401 of GET
// /api/session is no longer expected; errors.offline: the network is down
// on purpose, failed reconnects (socket and session check) are expected.
function watch(env) {
  const errors = { list: [], ignored: [], loggedIn: false, offline: false };
  env.page.on('pageerror', (e) => errors.list.push(`pageerror: ${e.stack || e.message}`));
  env.page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text(), url = m.location().url || '';
    if ((!errors.loggedIn && /\/api\/session$/.test(url) && /status of 401/.test(text)) ||
        (errors.offline && (/^WebSocket connection to .* failed/.test(text) ||
          (/\/api\/session$/.test(url) && /Failed to load resource: net::ERR_/.test(text))))) {
      errors.ignored.push(text);
      return;
    }
    errors.list.push(`console.error: ${text}${url ? ` (${url})` : ''}`);
  });
  return errors;
}

function noErrors(env) {
  assert.deepEqual(env.errors.list, [], 'page errors, console errors or CSP violations');
}

// Run the test body; if it fails and the server died, say how.
function explain(env, fn) {
  return h.explain(env.srv, fn);
}

const shot = (page, name) => page.screenshot({ path: join(IMG, name) });

// ---- DOM helpers (playwright-core has no expect(): wait on the DOM) ----

const sel = (id) => `[data-testid="${id}"]`;

function waitDom(page, fn, arg, what) {
  return page.waitForFunction(fn, arg, { timeout: WAIT_MS }).catch((e) => {
    e.message = `waiting for ${what}: ${e.message}`;
    throw e;
  });
}

const attr = (page, id, name) => page.locator(sel(id)).getAttribute(name);
const text = (page, id) => page.locator(sel(id)).textContent();

function waitSave(page, state) {
  return waitDom(page, (s) => document.querySelector('[data-testid="save-state"]')?.dataset.state === s,
    state, `save-state ${state}`);
}

function waitConn(page, state) {
  return waitDom(page, (s) => {
    const el = document.querySelector('[data-testid="conn-state"]');
    return el && !el.hidden && el.dataset.state === s;
  }, state, `conn-state ${state}`);
}

// Wait until grid cell i matches spec: {current, state (data-state), has:
// [classes], not: [classes]}.
function waitCell(page, i, spec, what) {
  return waitDom(page, ([i, spec]) => {
    const el = document.querySelector(`[data-testid="grid-cell-${i}"]`);
    if (!el) return false;
    if (spec.current !== undefined && (el.getAttribute('aria-current') === 'true') !== spec.current) return false;
    if (spec.state !== undefined && el.dataset.state !== spec.state) return false;
    return (spec.has || []).every((c) => el.classList.contains(c)) &&
      (spec.not || []).every((c) => !el.classList.contains(c));
  }, [i, spec], `grid cell ${i + 1}: ${what || JSON.stringify(spec)}`);
}

// Log in through the form; resolves on the exam list.
async function logIn(env, user = 'ts01') {
  const { page } = env;
  await page.fill(sel('login-username'), user);
  await page.fill(sel('login-password'), 'examd-demo');
  env.errors.loggedIn = true;
  await page.click(sel('login-submit'));
  await page.waitForSelector(sel('exam-start'));
}

// Start exam 1 from the list; resolves on question 1 of the paper.
async function startExam(page) {
  await page.click(sel('exam-start'));
  await page.waitForSelector(sel('question-text'));
  await waitCell(page, 0, { current: true });
}

// Open the page, log in and start exam 1: resolves on question 1.
async function openPaper(env) {
  await env.page.goto(env.srv.base + '/');
  await env.page.waitForSelector(sel('login-username'));
  await logIn(env);
  await startExam(env.page);
}

// Show question i (0-based) with the next button or the grid.
async function show(page, i, via) {
  if (via === 'next') await page.click(sel('next'));
  else if (via === 'prev') await page.click(sel('prev'));
  else await page.click(sel(`grid-cell-${i}`));
  await waitCell(page, i, { current: true });
  const head = await page.locator('.q .qnum').textContent();
  assert.match(head, new RegExp(`^Câu ${i + 1}/20$`));
}

// The question on screen: its text, options and whether it is multi.
async function current(page) {
  return page.evaluate(() => {
    const inputs = [...document.querySelectorAll('.q .opt input')];
    return {
      text: document.querySelector('[data-testid="question-text"]').textContent,
      options: inputs.map((i) => i.closest('label').textContent),
      multi: inputs[0].type === 'checkbox',
      checked: inputs.map((i, k) => (i.checked ? k : -1)).filter((k) => k >= 0),
    };
  });
}

// Choose options (indexes; a single-answer question takes the first) on
// the question shown, from no choice; with wait, until the server has it.
async function choose(page, idx, { wait = true } = {}) {
  const q = await current(page);
  assert.deepEqual(q.checked, [], `question already answered: ${q.text}`);
  const pick = q.multi ? [...new Set(idx)].sort((a, b) => a - b) : [idx[0]];
  for (const k of pick) await page.click(sel(`option-${k}`));
  if (wait) await waitSave(page, 'saved');
  const now = await current(page);
  assert.deepEqual(now.checked, pick, `choice shown for ${q.text}`);
  return { ...q, checked: pick, chosen: pick.map((k) => q.options[k]) };
}

// Read mm:ss from the timer, in seconds.
async function timerSeconds(page) {
  const s = (await text(page, 'timer')).trim();
  const m = s.match(/^(\d+):(\d\d)$/);
  assert.ok(m, `timer text ${JSON.stringify(s)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

// A separate protocol client for the same candidate: the server's view.
// Its start resumes the attempt, which takes it over from the page (the
// page then shows "opened on another device"); start: false only lists.
async function serverPaper(srv, user = 'ts01', { start = true } = {}) {
  const c = await h.candidate(srv, user);
  try {
    const hello = await c.request('hello');
    if (!start) return { hello };
    const paper = await c.request('start', { exam: 1 });
    assert.equal(paper.type, 'paper', JSON.stringify(paper));
    return { hello, paper };
  } finally {
    await c.kill();
  }
}

// The bank question shown (matched by text) and whether a choice of option
// texts is exactly its key.
function bankQ(qtext) {
  const bq = h.loadBank().questions.find((x) => x.text === qtext);
  assert.ok(bq, `question not in the bank: ${qtext}`);
  return bq;
}
function isRight(qtext, chosenTexts) {
  const bq = bankQ(qtext);
  const key = bq.correct.map((i) => bq.options[i]).sort();
  return JSON.stringify([...chosenTexts].sort()) === JSON.stringify(key);
}

// ---- 1. language, login, rules, answering every question ----

test('phone: Vietnamese by default, English toggle, log in, rules, answer all 20, flag, clear', { timeout: TEST_MS }, async (t) => {
  const env = await setup(t);
  const { page } = env;
  await explain(env, async () => {
    await page.goto(env.srv.base + '/');
    await page.waitForSelector(sel('login-username'));
    const vi = { h1: 'Đăng nhập', label: 'Tên đăng nhập', toggle: 'English', brand: 'Thi trắc nghiệm' };
    const en = { h1: 'Log in', label: 'Username', toggle: 'Tiếng Việt', brand: 'Online exam' };
    const labels = () => page.evaluate(() => ({
      h1: document.querySelector('main h1').textContent,
      label: document.querySelector('label[for=lu]').textContent,
      toggle: document.querySelector('[data-testid="lang-toggle"]').textContent,
      brand: document.getElementById('brand').textContent,
      lang: document.documentElement.lang,
      submit: document.querySelector('[data-testid="login-submit"]').textContent,
    }));
    let l = await labels();
    assert.deepEqual({ h1: l.h1, label: l.label, toggle: l.toggle, brand: l.brand }, vi);
    assert.equal(l.lang, 'vi');
    assert.equal(await page.title(), 'Thi trắc nghiệm');
    await shot(page, 'login.png');

    await page.click(sel('lang-toggle'));
    await waitDom(page, () => document.documentElement.lang === 'en', null, 'English');
    l = await labels();
    assert.deepEqual({ h1: l.h1, label: l.label, toggle: l.toggle, brand: l.brand }, en);
    assert.equal(l.submit, 'Log in');
    await page.click(sel('lang-toggle'));
    await waitDom(page, () => document.documentElement.lang === 'vi', null, 'Vietnamese again');
    l = await labels();
    assert.deepEqual({ h1: l.h1, label: l.label, toggle: l.toggle, brand: l.brand }, vi);

    await logIn(env);
    const rules = await page.evaluate(() => {
      const out = {};
      for (const dt of document.querySelectorAll('[data-testid="exam-1"] .rules dt')) {
        out[dt.textContent] = dt.nextElementSibling.textContent;
      }
      return out;
    });
    assert.equal(rules['Số câu hỏi'], '20');
    assert.equal(rules['Thời gian'], '15 phút');
    assert.equal(rules['Số lần đã làm'], '0/2');
    assert.equal(await text(page, 'exam-start'), 'Bắt đầu làm bài');
    assert.equal(await text(page, 'logout'), 'Đăng xuất');
    await shot(page, 'exams.png');

    await startExam(page);
    assert.equal(await page.locator('[data-testid^="grid-cell-"]').count(), 20);
    const chosen = [];
    // Questions 1-10 with "next", 11-20 with the grid.
    for (let i = 0; i < 20; i++) {
      if (i > 0) await show(page, i, i < 10 ? 'next' : 'grid');
      assert.equal(await attr(page, 'save-state', 'data-state'), 'none');
      assert.equal(await text(page, 'save-state'), 'Chưa trả lời');
      chosen[i] = await choose(page, [0, 1]);
      assert.equal(await text(page, 'save-state'), 'Đã lưu');
      await waitCell(page, i, { has: ['ans'], state: 'saved' });
    }
    assert.equal(await attr(page, 'next', 'disabled'), '');
    await show(page, 18, 'prev');
    assert.deepEqual((await current(page)).checked, chosen[18].checked);

    // Flag question 3: the grid shows it flagged (and still answered).
    await show(page, 2, 'grid');
    await page.click(sel('flag-toggle'));
    await waitSave(page, 'saved');
    assert.equal(await attr(page, 'flag-toggle', 'aria-pressed'), 'true');
    assert.equal(await text(page, 'flag-toggle'), 'Đã đánh dấu');
    await waitCell(page, 2, { has: ['flag', 'ans'], state: 'saved' });
    assert.match(await attr(page, 'grid-cell-2', 'aria-label'), /^3: Đã trả lời, Đánh dấu$/);

    // Clear question 5: the grid shows it unanswered; then answer it again.
    await show(page, 4, 'grid');
    await page.click(sel('clear-answer'));
    await waitSave(page, 'saved');
    assert.deepEqual((await current(page)).checked, []);
    await waitCell(page, 4, { not: ['ans'], state: 'saved' });
    assert.equal(await attr(page, 'grid-cell-4', 'aria-label'), '5: Chưa trả lời');
    assert.equal(await attr(page, 'clear-answer', 'disabled'), '');
    chosen[4] = await choose(page, [0, 1]);
    await waitCell(page, 4, { has: ['ans'], state: 'saved' });

    // paper.png: an answered question (the shortest, so that the grid
    // fits below it), shown from the grid: scrolled under the sticky bar.
    const short = chosen.reduce((best, c, i) => (c.text.length < chosen[best].text.length ? i : best), 0);
    await page.setViewportSize({ width: 360, height: 900 });
    await show(page, short === 0 ? 1 : 0, 'grid');
    await show(page, short, 'grid');
    await shot(page, 'paper.png');
    await page.setViewportSize(PHONE);

    // The server holds all 20, as chosen, with the one flag.
    const { paper } = await serverPaper(env.srv);
    assert.equal(paper.resumed, true);
    assert.equal(paper.answers.length, 20);
    const byText = new Map(paper.questions.map((q) => [q.text, q]));
    const got = new Map(paper.answers.map((a) => [a.q, a]));
    chosen.forEach((c, i) => {
      const pq = byText.get(c.text);
      assert.ok(pq, `question ${i + 1} not on the server's paper`);
      assert.deepEqual(pq.options, c.options, `options of question ${i + 1} in the same order`);
      assert.deepEqual(got.get(pq.q), { q: pq.q, choice: c.checked, flag: i === 2 }, `question ${i + 1}`);
    });
    assert.deepEqual(paper.questions.map((q) => q.text), chosen.map((c) => c.text), 'same order');
    noErrors(env);
  });
});

// ---- 2. offline and back ----

test('offline: answers wait in the outbox, are resent after reconnecting, the server has them', { timeout: TEST_MS }, async (t) => {
  const env = await setup(t);
  const { page, context } = env;
  await explain(env, async () => {
    await openPaper(env);
    await waitConn(page, 'online');
    const first = await choose(page, [0]);

    // Network down: chromium's offline emulation need not close an open
    // WebSocket, so the server goes too (SIGKILL, like a power cut).
    const port = env.srv.port;
    env.errors.offline = true;
    await context.setOffline(true);
    await h.killServer(env.srv);
    await waitConn(page, 'offline');
    assert.match(await text(page, 'conn-state'), /^Mất kết nối/);

    await show(page, 1, 'next');
    const second = await choose(page, [2, 3], { wait: false });
    assert.equal(await attr(page, 'save-state', 'data-state'), 'saving');
    assert.equal(await text(page, 'save-state'), 'Đang lưu…');
    await show(page, 3, 'grid');
    const fourth = await choose(page, [1, 2], { wait: false });
    assert.equal(await attr(page, 'save-state', 'data-state'), 'saving');
    for (const i of [1, 3]) await waitCell(page, i, { has: ['ans', 'pend'], state: 'saving' });
    assert.equal(await attr(page, 'submit', 'disabled'), '', 'no submit while answers are unsaved');
    // Offline is shown (as offline or as a reconnect attempt under way).
    const cs = await attr(page, 'conn-state', 'data-state');
    assert.ok(cs === 'offline' || cs === 'reconnecting', `conn-state ${cs}`);
    await waitConn(page, 'offline');
    await shot(page, 'offline.png');
    // The clock runs on while offline.
    const s0 = await timerSeconds(page);
    await waitDom(page, (s0) => {
      const m = document.querySelector('[data-testid="timer"]').textContent.match(/^(\d+):(\d\d)$/);
      return m && Number(m[1]) * 60 + Number(m[2]) < s0;
    }, s0, 'the timer to count down offline');
    const attempt = env.frames.find((f) => f.dir === 'in' && f.type === 'paper').attempt;
    const pending = await page.evaluate((a) => JSON.parse(localStorage.getItem('examd.ob.' + a)), attempt);
    assert.deepEqual(pending.map((e) => e.q).filter((q, i, all) => all.indexOf(q) === i).length, 2, JSON.stringify(pending));
    const mark = env.frames.length;
    // Still not saved: nothing can have reached a dead server.
    assert.equal(await attr(page, 'save-state', 'data-state'), 'saving');
    for (const i of [1, 3]) assert.equal(await attr(page, `grid-cell-${i}`, 'data-state'), 'saving');

    // Back: the same port and database; the session row survived.
    env.srv = await h.startServer({ dir: env.dir, port, demo: false });
    await context.setOffline(false);
    await waitConn(page, 'online');
    await waitSave(page, 'saved');
    for (const i of [0, 1, 3]) await waitCell(page, i, { has: ['ans'], not: ['pend'], state: 'saved' });
    await waitDom(page, () => !document.querySelector('[data-testid="submit"]').disabled, null, 'submit enabled');
    assert.equal(await text(page, 'conn-state'), 'Đã kết nối');
    env.errors.offline = false;
    // After reconnecting: hello, start naming the attempt, then the outbox
    // resent in order with its original seqs, each acknowledged.
    const after = env.frames.slice(mark);
    const outs = after.filter((f) => f.dir === 'out');
    assert.deepEqual(outs.slice(0, 2).map((f) => f.type), ['hello', 'start']);
    assert.equal(outs[1].attempt, attempt, 'start names the attempt (protocol §4.3)');
    assert.deepEqual(outs.filter((f) => f.type === 'answer').map(({ q, choice, flag, seq }) => ({ q, choice, flag, seq })),
      pending.map(({ q, choice, flag, seq }) => ({ q, choice, flag, seq })), 'resent as queued');
    const acked = after.filter((f) => f.dir === 'in' && f.type === 'ack').map((f) => f.seq);
    assert.deepEqual(acked.sort((x, y) => x - y), pending.map((e) => e.seq));
    assert.deepEqual(JSON.parse(await page.evaluate((a) => localStorage.getItem('examd.ob.' + a), attempt)), []);
    t.diagnostic(`expected console errors: ${env.errors.ignored.join(' | ')}`);
    assert.deepEqual((await current(page)).checked, fourth.checked);

    // The server's answers, seen by another client of the same user.
    const { paper } = await serverPaper(env.srv);
    assert.equal(paper.resumed, true);
    const byText = new Map(paper.questions.map((q) => [q.text, q]));
    const want = [first, second, fourth].map((c) => {
      const pq = byText.get(c.text);
      assert.ok(pq, `not on the server's paper: ${c.text}`);
      assert.deepEqual(pq.options, c.options);
      return { q: pq.q, choice: c.checked, flag: false };
    }).sort((a, b) => a.q - b.q);
    assert.deepEqual([...paper.answers].sort((a, b) => a.q - b.q), want);
    assert.equal(paper.last_seq, Math.max(...pending.map((e) => e.seq)));
    noErrors(env);
  });
});

// ---- 3. reload mid-exam ----

test('reload mid-exam: back on the paper with the answers and the server\'s clock', { timeout: TEST_MS }, async (t) => {
  const env = await setup(t);
  const { page } = env;
  await explain(env, async () => {
    await openPaper(env);
    const chosen = [await choose(page, [1])];
    await show(page, 1, 'next');
    chosen.push(await choose(page, [0, 2]));
    await show(page, 2, 'next');
    chosen.push(await choose(page, [3, 0]));

    const attempt = env.frames.find((f) => f.dir === 'in' && f.type === 'paper').attempt;
    const mark = env.frames.length;
    await page.reload();
    await page.waitForSelector(sel('question-text'));
    await waitDom(page, () => /^\d\d:\d\d$/.test(document.querySelector('[data-testid="timer"]')?.textContent || ''),
      null, 'the timer');
    // Straight back to the paper (question 1), answers as saved.
    await waitCell(page, 0, { current: true });
    let q = await current(page);
    assert.equal(q.text, chosen[0].text);
    assert.deepEqual(q.checked, chosen[0].checked);
    for (let i = 0; i < 20; i++) {
      const want = i < 3;
      await waitCell(page, i, want ? { has: ['ans'], state: 'saved' } : { not: ['ans'], state: 'none' });
    }
    for (const i of [1, 2]) {
      await show(page, i, 'grid');
      q = await current(page);
      assert.equal(q.text, chosen[i].text);
      assert.deepEqual(q.checked, chosen[i].checked);
      assert.equal(await attr(page, 'save-state', 'data-state'), 'saved');
    }

    const starts = env.frames.slice(mark).filter((f) => f.dir === 'out' && f.type === 'start');
    assert.deepEqual(starts.map((f) => f.attempt), [attempt], 'one start after the reload, naming the attempt');

    // The clock: from the server's left_ms, and running.
    const s = await timerSeconds(page);
    assert.ok(s <= 15 * 60 && s > 14 * 60, `timer ${s} s`);
    const { hello } = await serverPaper(env.srv, 'ts01', { start: false });
    const left = hello.exams[0].running.left_ms / 1000;
    assert.ok(Math.abs(left - s) <= 3, `timer ${s} s, server says ${left} s left`);
    await waitDom(page, (s0) => {
      const m = document.querySelector('[data-testid="timer"]').textContent.match(/^(\d+):(\d\d)$/);
      return m && Number(m[1]) * 60 + Number(m[2]) < s0;
    }, s, 'the timer to count down');
    noErrors(env);
  });
});

// ---- 3b. one device per attempt ----

test('take-over: the exam opened in a second tab closes the first, which says why and waits for a click', { timeout: TEST_MS }, async (t) => {
  const env = await setup(t);
  const { page } = env;
  await explain(env, async () => {
    await openPaper(env);
    await choose(page, [0]);
    const attempt = env.frames.find((f) => f.dir === 'in' && f.type === 'paper').attempt;

    // A second tab of the same browser (same session) resumes the exam.
    const page2 = await env.context.newPage();
    page2.setDefaultTimeout(WAIT_MS);
    const env2 = { page: page2 };
    const errors2 = watch(env2);
    errors2.loggedIn = true;
    let sockets1 = 0;
    page.on('websocket', () => sockets1++);
    await page2.goto(env.srv.base + '/');
    await page2.waitForSelector(sel('question-text'));

    // The first tab: told why, in Vietnamese, and not reconnecting.
    await page.waitForSelector(sel('taken'));
    assert.equal(await page.locator(`${sel('taken')} h1`).textContent(), 'Bài làm đã được mở trên thiết bị khác');
    await waitConn(page, 'taken');
    assert.ok(env.frames.some((f) => f.dir === 'in' && f.type === 'taken_over' && f.attempt === attempt));
    await shot(page, 'taken.png');
    // The second tab carries on: an answer there is saved while the
    // first stays on its message (a reconnect would have taken it back).
    await show(page2, 1, 'next');
    await choose(page2, [1]);
    assert.equal(sockets1, 0, 'the first tab did not reconnect');
    assert.equal(await page.locator(sel('taken')).count(), 1);

    // English too.
    await page.click(sel('lang-toggle'));
    await waitDom(page, () => document.querySelector('[data-testid="taken"] h1')?.textContent === 'Your exam was opened on another device',
      null, 'the English message');
    await page.click(sel('lang-toggle'));

    // Taking it back: the first tab resumes with both answers; now the
    // second one shows the message.
    await page.click(sel('take-back'));
    await page.waitForSelector(sel('question-text'));
    await waitCell(page, 0, { has: ['ans'], state: 'saved' });
    await waitCell(page, 1, { has: ['ans'], state: 'saved' });
    await page2.waitForSelector(sel('taken'));
    assert.equal(sockets1, 1);
    noErrors(env);
    assert.deepEqual(errors2.list, [], 'second tab: page errors, console errors or CSP violations');
  });
});

// ---- 4. submit and the result ----

test('submit: the dialog lists the unanswered question, the result matches the bank\'s key', { timeout: TEST_MS }, async (t) => {
  const env = await setup(t);
  const { page } = env;
  await explain(env, async () => {
    await openPaper(env);
    const SKIP = 6; // question 7 stays unanswered
    const chosen = [];
    for (let i = 0; i < 20; i++) {
      if (i > 0) await show(page, i, 'next');
      if (i === SKIP) continue;
      // Every third question right (by the bank), the others option 0 (and 1).
      let idx = [0, 1];
      if (i % 3 === 0) {
        const q = await current(page), bq = bankQ(q.text);
        const key = new Set(bq.correct.map((k) => bq.options[k]));
        idx = q.options.map((o, k) => (key.has(o) ? k : -1)).filter((k) => k >= 0);
      }
      chosen.push(await choose(page, idx));
    }
    await waitDom(page, () => !document.querySelector('[data-testid="submit"]').disabled, null, 'submit enabled');
    await page.click(sel('submit'));
    await page.waitForSelector('[role=dialog]');
    const dialog = await page.locator('[role=dialog]').textContent();
    assert.match(dialog, /Câu chưa trả lời: 7(?!\d)/);
    assert.match(dialog, /Sau khi nộp, bạn không thể sửa bài\./);
    await page.click(sel('confirm-submit'));
    await page.waitForSelector(sel('result-score'));

    const expected = chosen.filter((c) => isRight(c.text, c.chosen)).length;
    assert.ok(expected >= 6, `at least the 6 answered by the key are right (${expected})`);
    const score = String(Math.round((expected * 10 / 20) * 100) / 100).replace('.', ',');
    assert.equal(await text(page, 'result-correct'), `${expected}/20 câu đúng`);
    assert.equal(await text(page, 'result-score'), `${score} / 10`);
    // The review (policy "full") agrees, question by question.
    assert.equal(await page.locator('.review .rv').count(), 20);
    assert.equal(await page.locator('.review .rv.right').count(), expected);
    await page.evaluate(() => scrollTo(0, 0));
    await shot(page, 'result.png');
    noErrors(env);
  });
});

// ---- 5. first-load size ----

// Follow index.html's scripts, styles and module preloads, and every ES
// module import, from the server; returns Map url -> bytes.
async function crawl(base) {
  const sizes = new Map();
  const queue = [new URL('/', base).href];
  while (queue.length) {
    const url = queue.shift();
    if (sizes.has(url)) continue;
    const r = await fetch(url);
    assert.equal(r.status, 200, `GET ${url}`);
    const body = Buffer.from(await r.arrayBuffer());
    sizes.set(url, body.length);
    const src = body.toString('utf8');
    const refs = [];
    const type = (r.headers.get('content-type') || '').split(';')[0];
    if (type === 'text/html') {
      for (const m of src.matchAll(/<script\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi)) refs.push(m[1]);
      for (const m of src.matchAll(/<link\b[^>]*>/gi)) {
        const rel = (m[0].match(/\brel\s*=\s*["']([^"']+)["']/i) || [])[1] || '';
        const href = (m[0].match(/\bhref\s*=\s*["']([^"']+)["']/i) || [])[1];
        if (href && /\b(stylesheet|modulepreload|preload|icon|manifest)\b/i.test(rel)) refs.push(href);
      }
    } else if (/javascript/.test(type) || url.endsWith('.js')) {
      for (const m of src.matchAll(/\b(?:import|export)\b[^'";]*?\bfrom\s*["']([^"']+)["']/g)) refs.push(m[1]);
      for (const m of src.matchAll(/\bimport\s*["']([^"']+)["']/g)) refs.push(m[1]);
      for (const m of src.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g)) refs.push(m[1]);
    } else if (type === 'text/css') {
      for (const m of src.matchAll(/@import\s+(?:url\()?\s*["']?([^"')\s;]+)/g)) refs.push(m[1]);
      for (const m of src.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) refs.push(m[1]);
    }
    for (const ref of refs) {
      if (/^data:/i.test(ref)) continue;
      const u = new URL(ref, url);
      if (u.origin === new URL(base).origin) queue.push(u.href);
    }
  }
  return sizes;
}

test('first load: index.html and everything it loads stay under 60 KB', { timeout: TEST_MS }, async (t) => {
  const env = await setup(t);
  const { page } = env;
  await explain(env, async () => {
    const origin = new URL(env.srv.base).origin;
    const files = await crawl(env.srv.base);
    const total = [...files.values()].reduce((a, b) => a + b, 0);
    const names = [...files.keys()].map((u) => new URL(u).pathname);
    for (const f of ['/', '/css/app.css', '/js/main.js', '/js/paper.js', '/i18n/vi.js']) {
      assert.ok(names.includes(f), `${f} found by the crawl: ${names.join(' ')}`);
    }
    assert.ok(total < LIMIT, `first load ${total} bytes (${names.length} files) >= ${LIMIT}`);

    // A real load: same-origin bodies until the login form is usable.
    const responses = [], finished = new Set();
    page.on('response', (r) => { if (new URL(r.url()).origin === origin) responses.push(r); });
    page.on('requestfinished', (r) => finished.add(r));
    await page.goto(env.srv.base + '/');
    await waitDom(page, () => {
      const u = document.querySelector('[data-testid="login-username"]');
      const b = document.querySelector('[data-testid="login-submit"]');
      return document.readyState === 'complete' && u && !u.disabled && b && !b.disabled;
    }, null, 'an interactive login form');
    const seen = responses.slice();
    let wire = 0;
    for (const r of seen) {
      if (finished.has(r.request())) {
        wire += (await r.request().sizes()).responseBodySize;
      } else {
        // A body the page never reads (the 401 of GET /api/session) does
        // not finish loading: count its announced length.
        const len = Number(await r.headerValue('content-length'));
        assert.ok(Number.isInteger(len), `no content-length on unfinished ${r.url()}`);
        wire += len;
      }
    }
    const paths = seen.map((r) => new URL(r.url()).pathname);
    assert.ok(wire < LIMIT, `transferred ${wire} body bytes before the login form: ${paths.join(' ')}`);
    assert.ok(wire > 0);
    // Everything the browser loaded was counted by the crawl (plus the
    // session check).
    for (const p of paths) assert.ok(p === '/api/session' || names.includes(p), `${p} loaded but not found by the crawl`);
    assert.equal(paths.filter((p) => p === '/api/session').length, 1);
    t.diagnostic(`first load: ${total} bytes in ${names.length} files; browser transferred ${wire} body bytes`);
    noErrors(env);
  });
});
