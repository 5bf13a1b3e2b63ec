// classes.test.js — the staff console's units, classes, roster import and
// credential slips in Debian's chromium, driven by playwright-core against
// the real examd binary. One server and one office-sized page (1366×768)
// for the file, in order: a trainer logs in, sees the unit tree read-only,
// creates a class, previews a roster with an error (its line shown, no
// import possible), previews the fixed roster, imports it (passwords shown
// once), opens the slips (a QR code per person, the passwords from the
// import) and resets one password. Every test also fails on a page error,
// a CSP violation or an unexpected console error. Screenshots for the
// docs: docs/img/staff-classes.png and docs/img/slips.png.
//
// Run: cd tests && node --test browser/classes.test.js
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
const TEST_MS = 60000;
const WAIT_MS = 15000;
const CLASS = 'Lớp bồi dưỡng nhận thức về Đảng, khóa 3/2026';

// Line 4 has a date of birth that does not exist; ROSTER_FIXED mends it.
const ROSTER = '\uFEFFSTT;Họ và tên;Ngày sinh;Đơn vị;Số điện thoại\r\n'
  + '1;Nguyễn Văn An;05/03/1990;Chi bộ khu phố 3;0912 345 678\r\n'
  + '2;Trần Thị Bích Ngọc;12/11/1985;;\r\n'
  + '3;Lê Hoàng Cường;31/02/1991;Đảng ủy phường Minh Khai / Chi bộ khu phố 4;\r\n'
  + '4;Phạm Thị Dung;20/07/1992;Chi bộ khu phố 4;0987 654 321\r\n'
  + '5;Hoàng Văn Em;01/01/1979;Chi bộ khu phố 3;\r\n'
  + '6;Vũ Thị Phương;15/08/1988;Chi bộ khu phố 3;\r\n';
const BAD_LINE = 4;
const ROSTER_FIXED = ROSTER.replace('31/02/1991', '28/02/1991');

let browser, ref, page;
const errors = { list: [], allow: [] };

ref = h.sharedServer((dir) => {
  h.prepareDb(dir);
  const db = join(dir, 'examd.db');
  const tinh = h.examdCli(db, ['unit', 'add', '--name', 'Đảng bộ tỉnh Hà Nam', '--target', '500']).trim();
  const phuong = h.examdCli(db, ['unit', 'add', '--name', 'Đảng ủy phường Minh Khai', '--parent', tinh, '--target', '120']).trim();
  h.examdCli(db, ['unit', 'add', '--name', 'Chi bộ khu phố 3', '--parent', phuong, '--target', '25']);
  h.examdCli(db, ['unit', 'add', '--name', 'Chi bộ khu phố 4', '--parent', phuong, '--target', '30']);
});

before(async () => {
  mkdirSync(IMG, { recursive: true });
  browser = await launch();
  page = await watchedPage(browser,
    { viewport: OFFICE, deviceScaleFactor: 1, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' },
    errors, { waitMs: WAIT_MS });
});

after(async () => {
  if (browser) await browser.close();
});

const sel = (id) => `[data-testid="${id}"]`;
const text = (id) => page.locator(sel(id)).first().textContent();
const expectHttp = (path, status) => errors.allow.push(
  new RegExp(`status of ${status} .*\\(${ref.srv.base.replace(/\./g, '\\.')}${path.replace(/[?]/g, '\\?')}`));
const noErrors = () => assert.deepEqual(errors.list, [], 'page errors, console errors or CSP violations');
const run = (fn) => h.explain(ref.srv, fn).catch((e) => {
  if (errors.list.length) e.message += `\n--- page errors:\n${errors.list.join('\n')}`;
  throw e;
});
const csv = (s) => ({ name: 'danh-sach.csv', mimeType: 'text/csv', buffer: Buffer.from(s) });

test('i18n: the class screens have every string in both languages', () => {
  assert.deepEqual(Object.keys(staffEn).sort(), Object.keys(staffVi).sort());
  for (const k of Object.keys(staffVi).filter((x) => /^staff\.(units|cls|slips)\./.test(x))) {
    assert.ok(staffVi[k].trim() && staffEn[k].trim(), `empty string ${k}`);
  }
});

test('a trainer sees the unit tree read-only and creates a class', { timeout: TEST_MS }, async () => {
  await run(async () => {
    await staffLogin(page, ref.srv.base, '#units', errors);
    await page.waitForSelector(sel('units-tree'));
    const names = await page.locator(`${sel('units-tree')} ${sel('unit-name')}`).allTextContents();
    assert.deepEqual(names, ['Đảng bộ tỉnh Hà Nam', 'Đảng ủy phường Minh Khai', 'Chi bộ khu phố 3', 'Chi bộ khu phố 4']);
    assert.equal(await text('units-readonly'), staffVi['staff.units.onlyOrganisers']);
    assert.equal(await page.locator(sel('unit-form')).count(), 0);

    await page.click(sel('nav-classes'));
    await page.waitForSelector(sel('cls-empty'));
    await page.fill(sel('cls-name'), CLASS);
    const unitOption = await page.locator(`${sel('cls-unit')} option`, { hasText: 'Chi bộ khu phố 3' }).getAttribute('value');
    await page.selectOption(sel('cls-unit'), unitOption);
    await page.click(sel('cls-submit'));
    await page.waitForSelector(sel('roster-form'));
    assert.equal(await text('class-title'), CLASS);
    assert.match(await page.locator('main').textContent(), /Chi bộ khu phố 3/);
    noErrors();
  });
});

test('the roster preview names the bad line and allows no import; fixed, it previews, imports and shows the passwords once', { timeout: TEST_MS }, async () => {
  await run(async () => {
    assert.equal(await page.locator(sel('roster-submit')).isDisabled(), true, 'no import before a preview');
    expectHttp('/api/staff/classes/1/roster?dry_run=1', 422);
    await page.setInputFiles(sel('roster-file'), csv(ROSTER));
    await page.click(sel('roster-preview'));
    await page.waitForSelector(sel('roster-bad'));
    const lines = await page.locator(sel('issue-line')).allTextContents();
    assert.deepEqual(lines, [String(BAD_LINE)]);
    assert.match(await page.locator(`${sel('issue-line-' + BAD_LINE)} ${sel('issue-message')}`).textContent(),
      /ngày sinh "31\/02\/1991" không hợp lệ/);
    assert.equal(await page.locator(sel('roster-submit')).isDisabled(), true, 'a bad roster cannot be imported');
    // English shows the English half of the same message
    await page.click(sel('lang-toggle'));
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.match(await page.locator(sel('issue-message')).first().textContent(), /date of birth "31\/02\/1991" is not a date/);
    await page.click(sel('lang-toggle'));
    await page.waitForFunction(() => document.documentElement.lang === 'vi');

    await page.setInputFiles(sel('roster-file'), csv(ROSTER_FIXED));
    await page.click(sel('roster-preview'));
    await page.waitForSelector(sel('roster-preview-ok'));
    assert.deepEqual(await page.locator(sel('roster-login')).allTextContents(),
      ['nguyenvanan', 'tranthibichngoc', 'lehoangcuong', 'phamthidung', 'hoangvanem', 'vuthiphuong']);
    assert.equal(await page.locator(sel('roster-submit')).isDisabled(), false);
    await page.click(sel('roster-submit'));
    await page.waitForSelector(sel('roster-done'), { timeout: 30000 });
    assert.match(await text('roster-result'), /6/);
    assert.equal(await page.locator(`${sel('members-table')} tbody tr`).count(), 6);
    const pw = await page.locator(`${sel('roster-table')} tbody tr td:last-child code`).allTextContents();
    assert.equal(pw.length, 6);
    for (const p of pw) assert.match(p, /^[a-hj-km-np-z2-9]{10}$/);
    await page.locator(sel('roster-done')).scrollIntoViewIfNeeded();
    await page.evaluate(() => scrollTo(0, 0));
    await page.screenshot({ path: join(IMG, 'staff-classes.png') });
    noErrors();
  });
});

test('the slips: one per person with a QR code of the login link and the password from the import', { timeout: TEST_MS }, async () => {
  await run(async () => {
    const pw = await page.locator(`${sel('roster-table')} tbody tr td:last-child code`).allTextContents();
    await page.click(sel('roster-slips'));
    await page.waitForSelector(sel('slips'));
    const slips = page.locator(`${sel('slips')} article`);
    assert.equal(await slips.count(), 6);
    assert.equal(await page.locator(`${sel('slips')} svg`).count(), 6, 'a QR code on every slip');
    const vb = await page.locator(`${sel('slip-nguyenvanan')} svg`).getAttribute('viewBox');
    assert.match(vb, /^0 0 (\d+) \1$/);
    const box = await page.locator(`${sel('slip-nguyenvanan')} svg`).boundingBox();
    assert.ok(box.width > 80 && Math.abs(box.width - box.height) < 1, `a square QR code, got ${JSON.stringify(box)}`);
    assert.equal(await page.locator(`${sel('slip-nguyenvanan')} ${sel('slip-password')}`).textContent(), pw[0]);
    assert.match(await page.locator(sel('slip-nguyenvanan')).textContent(), new RegExp(`${ref.srv.base.replace(/\./g, '\\.')}/\\?u=nguyenvanan`));
    assert.match(await page.locator(sel('slip-nguyenvanan')).textContent(), /05\/03\/1990/);
    assert.equal(await text('slips-once'), staffVi['staff.slips.once']);
    await page.screenshot({ path: join(IMG, 'slips.png') });
    // printed: no console chrome, ten slips fit an A4 page
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.top').isVisible(), false);
    const h54 = await page.locator(sel('slip-nguyenvanan')).boundingBox();
    assert.ok(h54.height * 5 <= 277 * 96 / 25.4 + 1, `five rows of slips fit A4's height, slip ${h54.height}px`);
    await page.emulateMedia({ media: 'screen' });
    // the slip's link opens the candidate page with the login filled in;
    // the slip's password gets the new candidate in
    const cand = await browser.newContext({ viewport: { width: 390, height: 800 } });
    const p2 = await cand.newPage();
    await p2.goto(`${ref.srv.base}/?u=nguyenvanan`);
    await p2.waitForSelector(sel('login-username'));
    assert.equal(await p2.inputValue(sel('login-username')), 'nguyenvanan');
    await p2.fill(sel('login-password'), pw[0]);
    await p2.click(sel('login-submit'));
    await p2.waitForSelector(sel('logout'), { state: 'visible' });
    await cand.close();
    noErrors();
  });
});

test('a reset shows the new password once; its slip has it, the others a blank after a reload', { timeout: TEST_MS }, async () => {
  await run(async () => {
    await page.goto(ref.srv.base + '/staff.html#class/1');
    await page.waitForSelector(sel('members-table'));
    await page.click(sel('reset-phamthidung'));
    await page.click(sel('confirm-ok'));
    await page.waitForSelector(sel('reset-done'));
    const pw = await text('reset-password');
    assert.match(pw, /^[a-hj-km-np-z2-9]{10}$/);
    await page.click(sel('reset-slip'));
    await page.waitForSelector(sel('slips'));
    assert.equal(await page.locator(`${sel('slips')} article`).count(), 1);
    assert.equal(await page.locator(sel('slip-password')).textContent(), pw);
    // A reload loses every password: the server never had them to give.
    await page.goto(ref.srv.base + '/staff.html#class/1/slips');
    await page.reload();
    await page.waitForSelector(sel('slips'));
    assert.equal(await page.locator(sel('slip-password')).count(), 0);
    assert.equal(await page.locator(sel('slip-blank')).count(), 6);
    assert.equal(await text('slips-missing'), staffVi['staff.slips.none']);
    // the new password logs in
    const l = await h.login(ref.srv, 'phamthidung', pw);
    assert.equal(l.status, 200);
    noErrors();
  });
});
