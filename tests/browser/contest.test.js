// contest.test.js (browser) — a contest round as people see it: a
// participant's paper with the prediction question (the module loads only
// for such a paper; the value survives a reload), and the public results
// page (a message before publishing; the prize list and the top N after).
// Screenshots: docs/img/paper-prediction.png, docs/img/results.png.
//
// Run: cd tests && node --test browser/contest.test.js   (EXAMD_BIN picks the binary)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, watchedPage } from './browser.js';
import * as h from '../integration/harness.js';

const PHONE = { width: 360, height: 740 };
const sel = (id) => `[data-testid="${id}"]`;
const NAMES = ['Nguyễn Thị Hồng Nhung', 'Trần Văn Bình', 'Lê Đức Thắng', 'Phạm Quốc Việt', 'Hoàng Thị Lan', 'Vũ Minh Tuấn', 'Đặng Thu Hà'];

let browser;
before(async () => { browser = await launch(); });
after(async () => { if (browser) await browser.close(); });

async function api(srv, method, path, cookie, body) {
  const headers = { origin: srv.base, 'content-type': 'application/json' };
  if (cookie) headers.cookie = cookie;
  const r = await fetch(srv.base + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const out = await r.json();
  out.setCookie = r.headers.get('set-cookie');
  return out;
}

test('a round with a prediction on a phone; the public results page', { timeout: 90000 }, async (t) => {
  const srv = await h.startServer();
  const contexts = [];
  t.after(async () => {
    try { for (const c of contexts) await c.close(); } finally {
      try { await h.stopServerClean(srv); } finally { h.cleanup(srv); }
    }
  });
  const org = (await h.login(srv, 'tochuc')).cookie;
  const units = [];
  for (const name of ['Công đoàn Bưu điện tỉnh', 'Đoàn thanh niên phường Minh Khai', 'Chi bộ khu phố 3']) {
    units.push((await api(srv, 'POST', '/api/staff/units', org, { name, target: 10 })).id);
  }
  const k = await api(srv, 'POST', '/api/staff/contests', org, { title: 'Tìm hiểu 95 năm Ngày thành lập Đảng Cộng sản Việt Nam', open_registration: true });
  const banks = await api(srv, 'GET', '/api/staff/banks', org);
  const bank = banks.banks.find((b) => b.name === 'dang-va-bac-ho').id;
  const r = await api(srv, 'POST', `/api/staff/contests/${k.id}/rounds`, org, {
    title: 'Tuần 1: Đảng ra đời', bank, blueprint: [{ topic: null, difficulty: null, count: 5 }], duration_s: 600, attempts: 2,
    prediction: true, prizes: [{ name: 'Giải Nhất', count: 1 }, { name: 'Giải Nhì', count: 2 }, { name: 'Giải Ba', count: 3 }],
  });
  assert.ok(r.ok, JSON.stringify(r));
  // seven participants sit it over the protocol
  for (let i = 0; i < NAMES.length; i++) {
    const reg = await api(srv, 'POST', `/api/public/contests/${k.id}/register`, null,
      { full_name: NAMES[i], birth_date: `0${i + 1}/05/199${i}`, unit: units[i % 3] });
    const cookie = reg.setCookie.match(/examd_session=[0-9a-f]{64}/)[0];
    const c = await h.connect(srv, cookie);
    const paper = await c.request('start', { exam: r.id });
    let seq = 1;
    for (const [n, q] of paper.questions.entries()) {
      const choice = n < 5 - (i % 4) ? h.keyOf(q) : [h.wrongOf(q)];
      assert.equal((await c.request('answer', { attempt: paper.attempt, q: q.q, choice, seq: seq++ })).type, 'ack');
    }
    await c.request('predict', { attempt: paper.attempt, prediction: 2 + i });
    assert.equal((await c.request('submit', { attempt: paper.attempt })).type, 'result');
    c.kill();
  }

  // a participant on a phone: the paper asks the prediction
  const reg = await api(srv, 'POST', `/api/public/contests/${k.id}/register`, null,
    { full_name: 'Đỗ Thị Mai', birth_date: '28/02/1992', unit: units[0] });
  const value = reg.setCookie.match(/examd_session=([0-9a-f]{64})/)[1];
  const errors = { list: [], allow: [] };
  const page = await watchedPage(browser, { viewport: PHONE, isMobile: true, hasTouch: true, locale: 'vi-VN' }, errors);
  contexts.push(page.context());
  await page.context().addCookies([{ name: 'examd_session', value, url: srv.base }]);
  const loaded = [];
  page.on('request', (q) => loaded.push(new URL(q.url()).pathname));
  await page.goto(srv.base + '/');
  await page.locator(sel('exam-' + r.id)).waitFor();
  assert.ok(!loaded.includes('/js/predict.js'), 'no prediction module on the first load');
  await page.locator(`${sel('exam-' + r.id)} ${sel('exam-start')}`).click();
  await page.locator(sel('prediction')).waitFor();
  await page.fill(sel('prediction-input'), '-3');
  await page.click(sel('prediction-save'));
  await page.waitForFunction(() => /số nguyên/.test(document.querySelector('[data-testid="prediction-state"]').textContent));
  await page.fill(sel('prediction-input'), '4');
  await page.click(sel('prediction-save'));
  await page.waitForFunction(() => /Đã lưu dự đoán: 4/.test(document.querySelector('[data-testid="prediction-state"]').textContent));
  await page.locator(sel('prediction')).scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(h.ROOT, 'docs', 'img', 'paper-prediction.png') });
  // a reload shows the saved value again
  await page.reload();
  await page.locator(sel('prediction-input')).waitFor();
  assert.equal(await page.inputValue(sel('prediction-input')), '4');
  const row = h.dbQuery(srv.db, `SELECT prediction FROM attempts WHERE exam_id=${r.id} AND state='running'`);
  assert.deepEqual(row, [{ prediction: 4 }]);

  // the public page: nothing before publishing
  const pub = await watchedPage(browser, { viewport: { width: 1100, height: 1000 }, locale: 'vi-VN' },
    { list: errors.list, allow: [/status of 404/] });
  contexts.push(pub.context());
  await pub.goto(`${srv.base}/results.html?round=${r.id}&top=10`);
  await pub.locator(sel('results-missing')).waitFor();
  assert.ok((await api(srv, 'POST', `/api/staff/rounds/${r.id}/close`, org, {})).ok);
  // the phone's running attempt is cut by the close and graded: its result
  // shows; only then may the results be published
  await page.locator(sel('result-note')).waitFor();
  assert.ok((await api(srv, 'POST', `/api/staff/rounds/${r.id}/publish`, org, {})).ok);
  await pub.reload();
  await pub.locator(sel('top-list')).waitFor();
  const rows = await pub.locator(`${sel('top-list')} tbody tr`).allTextContents();
  assert.equal(rows.length, 8);
  assert.match(rows[0], /^1Nguyễn Thị Hồng Nhung/);
  const prizes = await pub.locator(`${sel('prize-list')} h3`).allTextContents();
  assert.equal(prizes[0], 'Giải Nhất (1)');
  await pub.screenshot({ path: join(h.ROOT, 'docs', 'img', 'results.png'), fullPage: true });
  assert.deepEqual(errors.list, [], 'page errors, console errors or CSP violations');
});
