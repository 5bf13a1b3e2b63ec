// staff.test.js — the staff console (web/staff.html) in Debian's chromium,
// driven by playwright-core against the real examd binary: one server for
// the file (the demo set-up plus a trainer account), one office-sized page
// (1366×768) whose state carries from one test to the next, in order:
// log in, import a GIFT file (an error with its line number, then fixed),
// list and search the bank, edit a question, publish an exam (a blueprint
// cell asking too much, then fixed), edit a question the exam now uses.
// Every test also fails on a page error, a CSP violation or a console
// error other than the HTTP errors the test provokes on purpose.
// Screenshots for the docs go to docs/img/staff-*.png.
//
// Run: cd tests && node --test browser/staff.test.js   (EXAMD_BIN picks the binary)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, watchedPage } from './browser.js';
import * as h from '../integration/harness.js';
import staffVi from '../../web/i18n/staff-vi.js';
import staffEn from '../../web/i18n/staff-en.js';

const IMG = join(h.ROOT, 'docs', 'img');
const OFFICE = { width: 1366, height: 768 };
const TEST_MS = 60000;
const WAIT_MS = 10000; // any single DOM wait
const TRAINER = { username: 'gv01', name: 'Trần Thị Bình', password: 'examd-staff' };

// The GIFT file imported through the console. Line 19 (the fourth
// question) has no correct answer; GIFT_FIXED gives it one.
const GIFT_BAD_LINE = 19;
const GIFT = `// Bồi dưỡng lý luận chính trị — câu hỏi mẫu
$CATEGORY: $course$/top/Lịch sử Đảng

// examd: difficulty=easy
::lsd-1::Đảng Cộng sản Việt Nam được thành lập vào năm nào? {
=1930
~1925
~1945
~1951
}

// examd: difficulty=easy
::lsd-2::Ai là Tổng Bí thư đầu tiên của Đảng Cộng sản Việt Nam? {=Trần Phú ~Lê Duẩn ~Nguyễn Văn Cừ ~Hà Huy Tập}

// examd: difficulty=easy
::lsd-3::Hội nghị thành lập Đảng họp tại đâu? {=Cửu Long (Hương Cảng, Trung Quốc) ~Hà Nội ~Sài Gòn ~Ma Cao}

// examd: difficulty=easy
::lsd-4::Cương lĩnh chính trị đầu tiên được thông qua năm nào? {~1925 ~1945 ~1951}

$CATEGORY: $course$/top/Tư tưởng Hồ Chí Minh

// examd: difficulty=medium points=2
::hcm-1::Những hình thức kỷ luật nào áp dụng với thành viên dự bị? {
~%50%Khiển trách
~%50%Cảnh cáo
~%-100%Cách chức
~%-100%Khai trừ
}

::hcm-2::Chủ tịch Hồ Chí Minh sinh năm nào? {=1890 ~1900 ~1911 ~1920}
`;
const GIFT_FIXED = GIFT.replace('{~1925 ~1945 ~1951}', '{=1930 ~1925 ~1945 ~1951}');
const BANK = { name: 'boi-duong-llct', title: 'Bồi dưỡng lý luận chính trị' };

let browser, ref, page;
const errors = { list: [], allow: [] }; // allow: [RegExp] of expected console errors

ref = h.sharedServer((dir) => {
  h.prepareDb(dir);
  const db = join(dir, 'examd.db');
  h.examdCli(db, ['user', 'add', '--username', TRAINER.username, '--name', TRAINER.name,
    '--password', TRAINER.password, '--role', 'trainer']);
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

// ---- helpers ----

const sel = (id) => `[data-testid="${id}"]`;
const shot = (name) => page.screenshot({ path: join(IMG, `staff-${name}.png`) });
const text = (id) => page.locator(sel(id)).first().textContent();

function waitDom(fn, arg, what) {
  return page.waitForFunction(fn, arg, { timeout: WAIT_MS }).catch((e) => {
    e.message = `waiting for ${what}: ${e.message}`;
    throw e;
  });
}

// An HTTP error status the test provokes: its console line is expected.
const expectHttp = (path, status) => errors.allow.push(
  new RegExp(`status of ${status} .*\\(${ref.srv.base.replace(/\./g, '\\.')}${path}`));

function noErrors() {
  assert.deepEqual(errors.list, [], 'page errors, console errors or CSP violations');
}

// Run a test body; a failure also tells the page's errors so far.
function run(fn) {
  return h.explain(ref.srv, fn).catch((e) => {
    if (errors.list.length) e.message += `\n--- page errors:\n${errors.list.join('\n')}`;
    throw e;
  });
}

// ---- 0. both languages have every string ----

test('i18n: the staff dictionaries have the same keys, none empty', () => {
  assert.deepEqual(Object.keys(staffEn).sort(), Object.keys(staffVi).sort());
  for (const [k, v] of Object.entries({ ...staffVi, ...staffEn })) assert.ok(v.trim(), `empty string ${k}`);
});

// ---- 1. log in ----

test('login: Vietnamese first, English toggle, a candidate is refused, a trainer gets in', { timeout: TEST_MS }, async () => {
  await run(async () => {
    expectHttp('/api/session', 401);
    await page.goto(ref.srv.base + '/staff.html');
    await page.waitForSelector(sel('login-username'));
    assert.equal(await page.title(), staffVi['staff.title']);
    assert.equal(await page.locator('main h1').textContent(), staffVi['staff.login.title']);
    assert.equal(await page.locator('label[for=lu]').textContent(), 'Tên đăng nhập');
    await page.click(sel('lang-toggle'));
    await waitDom(() => document.documentElement.lang === 'en', null, 'English');
    assert.equal(await page.locator('main h1').textContent(), staffEn['staff.login.title']);
    assert.equal(await page.locator('label[for=lu]').textContent(), 'Username');
    await page.click(sel('lang-toggle'));
    await waitDom(() => document.documentElement.lang === 'vi', null, 'Vietnamese again');

    // A candidate's account: told this console is for staff, still logged out.
    await page.fill(sel('login-username'), 'ts01');
    await page.fill(sel('login-password'), 'examd-demo');
    await page.click(sel('login-submit'));
    await page.waitForSelector(sel('login-error'));
    assert.equal(await text('login-error'), staffVi['staff.login.candidate']);
    const s = await page.evaluate(() => fetch('/api/session').then((r) => r.status));
    assert.equal(s, 401, 'the candidate session was ended');

    // A wrong password.
    expectHttp('/api/login', 401);
    await page.fill(sel('login-username'), TRAINER.username);
    await page.fill(sel('login-password'), 'wrong-password');
    await page.click(sel('login-submit'));
    await waitDom(() => /sai/i.test(document.querySelector('[data-testid="login-error"]')?.textContent || ''), null, 'bad credentials');
    await shot('login');

    await page.fill(sel('login-password'), TRAINER.password);
    await page.click(sel('login-submit'));
    await page.waitForSelector(sel('banks-table'));
    assert.equal(await text('user-name'), `${TRAINER.name} · Giảng viên`);
    assert.match(await text('bank-row-dang-va-bac-ho'), /dang-va-bac-ho/);
    assert.equal(await page.locator(sel('nav-banks')).getAttribute('aria-current'), 'page');
    await shot('banks');
    noErrors();
  });
});

// ---- 2. import ----

test('import: a GIFT file with an error shows its line; fixed, previewed clean, imported, listed', { timeout: TEST_MS }, async () => {
  await run(async () => {
    await page.click(sel('nav-import'));
    await page.waitForSelector(sel('imp-form'));
    assert.equal(await page.locator(sel('imp-submit')).isDisabled(), true, 'no import before a preview');
    await page.setInputFiles(sel('imp-file'), { name: 'llct.gift.txt', mimeType: 'text/plain', buffer: Buffer.from(GIFT) });
    await page.check(sel('imp-target-new'));
    await page.fill(sel('imp-name'), BANK.name);
    await page.fill(sel('imp-title'), BANK.title);
    await page.selectOption(sel('imp-format'), 'gift');

    // The bad file: every error with its line; nothing can be imported.
    expectHttp('/api/staff/import', 422);
    await page.click(sel('imp-preview'));
    await page.waitForSelector(sel('imp-bad'));
    const issues = await page.$$eval('[data-testid="imp-issues"] tbody tr', (rows) => rows.map((r) => ({
      line: r.querySelector('[data-testid="issue-line"]').textContent,
      question: r.children[1].textContent,
      message: r.querySelector('[data-testid="issue-message"]').textContent.trim(),
    })));
    assert.equal(issues.length, 1, JSON.stringify(issues));
    assert.equal(issues[0].line, String(GIFT_BAD_LINE));
    assert.match(issues[0].question, /^Cương lĩnh chính trị/);
    assert.ok(issues[0].message.length > 5, 'a message');
    assert.equal(await page.locator(sel('imp-submit')).isDisabled(), true, 'no import after a bad preview');
    // The message follows the language.
    await page.click(sel('lang-toggle'));
    await waitDom((vi) => {
      const m = document.querySelector('[data-testid="issue-message"]');
      return document.documentElement.lang === 'en' && m && m.textContent.trim() !== vi;
    }, issues[0].message, 'the issue in English');
    await page.click(sel('lang-toggle'));
    await waitDom(() => document.documentElement.lang === 'vi', null, 'Vietnamese again');
    await page.waitForSelector(sel('imp-issues'));
    await shot('import-errors');

    // Fixed: a clean preview lists the questions; then Import.
    await page.setInputFiles(sel('imp-file'), { name: 'llct.gift.txt', mimeType: 'text/plain', buffer: Buffer.from(GIFT_FIXED) });
    await page.waitForSelector(sel('imp-need-preview'));
    await page.click(sel('imp-preview'));
    await page.waitForSelector(sel('imp-preview-ok'));
    assert.equal(await page.locator(`${sel('imp-questions')} tbody tr`).count(), 6);
    assert.match(await text('imp-summary'), /6 câu hỏi/);
    assert.match(await text('imp-summary'), new RegExp(`ngân hàng mới “${BANK.name}”`));
    const multi = page.locator(`${sel('imp-questions')} tbody tr`).nth(4);
    assert.match(await multi.textContent(), /Khiển trách/);
    assert.equal(await multi.locator('li.key').count(), 2, 'two options marked correct');
    assert.match(await multi.locator('li').nth(2).textContent(), /-100 %/);
    await shot('import-preview');
    // Changing a setting asks for a new preview.
    await page.check(sel('imp-skip'));
    assert.equal(await page.locator(sel('imp-submit')).isDisabled(), true);
    await page.uncheck(sel('imp-skip'));
    assert.equal(await page.locator(sel('imp-submit')).isDisabled(), false);

    await page.click(sel('imp-submit'));
    await page.waitForSelector(sel('imp-done'));
    assert.match(await text('imp-result'), /Đã nhập 6 câu hỏi/);
    await page.click(sel('imp-open-bank'));
    await page.waitForSelector(sel('q-table'));
    assert.equal(await page.locator(sel('bank-heading')).textContent(), BANK.title);
    assert.match(await text('q-count'), /trong 6$/);
    assert.equal(await page.locator(`${sel('q-table')} tbody tr`).count(), 6);
    noErrors();
  });
});

// ---- 3. search and edit ----

test('questions: "dang" without accents finds "Đảng"; filters; a question edited in place, one added and retired', { timeout: TEST_MS }, async () => {
  await run(async () => {
    const rows = () => page.$$eval('[data-testid="q-table"] tbody tr [data-testid="q-text"]', (els) => els.map((e) => e.textContent));
    const search = async (q) => {
      await page.fill(sel('q-search'), q);
      await waitDom((q) => document.querySelector('[data-testid="q-results"]')?.dataset.q === q, q, `results for "${q}"`);
    };
    await search('dang');
    const found = await rows();
    assert.ok(found.length >= 3, JSON.stringify(found));
    assert.ok(found.every((x) => /Đảng/.test(x)), JSON.stringify(found));
    assert.ok(!found.some((x) => /sinh năm nào/.test(x)));
    await search('HỒ CHÍ minh');
    assert.deepEqual(await rows(), ['Chủ tịch Hồ Chí Minh sinh năm nào?']);
    await search('');
    await page.selectOption(sel('q-topic'), 'Tư tưởng Hồ Chí Minh');
    await waitDom(() => document.querySelectorAll('[data-testid="q-table"] tbody tr').length === 2, null, 'topic filter');
    await page.selectOption(sel('q-difficulty'), 'medium');
    await waitDom(() => document.querySelectorAll('[data-testid="q-table"] tbody tr').length === 2, null, 'difficulty filter');
    await page.selectOption(sel('q-topic'), '');
    await page.selectOption(sel('q-difficulty'), 'easy');
    await waitDom(() => document.querySelectorAll('[data-testid="q-table"] tbody tr').length === 4, null, 'easy ones');
    await page.selectOption(sel('q-difficulty'), '');
    await search('dang');
    await shot('questions');

    // Edit "Ai là Tổng Bí thư…": a bad save keeps the form, a good one saves in place.
    const row = page.locator(`${sel('q-table')} tbody tr`, { hasText: 'Tổng Bí thư đầu tiên' });
    const id = (await row.getAttribute('data-testid')).replace('q-row-', '');
    await row.locator(sel(`q-edit-${id}`)).click();
    await page.waitForSelector(sel('q-form'));
    assert.equal(await page.inputValue(sel('f-opt-0')), 'Trần Phú');
    assert.equal(await page.isChecked(sel('f-key-0')), true);
    await page.fill(sel('f-text'), 'Ai là Tổng Bí thư đầu tiên của Đảng (năm 1930)?');
    await page.fill(sel('f-opt-1'), 'Trần Phú'); // the same as option 1: refused here, form kept
    await page.click(sel('q-save'));
    await page.waitForSelector(sel('f-options-error'));
    assert.match(await text('f-options-error'), /1 và 2 giống nhau/);
    assert.equal(await page.inputValue(sel('f-text')), 'Ai là Tổng Bí thư đầu tiên của Đảng (năm 1930)?');
    await page.fill(sel('f-opt-1'), 'Lê Hồng Phong');
    await page.click(sel('q-save'));
    await page.waitForSelector(sel('q-flash'));
    assert.equal(await text('q-flash'), `Đã lưu câu hỏi #${id}.`);
    await waitDom(() => document.querySelector('[data-testid="q-results"]')?.dataset.q === 'dang', null, 'the list again');
    const edited = page.locator(sel(`q-row-${id}`));
    assert.match(await edited.textContent(), /\(năm 1930\)/);
    assert.match(await edited.textContent(), /Lê Hồng Phong/);
    assert.match(await edited.textContent(), /v1/);

    // A new multiple-answer question: ticking shares 100 %, a weight typed
    // by hand that breaks the sum is refused here; then added, then retired.
    await page.click(sel('q-new'));
    await page.waitForSelector(sel('q-form'));
    await page.fill(sel('f-topic'), 'Lịch sử Đảng');
    await page.selectOption(sel('f-difficulty'), 'hard');
    await page.fill(sel('f-text'), 'Những sự kiện nào diễn ra năm 1930?');
    await page.check(sel('f-multi'));
    for (const [i, o] of ['Thành lập Đảng', 'Xô viết Nghệ Tĩnh', 'Cách mạng Tháng Tám'].entries()) await page.fill(sel(`f-opt-${i}`), o);
    await page.click(sel('f-del-3'));
    await page.check(sel('f-key-0'));
    await page.check(sel('f-key-1'));
    assert.deepEqual([await page.inputValue(sel('f-w-0')), await page.inputValue(sel('f-w-1'))], ['50', '50']);
    await page.fill(sel('f-w-2'), '-50');
    await page.fill(sel('f-w-1'), '40');
    await page.click(sel('q-save'));
    await page.waitForSelector(sel('f-options-error'));
    assert.match(await text('f-options-error'), /90 %/);
    await page.fill(sel('f-w-1'), '50');
    await page.click(sel('q-save'));
    await page.waitForSelector(sel('q-flash'));
    const newId = (await text('q-flash')).match(/^Đã thêm câu hỏi #(\d+)\.$/)[1];
    await search('1930');
    const added = page.locator(sel(`q-row-${newId}`));
    assert.match(await added.textContent(), /Khó/);
    assert.equal(await added.locator('li.key').count(), 2);
    assert.match(await added.locator('li').nth(2).textContent(), /Cách mạng Tháng Tám \(-50 %\)/);
    await added.locator(sel(`q-retire-${newId}`)).click();
    await page.click(sel('confirm-ok'));
    await page.locator(sel(`q-row-${newId}`)).waitFor({ state: 'detached' });
    assert.equal(await text('q-flash'), `Đã ngừng sử dụng câu hỏi #${newId}.`);
    await search('dang');
    noErrors();
  });
});

// ---- 4. publish ----

test('exams: a blueprint cell asking too much shows the server error; fixed, published and listed', { timeout: TEST_MS }, async () => {
  await run(async () => {
    const bankId = page.url().match(/#bank\/(\d+)/)[1];
    await page.click(sel('nav-exams'));
    // a trainer lists only the exams they published: none yet
    await page.waitForSelector(sel('ex-empty'));
    await page.click(sel('ex-new'));
    await page.waitForSelector(sel('pub-form'));
    await page.fill(sel('pub-title'), 'Kiểm tra cuối khóa bồi dưỡng');
    await page.selectOption(sel('pub-bank'), bankId);
    await page.waitForSelector(sel('pub-topic-0'));
    await page.selectOption(sel('pub-topic-0'), 'Lịch sử Đảng');
    await page.selectOption(sel('pub-diff-0'), 'easy');
    await page.fill(sel('pub-count-0'), '10');
    assert.equal(await text('pub-avail-0'), 'chỉ có 4');
    await page.click(sel('pub-add-cell'));
    await page.selectOption(sel('pub-topic-1'), 'Tư tưởng Hồ Chí Minh');
    await page.fill(sel('pub-count-1'), '2'); // both: they are then "used"
    assert.equal(await text('pub-total'), 'Tổng: 12 câu');
    await page.fill(sel('pub-duration'), '20');
    await page.selectOption(sel('pub-review'), 'full');

    expectHttp('/api/staff/exams', 422);
    await page.click(sel('pub-submit'));
    await page.waitForSelector(sel('pub-blueprint-error'));
    const msg = await text('pub-blueprint-error');
    assert.ok(msg.length > 5, msg);
    assert.ok(!/ \/ /.test(msg), `one language only: ${msg}`);
    assert.equal(await page.inputValue(sel('pub-title')), 'Kiểm tra cuối khóa bồi dưỡng', 'the form is kept');
    assert.equal(await page.inputValue(sel('pub-count-0')), '10');
    await page.locator(sel('pub-blueprint-error')).scrollIntoViewIfNeeded();
    await shot('publish-error');

    await page.fill(sel('pub-count-0'), '3');
    await page.click(sel('pub-submit'));
    await page.waitForSelector(sel('ex-flash'));
    const id = (await text('ex-flash')).match(/#(\d+)/)[1];
    const row = page.locator(sel(`ex-row-${id}`));
    await row.waitFor();
    assert.equal(await row.locator(sel('ex-title')).textContent(), 'Kiểm tra cuối khóa bồi dưỡng');
    const cells = await row.locator('td').allTextContents();
    assert.deepEqual(cells.slice(2, 8), ['5', '20 phút', '1', 'Xem bài làm và đáp án', 'Luôn mở', '0']);
    await shot('exams');
    noErrors();
  });
});

// ---- 5. a used question gets a new version ----

test('questions: editing a question a published exam uses makes version 2, and says so', { timeout: TEST_MS }, async () => {
  await run(async () => {
    await page.click(sel('nav-banks'));
    await page.click(sel(`bank-open-${BANK.name}`));
    await page.waitForSelector(sel('q-table'));
    await page.fill(sel('q-search'), 'sinh năm nào');
    await waitDom(() => document.querySelector('[data-testid="q-results"]')?.dataset.q === 'sinh năm nào', null, 'the question');
    const row = page.locator(`${sel('q-table')} tbody tr`).first();
    await row.locator(sel('q-used')).waitFor(); // the exam holds both "Tư tưởng" questions
    const id = (await row.getAttribute('data-testid')).replace('q-row-', '');
    await row.locator(sel(`q-edit-${id}`)).click();
    await page.waitForSelector(sel('q-used-warning'));
    assert.match(await text('q-used-warning'), /phiên bản 2/);
    await shot('question-edit');
    await page.fill(sel('f-explanation'), 'Ngày 19/5/1890, tại làng Kim Liên, Nam Đàn, Nghệ An.');
    await page.click(sel('q-save'));
    await page.waitForSelector(sel('q-flash'));
    const flash = await text('q-flash');
    assert.match(flash, new RegExp(`^Câu hỏi #${id} .* phiên bản 2 \\(câu #\\d+\\)`));
    const newId = flash.match(/\(câu #(\d+)\)/)[1];
    assert.notEqual(newId, id);
    await page.locator(sel(`q-row-${newId}`)).waitFor();
    assert.match(await page.locator(sel(`q-row-${newId}`)).textContent(), /v2/);
    assert.equal(await page.locator(sel(`q-row-${id}`)).count(), 0, 'the old version is retired');
    noErrors();
  });
});

// ---- 6. banks: create, export, retire; log out ----

test('banks: a taken name is refused at its field, a lost session is renewed over the form, export links answer, retire after confirming, log out', { timeout: TEST_MS }, async () => {
  await run(async () => {
    await page.click(sel('nav-banks'));
    await page.waitForSelector(sel('banks-table'));
    // A bad name is refused here; a taken one by the server; the form stays filled.
    await page.fill(sel('bank-name'), 'Lịch sử');
    await page.fill(sel('bank-title'), 'Ôn tập lịch sử Đảng');
    await page.click(sel('bank-create-submit'));
    await page.waitForSelector(sel('bn-error'));
    assert.match(await text('bn-error'), /chữ thường không dấu/);
    expectHttp('/api/staff/banks', 409);
    await page.fill(sel('bank-name'), BANK.name);
    await page.click(sel('bank-create-submit'));
    await waitDom(() => /Đã có ngân hàng/.test(document.querySelector('[data-testid="bn-error"]')?.textContent || ''), null, 'name taken');
    assert.equal(await page.inputValue(sel('bank-title')), 'Ôn tập lịch sử Đảng');
    // The session ends (as if logged out in another tab) with the form
    // filled: log in again over it, nothing typed is lost.
    await page.fill(sel('bank-name'), 'on-tap-lsd');
    await page.evaluate(() => fetch('/api/logout', { method: 'POST' }));
    expectHttp('/api/staff/banks', 401);
    await page.click(sel('bank-create-submit'));
    await page.waitForSelector(sel('relogin'));
    assert.equal(await page.inputValue(`${sel('relogin')} ${sel('login-username')}`), TRAINER.username);
    assert.match(await text('bank-create-error'), /Phiên đăng nhập đã hết/);
    await page.fill(`${sel('relogin')} ${sel('login-password')}`, TRAINER.password);
    await page.press(`${sel('relogin')} ${sel('login-password')}`, 'Enter');
    await page.waitForSelector(sel('relogin'), { state: 'detached' });
    assert.equal(await page.inputValue(sel('bank-name')), 'on-tap-lsd');
    assert.equal(await page.inputValue(sel('bank-title')), 'Ôn tập lịch sử Đảng');
    await page.click(sel('bank-create-submit'));
    await page.waitForSelector(sel('bank-row-on-tap-lsd'));
    assert.equal(await text('banks-flash'), 'Đã tạo ngân hàng “on-tap-lsd”.');
    assert.equal(await text('bank-count-on-tap-lsd'), '0');

    // The export links of the imported bank answer with the file.
    const hrefs = await page.$$eval(`${sel(`bank-row-${BANK.name}`)} td.links a`, (as) => as.map((a) => a.getAttribute('href')));
    assert.equal(hrefs.length, 2);
    const files = await page.evaluate((hs) => Promise.all(hs.map(async (u) => {
      const r = await fetch(u);
      return { status: r.status, type: r.headers.get('content-type'), body: await r.text() };
    })), hrefs);
    assert.deepEqual(files.map((f) => f.status), [200, 200]);
    assert.match(files[0].body, /::lsd-1::/);
    assert.equal(JSON.parse(files[1].body).bank, BANK.name);

    // Retire: cancelled first (nothing happens), then confirmed.
    await page.click(sel('bank-retire-on-tap-lsd'));
    await page.waitForSelector('.modal');
    await page.keyboard.press('Escape');
    await page.waitForSelector('.modal', { state: 'detached' });
    assert.equal(await page.locator(sel('bank-row-on-tap-lsd')).count(), 1);
    await page.click(sel('bank-retire-on-tap-lsd'));
    await page.click(sel('confirm-ok'));
    await page.waitForSelector(sel('bank-row-on-tap-lsd'), { state: 'detached' });
    assert.match(await text('banks-flash'), /Đã ngừng sử dụng ngân hàng/);

    await page.click(sel('logout'));
    await page.waitForSelector(sel('login-username'));
    assert.equal(await page.locator(sel('nav-banks')).isVisible(), false, 'no navigation when logged out');
    const s = await page.evaluate(() => fetch('/api/session').then((r) => r.status));
    assert.equal(s, 401);
    noErrors();
  });
});

// ---- 7. the server took all this cleanly ----

test('the server exits cleanly after it all (a leak or UB fails under the sanitizer build)', { timeout: TEST_MS }, async () => {
  await h.stopServerClean(ref.srv);
});
