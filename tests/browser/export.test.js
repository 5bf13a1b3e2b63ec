// export.test.js — exports in the staff console and the signed paper
// roster, in Debian's chromium (playwright-core) against the real examd.
// Candidates with Vietnamese names take the trainer's exam over the
// protocol; then the trainer opens the exam's export panel, downloads the
// roster as XLSX (playwright's download event; the file is read back with
// openpyxl), sees the progress bar of a download made slow on purpose,
// downloads a signed JSON (two files; `examd verify` accepts them), and
// prints the paper roster: rendered to PDF by chromium and converted with
// pdftoppm into docs/img/print-roster.png. The console with the export
// panel open goes to docs/img/staff-exports.png.
//
// Run: cd tests && node --test browser/export.test.js
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, watchedPage } from './browser.js';
import * as h from '../integration/harness.js';
import { publishAndTake } from '../integration/takers.js';
import printVi from '../../web/i18n/print-vi.js';
import printEn from '../../web/i18n/print-en.js';

const IMG = join(h.ROOT, 'docs', 'img');
const OFFICE = { width: 1366, height: 768 };
const TEST_MS = 60000;
const PEOPLE = [
  ['nhung', 'Nguyễn Thị Hồng Nhung', 5],
  ['thang', 'Trần Đức Thắng', 2],
  ['hoa', 'Phạm Thị Hòa', 4],
  ['cuong', 'Lê Văn Cường', 3],
  ['yen', 'Đỗ Hải Yến', 5],
];

let browser, page, examId;
const errors = { list: [], allow: [] };
const work = mkdtempSync(join(tmpdir(), 'examd-bexport-'));

const ref = h.sharedServer((dir) => {
  h.prepareDb(dir);
  const db = join(dir, 'examd.db');
  const unit = h.examdCli(db, ['unit', 'add', '--name', 'Chi bộ Khu phố 3']).trim();
  for (const [u, name] of PEOPLE) {
    h.examdCli(db, ['user', 'add', '--username', u, '--name', name, '--password', 'examd-demo', '--unit', unit]);
  }
  // one who never sits it: on the paper as absent once in a class
  h.examdCli(db, ['user', 'add', '--username', 'vang', '--name', 'Vũ Văn Vắng', '--password', 'examd-demo', '--unit', unit]);
});

before(async () => {
  mkdirSync(IMG, { recursive: true });
  browser = await launch();
  page = await watchedPage(browser,
    { viewport: OFFICE, deviceScaleFactor: 1, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', acceptDownloads: true },
    errors, { waitMs: 15000 });
});

after(async () => {
  if (browser) await browser.close();
  rmSync(work, { recursive: true, force: true });
});

const sel = (id) => `[data-testid="${id}"]`;
const noErrors = () => assert.deepEqual(errors.list, [], 'page errors, console errors or CSP violations');
const run = (fn) => h.explain(ref.srv, fn).catch((e) => {
  if (errors.list.length) e.message += `\n--- page errors:\n${errors.list.join('\n')}`;
  throw e;
});

// Click and collect n downloads, saved into work: [{name, path}].
async function downloads(n, click) {
  const got = [];
  const all = new Promise((res) => {
    const on = async (d) => {
      const path = join(work, d.suggestedFilename());
      await d.saveAs(path);
      got.push({ name: d.suggestedFilename(), path });
      if (got.length === n) { page.off('download', on); res(got); }
    };
    page.on('download', on);
  });
  await click();
  return all;
}

test('i18n: the print page has every string in both languages', () => {
  assert.deepEqual(Object.keys(printEn).sort(), Object.keys(printVi).sort());
  for (const k of Object.keys(printVi)) assert.ok(printVi[k].trim() && printEn[k].trim(), `empty string ${k}`);
});

test('candidates with Vietnamese names take the trainer’s exam', { timeout: TEST_MS }, async () => {
  const l = await h.login(ref.srv, 'giangvien');
  examId = await publishAndTake(ref.srv, l.cookie, PEOPLE, { title: 'Kiểm tra nhận thức về Đảng, đợt 1 năm 2026' });
});

test('the trainer downloads the roster as XLSX from the exams list, and it parses', { timeout: TEST_MS }, async () => {
  await run(async () => {
    errors.allow.push(/status of 401 .*\/api\/session/);
    await page.goto(ref.srv.base + '/staff.html#exams');
    await page.fill(sel('login-username'), 'giangvien');
    await page.fill(sel('login-password'), 'examd-demo');
    await page.click(sel('login-submit'));
    const row = page.locator(sel('ex-row-' + examId));
    await row.waitFor();
    await row.locator(sel('ex-export')).click();
    const roster = page.locator(`${sel('ex-export-' + examId)} ${sel(`dl-roster-${examId}`)}`);
    await roster.waitFor();
    await page.screenshot({ path: join(IMG, 'staff-exports.png') });
    const [f] = await downloads(1, () => roster.locator(sel('dl-xlsx')).click());
    assert.equal(f.name, `bảng-điểm-${examId}.xlsx`);
    const py = `
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
rows = [[c.value for c in r] for r in ws.iter_rows()]
print(json.dumps({"freeze": ws.freeze_panes, "rows": rows}, ensure_ascii=False, default=str))`;
    const r = spawnSync('/usr/bin/python3', ['-c', py, f.path], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const x = JSON.parse(r.stdout);
    assert.equal(x.freeze, 'A2');
    assert.equal(x.rows.length, 1 + PEOPLE.length);
    const nhung = x.rows.find((row) => row[1] === 'Nguyễn Thị Hồng Nhung');
    assert.equal(nhung[8], 10);
    assert.equal(x.rows.find((row) => row[1] === 'Trần Đức Thắng')[8], 4);
    noErrors();
  });
});

test('a download slower than a second shows its progress bar, then hides it', { timeout: TEST_MS }, async () => {
  await run(async () => {
    const path = `/api/staff/exams/${examId}/export/results`;
    let release;
    const gate = new Promise((res) => { release = res; });
    await page.route((u) => u.pathname === path, async (route) => { await gate; await route.continue(); });
    const box = page.locator(sel(`dl-results-${examId}`));
    const done = downloads(1, () => box.locator(sel('dl-csv')).click());
    await box.locator(sel('dl-progress')).waitFor({ state: 'visible' });
    assert.equal(await box.locator(sel('dl-csv')).isDisabled(), true, 'no second click while downloading');
    release();
    const [f] = await done;
    await page.unroute((u) => u.pathname === path);
    await box.locator(sel('dl-progress')).waitFor({ state: 'hidden' });
    const csv = readFileSync(f.path);
    assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.ok(csv.toString('utf8').includes('Phạm Thị Hòa'));
    noErrors();
  });
});

test('a signed download saves the file and its signature, and examd verify accepts them', { timeout: TEST_MS }, async () => {
  await run(async () => {
    const box = page.locator(sel(`dl-roster-${examId}`));
    await box.locator(sel('dl-sign')).check();
    const got = await downloads(2, () => box.locator(sel('dl-json')).click());
    const names = got.map((g) => g.name).sort();
    assert.deepEqual(names, [`roster-exam${examId}.json`, `roster-exam${examId}.json.sig`]);
    const file = got.find((g) => g.name.endsWith('.json')).path;
    const v = spawnSync(h.EXAMD, ['verify', file, `${file}.sig`, '--db', ref.srv.db], { encoding: 'utf8' });
    assert.equal(v.status, 0, v.stdout + v.stderr);
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).length, PEOPLE.length);
    noErrors();
  });
});

test('the paper roster: heading fields, counts, signature lines and a signature that verifies; A4 PDF to PNG', { timeout: TEST_MS }, async () => {
  await run(async () => {
    await page.goto(`${ref.srv.base}/print.html?exam=${examId}`);
    await page.waitForSelector(sel('print-table'));
    await page.fill(sel('pf-org1'), 'ĐẢNG BỘ PHƯỜNG MINH KHAI');
    await page.fill(sel('pf-org2'), 'CHI BỘ KHU PHỐ 3');
    await page.fill(sel('pf-place'), 'Phủ Lý, ngày 22 tháng 11 năm 2026');
    await page.fill(sel('pf-signer3'), 'Nguyễn Văn Bí');
    assert.match(await page.locator('.doc-head').textContent(), /CHI BỘ KHU PHỐ 3/);
    assert.equal(await page.locator(sel('print-heading')).textContent(), printVi['print.d.heading']);
    assert.equal(await page.locator(`${sel('print-table')} tbody tr`).count(), PEOPLE.length);
    const counts = await page.locator(sel('print-counts')).textContent();
    assert.match(counts, /Tổng số: 5 người; dự kiểm tra: 5; đạt: 4; không đạt: 1; chưa thi: 0/);
    // the printed signature verifies against a fresh JSON export
    const sig = await page.locator(sel('print-sig')).textContent();
    assert.match(sig, /^examd-signature\/1\nkey: .+\nsig: .+$/);
    const json = join(work, 'paper.json');
    const ex = spawnSync(h.EXAMD, ['export', 'roster', '--exam', String(examId), '--format', 'json', '-o', json, '--db', ref.srv.db], { encoding: 'utf8' });
    assert.equal(ex.status, 0, ex.stderr);
    writeFileSync(`${json}.sig`, sig + '\n');
    const v = spawnSync(h.EXAMD, ['verify', json, `${json}.sig`, '--db', ref.srv.db], { encoding: 'utf8' });
    assert.equal(v.status, 0, v.stdout + v.stderr);
    // the form does not print; the sheet does
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('#tools').isVisible(), false);
    const pdf = join(work, 'roster.pdf');
    await page.pdf({ path: pdf, format: 'A4', preferCSSPageSize: true, printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    const out = spawnSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdf, join(IMG, 'print-roster')]);
    assert.equal(out.status, 0, String(out.stderr));
    const info = spawnSync('pdfinfo', [pdf], { encoding: 'utf8' });
    if (info.status === 0) assert.match(info.stdout, /Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/);
    noErrors();
  });
});

test('the print page without a session says so and links to the console login', { timeout: TEST_MS }, async () => {
  await run(async () => {
    const errs = { list: [], allow: [/status of 401 /] };
    const p = await watchedPage(browser, { viewport: OFFICE, locale: 'vi-VN' }, errs);
    await p.goto(`${ref.srv.base}/print.html?exam=${examId}`);
    await p.waitForSelector(sel('print-error'));
    assert.equal(await p.locator(sel('print-login')).getAttribute('href'), 'staff.html');
    assert.equal(await p.locator(sel('print-table')).count(), 0);
    await p.context().close();
    assert.deepEqual(errs.list, []);
  });
});
