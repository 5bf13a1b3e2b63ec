// live.test.js — a live round in Debian's chromium against the real
// examd binary: the organiser creates the round in the console and opens
// the projector view (a 1920×1080 big screen); one player joins on a
// phone page (390×844, no account) while twelve scripted WebSocket
// players join too; the organiser starts; the projector shows the
// question and its countdown, the phone the same question; everyone
// answers, the reveal shows the right option, how many chose each option
// and the leaderboard, on the projector and (with the player's own rank)
// on the phone; the next question, then the final board. Every page also
// fails on a page error, a CSP violation or an unexpected console error.
// Screenshots for the docs: docs/img/live-projector-*.png,
// docs/img/live-phone-*.png and docs/img/staff-live.png.
//
// Run: cd tests && node --test browser/live.test.js
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, watchedPage } from './browser.js';
import * as h from '../integration/harness.js';
import liveVi from '../../web/i18n/live-vi.js';
import liveEn from '../../web/i18n/live-en.js';
import staffVi from '../../web/i18n/staff-vi.js';

const IMG = join(h.ROOT, 'docs', 'img');
const TEST_MS = 90000;
const WAIT_MS = 15000;
const TITLE = 'Rung chuông vàng: 95 năm Đảng Cộng sản Việt Nam';
const NAMES = ['Nguyễn Văn An', 'Trần Thị Bích', 'Lê Hoàng Cường', 'Phạm Thị Dung', 'Hoàng Văn Em', 'Vũ Thị Phương',
  'Đặng Quốc Giang', 'Bùi Thị Hạnh', 'Đỗ Minh Khang', 'Ngô Thị Lan', 'Dương Văn Minh', 'Lý Thị Ngọc'];

let browser, console_, proj, phone, srv;
const errors = { list: [], allow: [] };
const ref = h.sharedServer((dir) => {
  h.prepareDb(dir);
  const db = join(dir, 'examd.db');
  const tinh = h.examdCli(db, ['unit', 'add', '--name', 'Đảng bộ Khối cơ quan tỉnh']).trim();
  h.examdCli(db, ['unit', 'add', '--name', 'Chi bộ Văn phòng', '--parent', tinh]);
}, {}, (s) => { srv = s; });

before(async () => {
  mkdirSync(IMG, { recursive: true });
  browser = await launch();
  const opts = { deviceScaleFactor: 1, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' };
  console_ = await watchedPage(browser, { ...opts, viewport: { width: 1366, height: 768 }, acceptDownloads: true }, errors, { who: 'console', waitMs: WAIT_MS });
  phone = await watchedPage(browser, { ...opts, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
    errors, { who: 'phone', waitMs: WAIT_MS });
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

let roundId, code, key0, bots = [];

/* The phone answers with the options of key: one tap, or (a question
 * with several right options) a tap each and Send. */
async function phoneAnswer(key) {
  for (const k of key) await phone.locator(sel('live-opt')).nth(k).click();
  if (await phone.locator(sel('live-send')).count()) await phone.click(sel('live-send'));
}

async function keyNow() {
  const r = await console_.evaluate(async (id) => (await (await fetch(`/api/staff/live/${id}`)).json()).round.question, roundId);
  return r;
}

test('i18n: the live pages have every string in both languages', () => {
  assert.deepEqual(Object.keys(liveEn).sort(), Object.keys(liveVi).sort());
  for (const k of Object.keys(liveVi)) assert.ok(liveVi[k].trim() && liveEn[k].trim(), `empty string ${k}`);
});

test('the organiser creates a live round and opens the projector; players arrive', { timeout: TEST_MS }, async () => {
  await run(async () => {
    errors.allow.push(/status of 401 .*\/api\/session/);
    await console_.goto(srv.base + '/staff.html#live');
    await console_.fill(sel('login-username'), 'tochuc');
    await console_.fill(sel('login-password'), 'examd-demo');
    await console_.click(sel('login-submit'));
    await console_.waitForSelector(sel('live-empty'));
    await console_.click(sel('live-new'));
    await console_.fill(sel('live-title'), TITLE);
    const bank = await console_.locator(`${sel('live-bank')} option`).nth(1).getAttribute('value');
    await console_.selectOption(sel('live-bank'), bank);
    await console_.fill(sel('live-count'), '2');
    await console_.fill(sel('live-seconds'), '30');
    await console_.check(sel('live-elimination'));
    await console_.click(sel('live-create'));
    await console_.waitForSelector(sel('live-summary'));
    roundId = Number(/#live\/(\d+)/.exec(console_.url())[1]);
    code = /(\d{6})/.exec(await console_.locator(sel('live-summary')).textContent())[1];

    // the projector: a big screen in its own window, the organiser's session
    const [p] = await Promise.all([console_.context().waitForEvent('page'), console_.click(sel('live-projector'))]);
    proj = p;
    proj.on('pageerror', (e) => errors.list.push(`projector pageerror: ${e.message}`));
    proj.on('console', (m) => { if (m.type() === 'error') errors.list.push(`projector console.error: ${m.text()}`); });
    proj.setDefaultTimeout(WAIT_MS);
    await proj.setViewportSize({ width: 1920, height: 1080 });
    await proj.waitForSelector(sel('proj-qr'));
    assert.equal(await proj.locator(sel('proj-code')).textContent(), code);

    // one player on a phone, through the QR link
    await phone.goto(`${srv.base}/live.html?code=${code}`);
    await phone.waitForSelector(sel('live-name'));
    await phone.waitForFunction((t) => document.querySelector('main h1').textContent === t, TITLE);
    await phone.fill(sel('live-name'), 'Nguyễn Thị Hoa');
    const unit = await phone.locator(`${sel('live-unit')} option`, { hasText: 'Chi bộ Văn phòng' }).getAttribute('value');
    await phone.selectOption(sel('live-unit'), unit);
    await phone.screenshot({ path: join(IMG, 'live-phone-join.png') });
    await phone.click(sel('live-join'));
    await phone.waitForSelector(sel('live-you'));
    assert.match(await phone.locator('main').textContent(), new RegExp(liveVi['live.wait.title']));

    // twelve more, scripted
    bots = await Promise.all(NAMES.map(async (name) => {
      const c = await h.connect(srv, null, { protocol: 'examd.live.v1' });
      const w = await c.request('live_join', { code, name });
      assert.equal(w.type, 'live_welcome');
      return c;
    }));
    await proj.waitForFunction((n) => document.querySelector('[data-testid=proj-players]').textContent.startsWith(String(n)), 13);
    await proj.screenshot({ path: join(IMG, 'live-projector-lobby.png') });
    await console_.waitForFunction(() => document.querySelectorAll('[data-testid=live-player]').length === 13);
    noErrors();
  });
});

test('the question on the projector and the phone at once; answers; the reveal with the distribution and the board', { timeout: TEST_MS }, async () => {
  await run(async () => {
    await console_.click(sel('live-start'));
    await proj.waitForSelector(sel('proj-question'));
    await phone.waitForSelector(sel('live-qtext'));
    assert.equal(await proj.locator(sel('proj-qtext')).textContent(), await phone.locator(sel('live-qtext')).textContent());
    assert.equal(await proj.locator(sel('proj-qno')).textContent(), 'Câu 1/2');
    const s0 = Number(await proj.locator(sel('proj-clock')).textContent());
    assert.ok(s0 > 20 && s0 <= 30, `countdown ${s0}`);
    await Promise.all(bots.map((b) => b.waitFor((m) => m.type === 'live_question' && m.q === 0)));
    key0 = await keyNow();
    const k = key0.key[0], wrong = key0.options.findIndex((o, i) => !key0.key.includes(i));
    // 8 right, 4 wrong, then the phone (right)
    await Promise.all(bots.map((b, i) => b.request('live_answer', { q: 0, choice: i < 8 ? key0.key : [wrong] })));
    await proj.waitForFunction(() => /12/.test(document.querySelector('[data-testid=proj-status]').textContent));
    const s1 = Number(await proj.locator(sel('proj-clock')).textContent());
    assert.ok(s1 < s0 || s1 > 0, 'the clock runs');
    await proj.screenshot({ path: join(IMG, 'live-projector-question.png') });
    await phone.screenshot({ path: join(IMG, 'live-phone-question.png') });
    await phoneAnswer(key0.key);
    // everyone still in has answered: the reveal comes at once
    await proj.waitForSelector(sel('proj-reveal'));
    const counts = (await proj.locator(sel('proj-count')).allTextContents()).map(Number);
    assert.equal(counts[k], 9);
    assert.equal(counts[wrong], 4);
    assert.equal(counts.reduce((a, b) => a + b, 0), 9 * key0.key.length + 4);
    const rows = await proj.locator(`${sel('live-board')} tr`).count();
    assert.equal(rows, 10, 'the top 10');
    assert.match(await proj.locator(sel('proj-status')).textContent(), /9 người còn lại/);
    await proj.screenshot({ path: join(IMG, 'live-projector-reveal.png') });
    await phone.waitForSelector(sel('live-verdict'));
    assert.equal(await phone.locator(sel('live-verdict')).textContent(), liveVi['live.right']);
    assert.match(await phone.locator(sel('live-rank')).textContent(), /Hạng \d+\/13 · 1 câu đúng/);
    await phone.screenshot({ path: join(IMG, 'live-phone-reveal.png') });
    // the console's control panel shows the players, the key and the counts
    await console_.waitForFunction(() => /9/.test(document.querySelector('[data-testid=live-answered]').textContent));
    await console_.screenshot({ path: join(IMG, 'staff-live.png') });
    noErrors();
  });
});

test('the last question, then the final board on the projector and the phone', { timeout: TEST_MS }, async () => {
  await run(async () => {
    await console_.click(sel('live-next'));
    await proj.waitForFunction(() => document.querySelector('[data-testid=proj-qno]').textContent === 'Câu 2/2');
    await phone.waitForFunction(() => /Câu 2\/2/.test(document.querySelector('[data-testid=live-qno]').textContent));
    // a player who is out watches: the options are locked
    const out = bots[8];
    const r = await out.request('live_answer', { q: 1, choice: [0] });
    assert.deepEqual([r.type, r.code], ['error', 'eliminated']);
    const q1 = await keyNow();
    await Promise.all(bots.slice(0, 8).map((b) => b.request('live_answer', { q: 1, choice: q1.key })));
    await phoneAnswer(q1.key);
    await proj.waitForSelector(sel('proj-reveal'));
    await console_.waitForFunction(() => !document.querySelector('[data-testid=live-next]').disabled);
    assert.equal(await console_.locator(sel('live-next')).textContent(), staffVi['staff.live.finish']);
    await console_.click(sel('live-next'));
    await proj.waitForSelector(sel('proj-end'));
    await phone.waitForSelector(sel('live-final'));
    assert.match(await phone.locator(sel('live-final')).textContent(), /2 câu đúng/);
    const first = await proj.locator(`${sel('live-board')} tr`).first().textContent();
    assert.match(first, /^1/);
    await proj.screenshot({ path: join(IMG, 'live-projector-end.png') });
    await phone.screenshot({ path: join(IMG, 'live-phone-end.png') });
    // the console downloads the final board: CSV with a BOM, Vietnamese
    // intact; XLSX a workbook
    await console_.waitForFunction((ended) => document.querySelector('[data-testid=live-summary]').textContent.includes(ended),
      staffVi['staff.live.state.ended']);
    const [dl] = await Promise.all([console_.waitForEvent('download'), console_.click(sel('live-export-csv'))]);
    assert.match(dl.suggestedFilename(), /^live-\d+-results\.csv$/);
    const csvText = readFileSync(await dl.path(), 'utf8');
    assert.equal(csvText.charCodeAt(0), 0xfeff, 'no BOM');
    assert.match(csvText, /^\ufeffHạng,Họ và tên,Đơn vị,Số câu đúng/);
    assert.match(csvText, /\r\n\r\nCâu,Nội dung,Đáp án/);
    const [dx] = await Promise.all([console_.waitForEvent('download'), console_.click(sel('live-export-xlsx'))]);
    assert.equal(readFileSync(await dx.path()).subarray(0, 2).toString(), 'PK');
    await console_.screenshot({ path: join(IMG, 'staff-live-end.png') });
    for (const b of bots) b.kill();
    noErrors();
  });
});

test('the server exits cleanly after it all (a leak or UB fails under the sanitizer build)', async () => {
  await h.stopServerClean(ref.srv);
});
