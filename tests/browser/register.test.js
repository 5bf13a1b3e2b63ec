// register.test.js — a newcomer on a phone joins the demo contest without
// a code (/?contest=ID, `serve --demo --demo-contest` as scripts/run
// starts it): the contest's title, name + date of birth + unit, the
// round in the exam list, the paper with the prediction card; the
// prediction and the unit reach the database; a contest id that is not
// open to registration says so.
//
// Run: cd tests && node --test browser/register.test.js
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch } from './browser.js';
import * as h from '../integration/harness.js';

const PHONE = { width: 360, height: 740 };
const sel = (id) => `[data-testid="${id}"]`;

let browser, srv;
before(async () => {
  browser = await launch();
  srv = await h.startServer({ args: ['--demo-contest'] });
});
after(async () => {
  try { if (browser) await browser.close(); } finally {
    if (srv) {
      try { await h.stopServerClean(srv); } finally { h.cleanup(srv); }
    }
  }
});

async function phone(t) {
  const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'vi-VN' });
  t.after(() => context.close());
  await context.addInitScript(() => {
    addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    }, true);
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    const url = m.location().url || '';
    // expected: the 401 of /api/session before registering, the 404 of a closed contest
    if (m.type() !== 'error' || /\/api\/session$/.test(url) || /status of 404/.test(m.text())) return;
    errors.push(`console.error: ${m.text()} (${url})`);
  });
  return { page, errors };
}

test('the demo contest: a newcomer registers without a code, sees round 1 and enters a prediction', { timeout: 60000 }, async (t) => {
  const contest = h.dbQuery(srv.db, 'SELECT id, title FROM contests')[0];
  const round = h.dbQuery(srv.db, `SELECT id FROM exams WHERE contest_id = ${contest.id}`)[0].id;
  const unit = h.dbQuery(srv.db, "SELECT id FROM units WHERE name = 'Công đoàn Bệnh viện Bạch Mai'")[0].id;
  const { page, errors } = await phone(t);
  await page.goto(`${srv.base}/?contest=${contest.id}`);
  await page.locator(sel('join-form')).waitFor();
  assert.equal((await page.locator(sel('join-exam')).textContent()).trim(), contest.title);
  assert.equal(await page.locator(sel('join-code')).count(), 0, 'no code is asked');
  await page.fill(sel('join-full_name'), 'Lê Thị Thu Hà');
  await page.fill(sel('join-birth_date'), '19/05/1988');
  await page.selectOption(sel('join-unit'), String(unit));
  await page.screenshot({ path: join(h.ROOT, 'docs', 'img', 'register.png') });
  await page.click(sel('join-submit'));
  await page.locator(sel(`exam-${round}`)).waitFor();
  assert.equal(new URL(page.url()).search, '', 'the contest left the address bar');
  await page.locator(`${sel(`exam-${round}`)} ${sel('exam-start')}`).click();
  await page.locator(sel('prediction')).waitFor();
  await page.fill(sel('prediction-input'), '12');
  await page.click(sel('prediction-save'));
  await page.waitForFunction(() => /12/.test(document.querySelector('[data-testid="prediction-state"]')?.textContent || ''));
  const row = h.dbQuery(srv.db, "SELECT u.unit_id, u.birth_date, a.prediction FROM users u JOIN attempts a ON a.user_id = u.id WHERE u.full_name = 'Lê Thị Thu Hà'");
  assert.deepEqual(row, [{ unit_id: unit, birth_date: '1988-05-19', prediction: 12 }]);
  assert.deepEqual(errors, []);
});

test('a contest that is not open to registration says so and asks nothing', { timeout: 60000 }, async (t) => {
  const { page, errors } = await phone(t);
  await page.goto(`${srv.base}/?contest=999`);
  await page.locator(sel('join-error')).waitFor();
  assert.match(await page.locator(sel('join-error')).textContent(), /không mở đăng ký/);
  assert.equal(await page.locator(sel('join-code')).count(), 0);
  assert.deepEqual(errors, []);
});
