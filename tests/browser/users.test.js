// users.test.js — the admin's accounts and audit log screens in the staff
// console (web/js/staff/users.js, audit.js) in Debian's chromium, driven by
// playwright-core against the real examd binary. Two browser contexts: the
// admin's and a trainer's. In order: the admin adds a trainer (a bad
// confirmation and a taken username shown at their fields, nothing typed
// lost), the trainer logs in to the console, the admin disables them and
// the trainer's open console is logged out at its next request; the audit
// screen lists those entries, filters them and verifies the chain. Every
// test also fails on a page error, a CSP violation or a console error
// other than the HTTP errors it provokes on purpose.
// Screenshots for the docs: docs/img/staff-users.png, staff-audit.png.
//
// Run: cd tests && node --test browser/users.test.js   (EXAMD_BIN picks the binary)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, watchedPage } from './browser.js';
import * as h from '../integration/harness.js';
import staffVi from '../../web/i18n/staff-vi.js';

const IMG = join(h.ROOT, 'docs', 'img');
const OFFICE = { width: 1366, height: 768 };
const TEST_MS = 60000;
const WAIT_MS = 10000;
const ADMIN = { username: 'quantri', name: 'Quản trị hệ thống', password: 'quantri-mat-khau' };
const NEW = { username: 'gv.binh', name: 'Trần Thị Bình', password: 'binh-mat-khau-1' };

let browser;
const pages = {}; // admin, trainer
const errors = { list: [], allow: [] };

const ref = h.sharedServer((dir) => {
  h.prepareDb(dir);
  h.examdCli(join(dir, 'examd.db'), ['user', 'add', '--username', ADMIN.username, '--name', ADMIN.name,
    '--password', ADMIN.password, '--role', 'admin']);
});

const newPage = (who) => watchedPage(browser,
  { viewport: OFFICE, deviceScaleFactor: 1, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' },
  errors, { who, waitMs: WAIT_MS });

before(async () => {
  mkdirSync(IMG, { recursive: true });
  browser = await launch();
  pages.admin = await newPage('admin');
  pages.trainer = await newPage('trainer');
});

after(async () => {
  if (browser) await browser.close();
});

const sel = (id) => `[data-testid="${id}"]`;
const shot = (page, name) => page.screenshot({ path: join(IMG, `staff-${name}.png`) });
const expectHttp = (path, status) => errors.allow.push(
  new RegExp(`status of ${status} .*\\(${ref.srv.base.replace(/\./g, '\\.')}${path.replace(/[?.]/g, '\\$&')}`));
const noErrors = () => assert.deepEqual(errors.list, [], 'page errors, console errors or CSP violations');

function run(fn) {
  return h.explain(ref.srv, fn).catch(async (e) => {
    if (process.env.SHOTS_ON_FAIL) for (const [k, p] of Object.entries(pages)) await p.screenshot({ path: `/tmp/ut/fail-${k}.png` }).catch(() => {});
    if (errors.list.length) e.message += `\n--- page errors:\n${errors.list.join('\n')}`;
    throw e;
  });
}

async function logIn(page, user) {
  expectHttp('/api/session', 401);
  await page.goto(ref.srv.base + '/staff.html');
  await page.fill(sel('login-username'), user.username);
  await page.fill(sel('login-password'), user.password);
  await page.click(sel('login-submit'));
  await page.waitForSelector(sel('banks-table'));
}

test('accounts: only an admin sees the screens; the admin adds a trainer (errors at their fields, nothing lost)', { timeout: TEST_MS }, async () => {
  await run(async () => {
    const page = pages.admin;
    // a trainer's console has no such entries, and #users falls back to the banks
    await logIn(pages.trainer, { username: 'giangvien', password: 'examd-demo' });
    assert.equal(await pages.trainer.locator(sel('nav-users')).count(), 0);
    assert.equal(await pages.trainer.locator(sel('nav-audit')).count(), 0);
    await pages.trainer.evaluate(() => { location.hash = '#users'; });
    await pages.trainer.waitForFunction(() => location.hash === '#banks');
    await pages.trainer.click(sel('logout'));
    await pages.trainer.waitForSelector(sel('login-username'));

    await logIn(page, ADMIN);
    await page.click(sel('nav-users'));
    await page.waitForSelector(sel('users-table'));
    assert.match(await page.locator(sel('users-count')).textContent(), /trong \d+ tài khoản/);
    assert.ok(await page.locator(sel('user-row-ts01')).isVisible());
    // the filter: staff only, then a search without accents
    await page.selectOption(sel('users-role'), 'staff');
    await page.waitForFunction(() => !document.querySelector('[data-testid="user-row-ts01"]'));
    assert.ok(await page.locator(sel('user-row-giangvien')).isVisible());
    await page.selectOption(sel('users-role'), '');
    await page.fill(sel('users-search'), 'tran van minh');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^="user-row-"]').length === 1);
    assert.ok(await page.locator(sel('user-row-giangvien')).isVisible());
    await page.fill(sel('users-search'), '');
    await page.waitForSelector(sel('user-row-ts01'));
    // the admin cannot disable their own account
    assert.equal(await page.locator(sel(`user-disable-${ADMIN.username}`)).count(), 0);

    // two passwords that differ: said at the field, nothing sent
    await page.click(sel('users-new'));
    assert.equal(await page.evaluate(() => document.activeElement.id), 'nu-username');
    await page.fill(sel('new-username'), 'giangvien');
    await page.fill(sel('new-name'), NEW.name);
    await page.selectOption(sel('new-role'), 'trainer');
    await page.fill(sel('new-password'), NEW.password);
    await page.fill(sel('new-confirm'), NEW.password + 'x');
    await page.click(sel('new-submit'));
    assert.equal(await page.locator(sel('nu-confirm-error')).textContent(), staffVi['staff.users.confirmBad']);
    // a username that is taken: the server's error at the username field
    expectHttp('/api/staff/users', 409);
    await page.fill(sel('new-confirm'), NEW.password);
    await page.click(sel('new-submit'));
    await page.waitForSelector(sel('nu-username-error'));
    assert.match(await page.locator(sel('nu-username-error')).textContent(), /tên đăng nhập đã có/);
    assert.equal(await page.inputValue(sel('new-name')), NEW.name, 'what was typed is kept');
    assert.equal(await page.inputValue(sel('new-password')), NEW.password);
    await page.fill(sel('new-username'), NEW.username);
    await page.click(sel('new-submit'));
    await page.waitForSelector(sel('users-flash'));
    assert.equal(await page.locator(sel('users-flash')).textContent(), `Đã thêm tài khoản ${NEW.username}.`);
    await page.waitForSelector(sel(`user-row-${NEW.username}`));
    assert.match(await page.locator(sel(`user-row-${NEW.username}`)).textContent(), /Giảng viên/);
    assert.equal(await page.inputValue(sel('new-username')), '', 'the form is emptied once added');
    noErrors();
  });
});

test('the new trainer logs in; disabled by the admin, their open console is logged out at its next request', { timeout: TEST_MS }, async () => {
  await run(async () => {
    const page = pages.admin, tp = pages.trainer;
    await logIn(tp, NEW);
    assert.match(await tp.locator(sel('user-name')).textContent(), new RegExp(NEW.name));

    // the admin opens the new password form, then closes it: nothing changes
    await page.click(sel(`user-passwd-${NEW.username}`));
    await page.waitForSelector(sel('passwd-form'));
    await page.fill(sel('passwd-password'), 'short');
    await page.click(sel('passwd-submit'));
    assert.match(await page.locator(sel('pw-new-error')).textContent(), /ít nhất 8/);
    await page.click(sel('passwd-cancel'));
    await page.waitForFunction(() => !document.querySelector('[data-testid="passwd-form"]'));

    await page.click(sel(`user-disable-${NEW.username}`));
    await page.waitForSelector(sel('confirm-ok'));
    assert.match(await page.locator('.modal').textContent(), /phiên đang mở kết thúc ngay/);
    await page.click(sel('confirm-ok'));
    await page.waitForSelector(sel('user-disabled'));
    assert.match(await page.locator(sel('users-flash')).textContent(), /Đã khóa gv\.binh/);
    await page.selectOption(sel('users-role'), 'staff');
    await page.waitForFunction(() => !document.querySelector('[data-testid="user-row-ts01"]'));
    await page.evaluate(() => scrollTo(0, 0));
    await shot(page, 'users');
    await page.selectOption(sel('users-role'), '');

    // the trainer's next request finds the session gone
    expectHttp('/api/staff/exams', 401);
    await tp.click(sel('nav-exams'));
    await tp.waitForSelector(sel('login-error'));
    assert.equal(await tp.locator(sel('login-error')).textContent(), staffVi['staff.login.expired']);
    // and cannot log in again
    expectHttp('/api/login', 401);
    await tp.fill(sel('login-username'), NEW.username);
    await tp.fill(sel('login-password'), NEW.password);
    await tp.click(sel('login-submit'));
    await tp.waitForFunction(() => /sai/i.test(document.querySelector('[data-testid="login-error"]')?.textContent || ''));
    noErrors();
  });
});

test('audit: the entries are listed newest first, filtered by action, and the chain verifies', { timeout: TEST_MS }, async () => {
  await run(async () => {
    const page = pages.admin;
    await page.click(sel('nav-audit'));
    await page.waitForSelector(sel('audit-table'));
    const acts = await page.locator(sel('audit-act')).allTextContents();
    assert.match(acts[0], /Đăng nhập sai/, 'the trainer\'s refused login is the newest');
    assert.ok(acts.some((a) => /Khóa tài khoản/.test(a)));
    assert.ok(acts.some((a) => /Thêm tài khoản/.test(a)));
    const ids = (await page.locator('[data-testid^="audit-row-"]').evaluateAll((rs) => rs.map((r) => Number(r.dataset.testid.slice(10)))));
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');

    await page.selectOption(sel('audit-action'), 'user');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="audit-act"]')]
      .every((td) => /user\./.test(td.textContent)));
    const users = await page.locator(sel('audit-act')).allTextContents();
    assert.deepEqual(users.map((a) => a.match(/user\.[a-z]+/)[0]), ['user.disable', 'user.add', 'user.add']);
    await page.selectOption(sel('audit-action'), '');
    await page.waitForFunction(() => /Đăng nhập sai/.test(document.querySelector('[data-testid="audit-act"]')?.textContent || ''));

    await page.click(sel('audit-verify'));
    await page.waitForSelector(sel('audit-head'));
    assert.match(await page.locator(sel('audit-verify-result')).textContent(), /Chuỗi nguyên vẹn: \d+ mục/);
    assert.match(await page.locator(sel('audit-head')).textContent(), /^[0-9a-f]{64}$/);
    await shot(page, 'audit');
    noErrors();
  });
});
