// stats.test.js — the staff console's item statistics screen in Debian's
// chromium against the real examd binary: 16 scripted candidates sit the
// fixed exam of integration/stats-fixture.js over WebSocket, then the
// trainer opens Statistics from the exams list and sees the summary, the
// score histogram and the per-question chart as inline SVG, the "too
// easy" and "negative discrimination" flags on the questions planned so,
// and an edit link that opens the question; all attempts on a second
// click; English on the toggle. Fails on a page error, a CSP violation or
// a console error. Screenshot: docs/img/stats.png.
//
// Run: cd tests && node --test browser/stats.test.js
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, watchedPage } from './browser.js';
import * as h from '../integration/harness.js';
import * as fx from '../integration/stats-fixture.js';
import staffVi from '../../web/i18n/staff-vi.js';
import staffEn from '../../web/i18n/staff-en.js';

const IMG = join(h.ROOT, 'docs', 'img');
const N = 16;
const TEST_MS = 90000;

let browser, page, ex;
const errors = { list: [], allow: [] };

const ref = h.sharedServer((dir) => {
  h.prepareDb(dir);
  fx.candidatesAdd(join(dir, 'examd.db'), N);
});

before(async () => {
  mkdirSync(IMG, { recursive: true });
  browser = await launch();
  page = await watchedPage(browser,
    { viewport: { width: 1366, height: 768 }, deviceScaleFactor: 1, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' },
    errors, { waitMs: 15000 });
});

after(async () => {
  if (browser) await browser.close();
});

const sel = (id) => `[data-testid="${id}"]`;
const noErrors = () => assert.deepEqual(errors.list, [], 'page errors, console errors or CSP violations');
const run = (fn) => h.explain(ref.srv, fn).catch((e) => {
  if (errors.list.length) e.message += `\n--- page errors:\n${errors.list.join('\n')}`;
  throw e;
});

test('i18n: the statistics strings exist in both languages', () => {
  for (const k of Object.keys(staffVi).filter((x) => x.startsWith('staff.st.'))) {
    assert.ok(staffVi[k].trim() && staffEn[k] && staffEn[k].trim(), `string ${k}`);
  }
  assert.deepEqual(Object.keys(staffEn).filter((x) => x.startsWith('staff.st.')).sort(),
    Object.keys(staffVi).filter((x) => x.startsWith('staff.st.')).sort());
});

test('the trainer opens an exam\'s statistics: histogram, chart and flags', { timeout: TEST_MS }, async () => {
  await run(async () => {
    ex = await fx.examsBuild(fx.staffApi(ref.srv));
    await fx.sitAll(ref.srv, ex, N, { R: false, again: 3 });

    errors.allow.push(/status of 401 .*\/api\/session/);
    await page.goto(ref.srv.base + '/staff.html#exams');
    await page.fill(sel('login-username'), 'giangvien');
    await page.fill(sel('login-password'), 'examd-demo');
    await page.click(sel('login-submit'));
    await page.click(`${sel('ex-row-' + ex.F)} ${sel('ex-stats')}`);
    await page.waitForSelector(sel('stats-hist'));
    assert.equal(await page.locator('h1').textContent(), staffVi['staff.st.title']);
    assert.match(await page.locator(`${sel('st-n')} td.num`).textContent(), new RegExp(`^${N}$`));
    // ten bars, one per point of the 10-point scale, and the counts add up
    const bars = page.locator(`${sel('stats-hist')} rect.bar`);
    assert.equal(await bars.count(), 10);
    const vals = await page.locator(`${sel('stats-hist')} text.val`).allTextContents();
    assert.equal(vals.reduce((s, v) => s + Number(v), 0), N);
    // two bars a question in the chart (facility and discrimination), no
    // bar for a null (the first question's: no variance)
    const figures = (await fx.staffApi(ref.srv)(`/api/staff/exams/${ex.F}/stats`)).body.questions;
    assert.equal(figures[0].discrimination, null);
    assert.equal(await page.locator(`${sel('stats-chart')} rect.bar.fac`).count(), 8);
    assert.equal(await page.locator(`${sel('stats-chart')} rect.bar.dis`).count(),
      figures.filter((q) => q.discrimination !== null).length);
    assert.equal(await page.locator(`${sel('stats-chart')} rect.bar.dis.neg`).count() >= 1, true);

    const q0 = page.locator(sel('st-q-' + ex.ids[0])), q1 = page.locator(sel('st-q-' + ex.ids[1]));
    assert.equal(await q0.locator(sel('flag-easy')).textContent(), staffVi['staff.st.flag.easy']);
    assert.equal(await q1.locator(sel('flag-negative')).textContent(), staffVi['staff.st.flag.negative']);
    assert.match(await q0.textContent(), /100 %/);
    assert.equal(await q0.locator(sel('st-edit')).getAttribute('href'), `#bank/${ex.bank}/edit/${ex.ids[0]}`);
    assert.match(await page.locator(sel('st-flagged')).textContent(), /câu cần xem lại/);
    await page.screenshot({ path: join(IMG, 'stats.png'), fullPage: true });

    // all attempts: three candidates sat twice
    await page.click(sel('st-all'));
    await page.waitForFunction((n) => {
      const c = document.querySelector('[data-testid="st-n"] td.num');
      return c && c.textContent === String(n);
    }, N + 3);
    assert.equal(await page.locator(sel('st-all')).getAttribute('aria-current'), 'true');

    await page.click(sel('lang-toggle'));
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.equal(await page.locator('h1').textContent(), staffEn['staff.st.title']);
    assert.equal(await q1.locator(sel('flag-negative')).textContent(), staffEn['staff.st.flag.negative']);
    await page.click(sel('lang-toggle'));
    await page.waitForFunction(() => document.documentElement.lang === 'vi');

    // the edit link opens the question's form
    await q0.locator(sel('st-edit')).click();
    await page.waitForFunction((id) => location.hash.endsWith('/edit/' + id), ex.ids[0]);
    await page.waitForSelector('form');
    assert.equal(await page.inputValue(sel('f-text')), fx.QUESTIONS[0][0]);
    noErrors();
  });
});
