// browser.js — Debian's chromium as every browser test drives it, and an
// office-screen staff page that reports its own errors.
import { chromium } from 'playwright-core';

// Launch /usr/bin/chromium headless with the flags CI needs.
export function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// A page in a new context (contextOpts go to newContext) whose page errors,
// console errors and Content-Security-Policy violations are pushed to
// errors.list, except console errors matched by one of errors.allow; who
// (if given) prefixes each entry. Every single wait times out after waitMs.
export async function watchedPage(browser, contextOpts, errors, { who = '', waitMs = 10000 } = {}) {
  const context = await browser.newContext(contextOpts);
  await context.addInitScript(() => {
    addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    }, true);
  });
  const page = await context.newPage();
  const pre = who ? `${who} ` : '';
  page.setDefaultTimeout(waitMs);
  page.on('pageerror', (e) => errors.list.push(`${pre}pageerror: ${e.stack || e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = `${m.text()} (${m.location().url || ''})`;
    if (!errors.allow.some((re) => re.test(text))) errors.list.push(`${pre}console.error: ${text}`);
  });
  return page;
}

// Open the staff console at hash (e.g. '#exams') and log in as user; the
// first /api/session answers 401, which errors (watchedPage's) allows.
export async function staffLogin(page, base, hash, errors, user = 'giangvien') {
  errors.allow.push(/status of 401 .*\/api\/session/);
  await page.goto(base + '/staff.html' + hash);
  await page.fill('[data-testid="login-username"]', user);
  await page.fill('[data-testid="login-password"]', 'examd-demo');
  await page.click('[data-testid="login-submit"]');
}
