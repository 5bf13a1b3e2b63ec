// organiser.test.js — the organiser's console in Debian's chromium, driven
// by playwright-core against the real examd binary: the organiser logs
// in, creates a contest and a round (blueprint, prediction, a prize
// table), opens the live monitor; candidates scripted from this test (over
// their own WebSockets, not the browser) say hello, start, answer and
// submit, and the monitor's figures move in total and per unit; then the
// round is closed early (confirmed), the ranking, prize list and unit
// results appear, a CSV downloads, and the results are published. Every
// test also fails on a page error, a CSP violation or an unexpected
// console error. Screenshots for the docs: docs/img/contest-*.png and
// docs/img/monitor*.png, at office and phone widths.
//
// Run: cd tests && node --test browser/organiser.test.js
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, watchedPage } from './browser.js';
import * as h from '../integration/harness.js';
import staffVi from '../../web/i18n/staff-vi.js';
import staffEn from '../../web/i18n/staff-en.js';

const IMG = join(h.ROOT, 'docs', 'img');
const OFFICE = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };
const TEST_MS = 90000;
const WAIT_MS = 15000;
const CONTEST = 'Hội thi tìm hiểu 95 năm Ngày thành lập Đảng';
const ROUND = 'Tuần 1: Đảng Cộng sản Việt Nam ra đời';

let browser, ref, page, units, roundId;
const errors = { list: [], allow: [] };
const people = []; // scripted candidates: {c, p}

ref = h.sharedServer((dir) => {
  h.prepareDb(dir);
  const db = join(dir, 'examd.db');
  const a = h.examdCli(db, ['unit', 'add', '--name', 'Đảng bộ Phường Bến Nghé', '--target', '4']).trim();
  const b = h.examdCli(db, ['unit', 'add', '--name', 'Chi bộ Công ty May 10', '--target', '2']).trim();
  for (const [u, name, unit] of [['lan', 'Nguyễn Thị Lan', a], ['binh', 'Trần Văn Bình', a], ['cuong', 'Lê Văn Cường', b]]) {
    h.examdCli(db, ['user', 'add', '--username', u, '--name', name, '--password', 'examd-demo', '--unit', unit]);
  }
  return { a: Number(a), b: Number(b) };
});

before(async () => {
  mkdirSync(IMG, { recursive: true });
  browser = await launch();
  page = await watchedPage(browser,
    { viewport: OFFICE, deviceScaleFactor: 1, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', acceptDownloads: true },
    errors, { waitMs: WAIT_MS });
});

after(async () => {
  for (const x of people) x.c.kill();
  if (browser) await browser.close();
});

const sel = (id) => `[data-testid="${id}"]`;
const text = (id) => page.locator(sel(id)).first().textContent();
const noErrors = () => assert.deepEqual(errors.list, [], 'page errors, console errors or CSP violations');
const run = (fn) => h.explain(ref.srv, fn).catch((e) => {
  if (errors.list.length) e.message += `\n--- page errors:\n${errors.list.join('\n')}`;
  throw e;
});
// Wait until the element's text is exactly want (the monitor moves by pushes).
const waitText = (css, want) => page.waitForFunction(([s, w]) => {
  const el = document.querySelector(s);
  return el && el.textContent.trim() === w;
}, [css, String(want)]);
const bigOf = (id) => `${sel(id)} .big`;
const unitCell = (unit, col) => `${sel('mon-unit-' + unit)} ${sel('mu-' + col)}`;

async function shoot(name, viewport) {
  if (viewport) await page.setViewportSize(viewport);
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: join(IMG, name), fullPage: true });
  if (viewport) await page.setViewportSize(OFFICE);
}

test('i18n: the organiser\'s screens have every string in both languages', () => {
  assert.deepEqual(Object.keys(staffEn).sort(), Object.keys(staffVi).sort());
  for (const k of Object.keys(staffVi).filter((x) => /^staff\.(ct|rd|rk|unit|mon)\./.test(x))) {
    assert.ok(staffVi[k].trim() && staffEn[k].trim(), `empty string ${k}`);
  }
});

test('the organiser creates a contest and a round with a prize table', { timeout: TEST_MS }, async () => {
  await run(async () => {
    units = ref.srv.extra;
    errors.allow.push(/status of 401 .*\/api\/session/);
    await page.goto(ref.srv.base + '/staff.html#contests');
    await page.fill(sel('login-username'), 'tochuc');
    await page.fill(sel('login-password'), 'examd-demo');
    await page.click(sel('login-submit'));
    await page.waitForSelector(sel('ct-empty'));
    await page.click(sel('ct-new'));
    // an empty title is refused in the form
    await page.click(sel('ct-save'));
    await page.waitForSelector(sel('c-title-error'));
    await page.fill(sel('ct-title'), CONTEST);
    await page.fill(sel('ct-desc'), 'Cuộc thi trực tuyến dành cho cán bộ, đảng viên, đoàn viên và người lao động.');
    await page.click(sel('ct-save'));
    await page.waitForSelector(sel('rd-empty'));
    assert.equal(await text('ct-heading'), CONTEST);

    await page.click(sel('rd-new'));
    await page.waitForSelector(sel('pub-form'));
    await page.fill(sel('pub-title'), ROUND);
    const bank = await page.locator(`${sel('pub-bank')} option`, { hasText: 'Đảng' }).first().getAttribute('value');
    await page.selectOption(sel('pub-bank'), bank);
    await page.waitForSelector(sel('pub-topic-0'));
    await page.selectOption(sel('pub-topic-0'), { label: staffVi['staff.pub.anyTopic'] });
    await page.fill(sel('pub-count-0'), '3');
    await page.fill(sel('pub-duration'), '10');
    await page.check(sel('rd-prediction'));
    await page.check(sel('rd-show-answers'));
    await page.click(sel('rd-prize-add'));
    await page.click(sel('rd-prize-add'));
    await page.fill(sel('rd-prize-name-0'), 'Giải Nhất');
    await page.fill(sel('rd-prize-name-1'), 'Giải Nhì');
    await page.fill(sel('rd-prize-count-1'), '2');
    await shoot('contest-round-new.png');
    await page.click(sel('pub-submit'));
    await page.waitForSelector(sel('rd-summary'));
    assert.equal(await text('rd-heading'), `Vòng 1: ${ROUND}`);
    assert.match(await text('rd-flash'), /Đã tạo vòng 1/);
    assert.equal(await text('rd-state'), staffVi['staff.rd.state.open']);
    roundId = Number(/#round\/(\d+)/.exec(page.url())[1]);
    assert.ok(roundId > 0);
    // the contest lists it
    await page.click(`.crumbs a[href^="#contest/"]`);
    await page.waitForSelector(sel('rd-table'));
    assert.equal(await page.locator(`${sel('rd-table')} tbody tr`).count(), 1);
    await shoot('contest.png');
    noErrors();
  });
});

async function candidate(user) {
  const c = await h.candidate(ref.srv, user);
  const x = { c, p: null };
  people.push(x);
  return x;
}

test('the monitor moves while scripted candidates take the round', { timeout: TEST_MS }, async () => {
  await run(async () => {
    await page.goto(`${ref.srv.base}/staff.html#round/${roundId}`);
    await page.click(sel('rd-monitor'));
    await page.waitForSelector(sel('mon-no-units'));
    await waitText(sel('mon-live'), staffVi['staff.mon.live']);
    assert.equal((await page.locator(bigOf('mon-connected')).textContent()).trim(), '0');

    // Lan opens the round (hello naming it): connected before she starts
    const lan = await candidate('lan');
    assert.equal((await lan.c.request('hello', { exam: roundId })).type, 'hello');
    await waitText(bigOf('mon-connected'), 1);
    await waitText(unitCell(units.a, 'connected'), 1);

    // everyone starts; ts01 has no unit
    const binh = await candidate('binh'), cuong = await candidate('cuong'), ts = await candidate('ts01');
    for (const x of [lan, binh, cuong, ts]) {
      x.p = await x.c.request('start', { exam: roundId });
      assert.equal(x.p.type, 'paper', JSON.stringify(x.p));
    }
    await waitText(bigOf('mon-started'), 4);
    await waitText(bigOf('mon-connected'), 4);
    await waitText(unitCell(units.a, 'started'), 2);
    await waitText(unitCell(units.b, 'started'), 1);
    await waitText(unitCell(0, 'started'), 1);

    // answers: Lan and Cường answer everything (Lan right, Cường wrong), Bình one
    let n = 0;
    for (const [x, right] of [[lan, true], [cuong, false]]) {
      for (const [i, q] of x.p.questions.entries()) {
        const choice = right ? h.keyOf(q) : [h.wrongOf(q)];
        const r = await x.c.request('answer', { attempt: x.p.attempt, q: q.q, choice, flag: false, seq: i + 1 });
        assert.equal(r.type, 'ack', JSON.stringify(r));
        n++;
      }
    }
    const q0 = binh.p.questions[0];
    assert.equal((await binh.c.request('answer', { attempt: binh.p.attempt, q: q0.q, choice: h.keyOf(q0), flag: false, seq: 1 })).type, 'ack');
    n++;
    await lan.c.request('predict', { attempt: lan.p.attempt, prediction: 1 });
    await cuong.c.request('predict', { attempt: cuong.p.attempt, prediction: 3 });
    await waitText(bigOf('mon-answers'), n);
    await waitText(unitCell(units.a, 'answers'), 4);
    await waitText(unitCell(units.b, 'answers'), 3);

    // Lan, Cường and ts01 submit; Bình keeps going
    for (const x of [lan, cuong, ts]) assert.equal((await x.c.request('submit', { attempt: x.p.attempt })).type, 'result');
    await waitText(bigOf('mon-submitted'), 3);
    await waitText(bigOf('mon-running'), 1);
    await waitText(unitCell(units.b, 'submitted'), 1);
    assert.equal(await page.locator('svg.spark polyline').count(), 1);
    await shoot('monitor.png');
    await shoot('monitor-phone.png', PHONE);

    // Cường closes his tab: connected drops
    await cuong.c.kill();
    await waitText(bigOf('mon-connected'), 3);
    await waitText(unitCell(units.b, 'connected'), 0);
    noErrors();
  });
});

test('the organiser closes the round early, sees the ranking and publishes it', { timeout: TEST_MS }, async () => {
  await run(async () => {
    await page.click(`.crumbs a[href="#round/${roundId}"]`);
    await page.waitForSelector(sel('rd-close'));
    // cancelling the confirmation changes nothing
    await page.click(sel('rd-close'));
    await page.click('.modal .btn:not(.primary)');
    assert.equal(await text('rd-state'), staffVi['staff.rd.state.open']);
    await page.click(sel('rd-close'));
    await page.click(sel('rd-confirm'));
    await waitText(sel('rd-state'), staffVi['staff.rd.state.closed']);
    await page.waitForSelector(sel('rk-table'));
    // Bình's running attempt ends with the round (after the grace): the
    // screen looks again until every attempt is graded
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="rk-row"]').length === 4);
    assert.equal(await page.locator(sel('rd-closing')).count(), 0);
    const names = await page.locator(`${sel('rk-table')} tbody tr td:nth-child(2)`).allTextContents();
    assert.equal(names.length, 4, names.join(', '));
    assert.equal(names[0], 'Nguyễn Thị Lan');
    assert.match(await page.locator(sel('rk-table')).textContent(), /Giải Nhất/);
    // four rows fit one page: no pager
    assert.equal(await page.locator(sel('rk-range')).count(), 0);
    // pages of 2 (the server's limit rewritten from the console's 200):
    // "1–2 of 4", next, previous
    const two = (r) => r.continue({ url: r.request().url().replace('limit=200', 'limit=2') });
    await page.route('**/ranking?offset=*', two);
    await page.reload();
    await waitText(sel('rk-range'), staffVi['staff.rk.range'].replace('{from}', '1').replace('{to}', '2').replace('{total}', '4'));
    const rkNames = () => page.locator(`${sel('rk-table')} tbody tr td:nth-child(2)`).allTextContents();
    assert.deepEqual(await rkNames(), names.slice(0, 2));
    await page.locator(sel('rd-ranking')).screenshot({ path: join(IMG, 'contest-ranking-pages.png') });
    await page.click(`${sel('rd-ranking')} .pbtns button:last-child`);
    await waitText(sel('rk-range'), staffVi['staff.rk.range'].replace('{from}', '3').replace('{to}', '4').replace('{total}', '4'));
    assert.deepEqual(await rkNames(), names.slice(2));
    assert.equal(await page.locator(`${sel('rd-ranking')} .pbtns button:last-child`).isDisabled(), true);
    await page.click(`${sel('rd-ranking')} .pbtns button:first-child`);
    await waitText(sel('rk-range'), staffVi['staff.rk.range'].replace('{from}', '1').replace('{to}', '2').replace('{total}', '4'));
    await page.unroute('**/ranking?offset=*', two);
    await page.waitForSelector(sel('rd-prize-list'));
    await page.waitForSelector(sel('rd-units-table'));
    assert.match(await page.locator(`${sel('rd-units-' + units.a)}`).textContent(), /Phường Bến Nghé.*2/);

    // a CSV download of the ranking: UTF-8 with BOM, Vietnamese intact
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(sel('rd-ranking-csv'))]);
    const csvText = readFileSync(await dl.path(), 'utf8');
    assert.equal(csvText.charCodeAt(0), 0xfeff, 'no BOM');
    assert.match(csvText, /Nguyễn Thị Lan/);
    const [dx] = await Promise.all([page.waitForEvent('download'), page.click(sel('rd-units-xlsx'))]);
    assert.equal(readFileSync(await dx.path()).subarray(0, 2).toString(), 'PK');

    await page.click(sel('rd-publish'));
    await page.click(sel('rd-confirm'));
    await page.waitForSelector(sel('rd-published'));
    assert.match(await text('rd-flash'), new RegExp(staffVi['staff.rd.done.publish']));
    await shoot('contest-round.png');
    await shoot('contest-round-phone.png', PHONE);

    // extend: the window dialog (cancelled), and the English switch
    await page.click(sel('lang-toggle'));
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.equal(await text('rd-state'), staffEn['staff.rd.state.closed']);
    await page.click(sel('lang-toggle'));
    await page.waitForFunction(() => document.documentElement.lang === 'vi');
    noErrors();
  });
});

test('the contests list', { timeout: TEST_MS }, async () => {
  await run(async () => {
    await page.click(sel('nav-contests'));
    await page.waitForSelector(sel('ct-table'));
    assert.match(await page.locator(sel('ct-table')).textContent(), new RegExp(CONTEST));
    await shoot('contest-list.png');
    await shoot('contest-list-phone.png', PHONE);
    noErrors();
  });
});
