// join.test.js — joining a contest from its QR link on a phone: open
// /?join=CODE, see the contest's title, fill the form (a field left wrong is
// named), pick the unit, land on the exam's rules (counted as connected on
// the exam's monitor before starting); a reload continues the session; the
// join module is not part of the ordinary first load.
//
// Run: cd tests && node --test browser/join.test.js   (EXAMD_BIN picks the binary)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch } from './browser.js';
import * as h from '../integration/harness.js';

const PHONE = { width: 360, height: 740 };
const WAIT_MS = 10000;
const sel = (id) => `[data-testid="${id}"]`;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => { if (browser) await browser.close(); });

async function api(srv, method, path, cookie, body) {
  const r = await fetch(srv.base + path, { method,
    headers: { origin: srv.base, cookie, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined });
  return r.json();
}

test('a phone opens the QR link, fills the form and lands on the exam rules', { timeout: 60000 }, async (t) => {
  const dir = h.tempDir();
  h.prepareDb(dir);
  h.examdCli(join(dir, 'examd.db'), ['user', 'add', '--username', 'quantri', '--name', 'Quản trị',
    '--password', 'examd-demo', '--role', 'admin']); // watches exam 1's monitor
  const srv = await h.startServer({ dir, demo: false });
  let context = null;
  t.after(async () => {
    try { if (context) await context.close(); } finally {
      try { await h.stopServerClean(srv); } finally { h.cleanup(srv); }
    }
  });
  const org = (await h.login(srv, 'tochuc')).cookie;
  const root = await api(srv, 'POST', '/api/staff/units', org, { name: 'Liên đoàn Lao động quận Ba Đình' });
  const unit = await api(srv, 'POST', '/api/staff/units', org, { name: 'Công đoàn Bưu điện', parent: root.id });
  await api(srv, 'POST', '/api/staff/units', org, { name: 'Công đoàn Điện lực', parent: root.id });
  const made = await api(srv, 'POST', '/api/staff/exams/1/codes', org, { count: 1, unit: root.id, base: srv.base });
  assert.ok(made.ok, JSON.stringify(made));
  const link = made.codes[0].link;

  context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'vi-VN' });
  await context.addInitScript(() => {
    addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    }, true);
  });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const errors = [], loaded = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    const url = m.location().url || '';
    // expected: the 401 of /api/session before joining, the 400 of the wrong date below
    if (m.type() !== 'error' || /\/api\/session$/.test(url) || (/\/api\/join$/.test(url) && /status of 400/.test(m.text()))) return;
    errors.push(`console.error: ${m.text()} (${url})`);
  });
  page.on('request', (r) => loaded.push(new URL(r.url()).pathname));

  await page.goto(link);
  await page.locator(sel('join-form')).waitFor();
  await page.locator(sel('join-exam')).waitFor();
  assert.match(await page.locator(sel('join-exam')).textContent(), /\S/);
  assert.ok(loaded.includes('/js/join.js'), 'the join module was loaded for a join link');
  await page.fill(sel('join-full_name'), 'Đỗ Thị Mai');
  await page.fill(sel('join-birth_date'), '31/02/1992'); // no such day
  await page.selectOption(sel('join-unit'), String(unit.id));
  await page.fill(sel('join-phone'), '0987 654 321');
  await page.click(sel('join-submit'));
  await page.locator(sel('join-error')).waitFor();
  assert.match(await page.locator(sel('join-error')).textContent(), /Ngày sinh/);
  assert.equal(await page.locator(sel('join-birth_date')).getAttribute('aria-invalid'), 'true');
  await page.fill(sel('join-birth_date'), '28/02/1992');
  await page.screenshot({ path: join(h.ROOT, 'docs', 'img', 'join.png') });
  // the organiser's monitor of the exam: nobody connected yet
  const mon = await h.connect(srv, (await h.login(srv, 'quantri')).cookie);
  t.after(() => mon.kill());
  const first = await mon.request('monitor', { exam: 1 });
  assert.equal(first.type, 'monitor', JSON.stringify(first));
  assert.equal(first.total.connected, 0);
  await page.click(sel('join-submit'));
  await page.locator(sel('exam-1')).waitFor();
  // the app's hello named the code's exam: connected there before starting
  const pushed = await mon.waitFor((m) => m.type === 'monitor' && m.id === undefined && m.total.connected === 1);
  assert.equal(pushed.total.started, 0);
  assert.ok(await page.locator(sel('exam-start')).first().isVisible(), 'the start button of the rules');
  assert.equal(new URL(page.url()).search, '', 'the code left the address bar');
  // the account: the unit picked, the phone as digits
  const row = h.dbQuery(srv.db, "SELECT unit_id, phone, birth_date FROM users WHERE full_name='Đỗ Thị Mai'");
  assert.deepEqual(row, [{ unit_id: unit.id, phone: '0987654321', birth_date: '1992-02-28' }]);
  // a reload continues the session, not the form
  await page.reload();
  await page.locator(sel('exam-1')).waitFor();
  assert.equal(await page.locator(sel('join-form')).count(), 0);
  assert.deepEqual(errors, [], 'page errors, console errors or CSP violations');
});

test('the ordinary first load does not fetch the join module', { timeout: 60000 }, async (t) => {
  const srv = await h.startServer();
  const context = await browser.newContext({ viewport: PHONE, isMobile: true });
  t.after(async () => {
    try { await context.close(); } finally {
      try { await h.stopServerClean(srv); } finally { h.cleanup(srv); }
    }
  });
  const page = await context.newPage();
  const loaded = [];
  page.on('request', (r) => loaded.push(new URL(r.url()).pathname));
  await page.goto(srv.base + '/');
  await page.locator(sel('login-username')).waitFor({ timeout: WAIT_MS });
  assert.ok(!loaded.includes('/js/join.js'), loaded.join(' '));
});

test('an organiser makes codes for an exam in the console and sees them once, with QR codes', { timeout: 60000 }, async (t) => {
  const srv = await h.startServer();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  t.after(async () => {
    try { await context.close(); } finally {
      try { await h.stopServerClean(srv); } finally { h.cleanup(srv); }
    }
  });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/\/api\/session$/.test(m.location().url || '')) errors.push(m.text());
  });
  await page.goto(srv.base + '/staff.html#exams');
  await page.fill(sel('login-username'), 'tochuc');
  await page.fill(sel('login-password'), 'examd-demo');
  await page.click(sel('login-submit'));
  await page.locator(sel('ex-codes')).first().click();
  await page.locator(sel('codes-stats')).waitFor();
  await page.fill(sel('codes-count'), '3');
  await page.click(sel('codes-create'));
  await page.locator(sel('codes-list')).waitFor();
  const shown = await page.locator(sel('code-text')).allTextContents();
  assert.equal(shown.length, 3);
  for (const c of shown) assert.match(c, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  assert.equal(await page.locator(`${sel('codes-list')} img.qrimg`).count(), 3);
  assert.match(await page.locator(sel('codes-stats')).textContent(), /3/);
  await page.screenshot({ path: join(h.ROOT, 'docs', 'img', 'staff-codes.png') });
  // the first code works
  const r = await fetch(`${srv.base}/api/join/units?code=${shown[0]}`);
  assert.equal(r.status, 200);
  assert.deepEqual(errors, []);
});
