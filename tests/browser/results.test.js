// results.test.js — the class table and the review in Debian's chromium
// (docs/scores.md): candidates sit a class exam over the WebSocket with
// known answers, then the trainer opens the exams list, the class table
// (sorted by a header click, filtered accent-insensitively and by
// classification), re-opens an attempt with a reason and opens a review
// (the paper in the candidate's order, the key, every change). Fails on a
// page error, a CSP violation or an unexpected console error. Screenshots:
// docs/img/results-table.png, results-reopen.png, results-review.png.
//
// Run: cd tests && node --test browser/results.test.js
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, watchedPage, staffLogin } from './browser.js';
import * as h from '../integration/harness.js';
import staffVi from '../../web/i18n/staff-vi.js';
import staffEn from '../../web/i18n/staff-en.js';

const IMG = join(h.ROOT, 'docs', 'img');
const OFFICE = { width: 1366, height: 768 };
const TEST_MS = 90000;
const ROSTER = 'Họ và tên;Ngày sinh;Đơn vị\n'
  + 'Nguyễn Văn An;01/01/1991;\nTrần Thị Bình;02/02/1992;\nLê Văn Cường;03/03/1993;\n'
  + 'Phạm Thị Dung;04/04/1994;\nĐỗ Thị Én;05/05/1995;\n';
const RIGHT = { nguyenvanan: 7, tranthibinh: 4, levancuong: 3, dothien: 8 }; // of 8

let browser, ref, page;
const errors = { list: [], allow: [] };
const st = {};

ref = h.sharedServer((dir) => h.prepareDb(dir));

const api = async (method, path, body, raw) =>
  (await staffApi(method, path, body ?? undefined, raw ? { raw } : {})).body;
const staffApi = h.staffApi(() => ref.srv);

before(async () => {
  mkdirSync(IMG, { recursive: true });
  browser = await launch();
  page = await watchedPage(browser,
    { viewport: OFFICE, deviceScaleFactor: 1, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' }, errors);
});

// The server starts in a hook of its own: the data is made in the first test.
test('setup: a class, its exam and four candidates who sat it over the WebSocket', { timeout: TEST_MS }, async () => {
  st.cls = (await api('POST', '/api/staff/classes', { name: 'Lớp nhận thức về Đảng K12' })).id;
  const roster = await api('POST', `/api/staff/classes/${st.cls}/roster?dry_run=0`, null, ROSTER);
  st.pw = Object.fromEntries(roster.members.map((m) => [m.login, m.password]));
  st.exam = (await api('POST', '/api/staff/exams', { title: 'Kiểm tra cuối khóa', bank: 1, class: st.cls,
    duration_s: 900, attempts: 2, blueprint: [{ count: 8 }], grading: { rounding: 0.25 } })).id;
  for (const m of roster.members) {
    if (RIGHT[m.login] === undefined) continue;
    let c = await h.candidate(ref.srv, m.login, m.password);
    const p = await c.request('start', { exam: st.exam });
    let seq = 0;
    for (const [i, q] of p.questions.entries()) {
      if (m.login === 'nguyenvanan' && i === 4) { // the network drops halfway: resume
        await c.kill();
        c = await h.candidate(ref.srv, m.login, m.password);
        assert.equal((await c.request('start', { exam: st.exam, attempt: p.attempt })).resumed, true);
        st.an = p.attempt;
      }
      await c.request('answer', { attempt: p.attempt, q: q.q, choice: [h.wrongOf(q)], seq: ++seq });
      if (i < RIGHT[m.login]) await c.request('answer', { attempt: p.attempt, q: q.q, choice: h.keyOf(q), seq: ++seq });
    }
    const r = await c.request('submit', { attempt: p.attempt });
    assert.equal(r.type, 'result');
    await c.close();
  }
  // the review shows the drop and the return once they are written (within a second)
  const until = Date.now() + 5000;
  while (h.dbQuery(ref.srv.db, `SELECT 1 FROM attempt_events WHERE attempt_id=${st.an}`).length < 2) {
    assert.ok(Date.now() < until, 'connection events not written');
    await new Promise((res) => setTimeout(res, 50));
  }
});

after(async () => {
  if (browser) await browser.close();
});

const sel = (id) => `[data-testid="${id}"]`;
const names = () => page.locator(`${sel('res-table')} ${sel('res-name')}`).evaluateAll(
  (els) => els.map((e) => e.firstChild.textContent));
const noErrors = () => assert.deepEqual(errors.list, [], 'page errors, console errors or CSP violations');
const run = (fn) => h.explain(ref.srv, fn).catch((e) => {
  if (errors.list.length) e.message += `\n--- page errors:\n${errors.list.join('\n')}`;
  throw e;
});

test('i18n: the scores screens have every string in both languages', () => {
  assert.deepEqual(Object.keys(staffEn).sort(), Object.keys(staffVi).sort());
  for (const k of Object.keys(staffVi).filter((x) => /^staff\.(res|rv)\./.test(x))) {
    assert.ok(staffVi[k].trim() && staffEn[k].trim(), `empty string ${k}`);
  }
});

test('the trainer opens the class table from the exams list, sorts and filters it', { timeout: TEST_MS }, async () => {
  await run(async () => {
    await staffLogin(page, ref.srv.base, '#exams', errors);
    await page.click(`${sel('ex-row-' + st.exam)} ${sel('ex-results')}`);
    await page.waitForSelector(sel('res-table'));
    // by given name: An, Bình, Cường, Dung, Én
    assert.deepEqual(await names(), ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường', 'Phạm Thị Dung', 'Đỗ Thị Én']);
    assert.equal(await page.locator(`${sel('res-row-nguyenvanan')} ${sel('res-score')}`).textContent(), '8,75');
    assert.equal(await page.locator(`${sel('res-row-nguyenvanan')} ${sel('res-band')}`).textContent(), 'Giỏi');
    assert.equal(await page.locator(`${sel('res-row-phamthidung')} ${sel('res-band')}`).textContent(), 'Chưa làm bài');
    assert.match(await page.locator(sel('res-totals')).textContent(), /5 người, 4 người có điểm, 3 người đạt/);
    await page.screenshot({ path: join(IMG, 'results-table.png'), fullPage: true });
    // sort by score, highest first (two clicks)
    await page.click(sel('res-sort-score'));
    await page.click(sel('res-sort-score'));
    assert.deepEqual(await names(), ['Đỗ Thị Én', 'Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường', 'Phạm Thị Dung']);
    // the filter ignores accents; the classification filter
    await page.fill(sel('res-filter'), 'cuong');
    assert.deepEqual(await names(), ['Lê Văn Cường']);
    await page.fill(sel('res-filter'), '');
    await page.selectOption(sel('res-band-filter'), '0');
    assert.deepEqual(await names(), ['Đỗ Thị Én']);
    await page.selectOption(sel('res-band-filter'), '');
    noErrors();
  });
});

test('the trainer changes the rules: a refused minimum is named; rounding to 0.5 re-classifies', { timeout: TEST_MS }, async () => {
  await run(async () => {
    await page.click(sel('res-rules-edit'));
    await page.fill(sel('rules-min-1'), '9.5'); // Giỏi above Xuất sắc
    errors.allow.push(/status of 400 .*\/grading/);
    await page.click(sel('rules-save'));
    await page.waitForSelector(sel('rules-error'));
    assert.match(await page.locator(sel('rules-error')).textContent(), /grading\.bands\[1\]\.min/);
    await page.fill(sel('rules-min-1'), '8');
    await page.selectOption(sel('rules-rounding'), '0.5');
    await page.screenshot({ path: join(IMG, 'results-rules.png'), fullPage: true });
    await page.click(sel('rules-save'));
    await page.waitForSelector(sel('res-rules-saved'));
    await page.waitForFunction(() => document.querySelector('[data-testid="res-row-nguyenvanan"] [data-testid="res-score"]')
      .textContent === '9,00');
    assert.equal(await page.locator(`${sel('res-row-nguyenvanan')} ${sel('res-band')}`).textContent(), 'Xuất sắc');
    assert.equal(await page.locator(`${sel('res-row-levancuong')} ${sel('res-score')}`).textContent(), '4,00');
    noErrors();
  });
});

test('the trainer re-opens an attempt with a reason; a short reason is refused first; the candidate\'s open page offers to resume at once', { timeout: TEST_MS }, async () => {
  await run(async () => {
    // the candidate has the exam list open in a phone's browser
    const cand = await watchedPage(browser, { viewport: { width: 360, height: 740 }, locale: 'vi-VN' }, errors, { who: 'candidate' });
    errors.allow.push(/status of 401 .*\/api\/session/);
    await cand.goto(ref.srv.base + '/');
    await cand.fill(sel('login-username'), 'levancuong');
    await cand.fill(sel('login-password'), st.pw.levancuong);
    await cand.click(sel('login-submit'));
    const button = `${sel('exam-' + st.exam)} ${sel('exam-start')}`;
    await cand.waitForSelector(button);
    assert.equal(await cand.locator(button).textContent(), 'Bắt đầu làm bài');
    await page.click(`${sel('res-row-levancuong')} ${sel('res-reopen')}`);
    await page.fill(sel('res-reason'), 'abc');
    await page.click(sel('res-reopen-ok'));
    await page.waitForSelector(sel('res-reason-error'));
    await page.fill(sel('res-reason'), 'Mất điện phòng máy lúc 9 giờ');
    await page.fill(sel('res-minutes'), '10');
    await page.screenshot({ path: join(IMG, 'results-reopen.png'), fullPage: true });
    await page.click(sel('res-reopen-ok'));
    await page.waitForSelector(sel('res-reopened'));
    assert.match(await page.locator(`${sel('res-row-levancuong')} ${sel('res-attempts')}`).textContent(), /đang làm/);
    assert.equal(await page.locator(`${sel('res-row-levancuong')} ${sel('res-band')}`).textContent(), 'Chưa làm bài');
    const row = h.dbQuery(ref.srv.db, "SELECT a.state FROM attempts a JOIN users u ON u.id=a.user_id WHERE u.username='levancuong'")[0];
    assert.equal(row.state, 'running');
    // no reload: the push turns the button into "Tiếp tục"
    await cand.waitForFunction((s) => document.querySelector(s)?.textContent === 'Tiếp tục', button);
    await cand.context().close();
    noErrors();
  });
});

test('the trainer opens a review: the paper in the candidate\'s order, their choices and the key, every change', { timeout: TEST_MS }, async () => {
  await run(async () => {
    await page.click(`${sel('res-row-nguyenvanan')} ${sel('res-review')}`);
    await page.waitForSelector(sel('rv-paper'));
    assert.equal(await page.locator(sel('rv-name')).textContent(), 'Nguyễn Văn An');
    assert.equal(await page.locator(`${sel('rv-paper')} > li`).count(), 8);
    assert.equal(await page.locator(`.rv-q:has(${sel('rv-chosen')})`).count(), 8); // a final choice on each
    assert.equal(await page.locator(sel('rv-hist')).count(), 8 + 7); // a wrong answer each, then 7 right
    assert.match(await page.locator(sel('rv-score')).textContent(), /Điểm 9,00 \(chưa làm tròn 8,75\)/);
    assert.equal(await page.locator(sel('rv-event-disconnect')).count(), 1);
    assert.equal(await page.locator(sel('rv-event-connect')).count(), 1);
    await page.screenshot({ path: join(IMG, 'results-review.png'), fullPage: true });
    await page.click(sel('rv-back'));
    await page.waitForSelector(sel('res-table'));
    noErrors();
  });
});

test('the server exits cleanly after it all (a leak or UB fails under the sanitizer build)', async () => {
  await h.stopServerClean(ref.srv);
});
