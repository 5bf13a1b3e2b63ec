// export.test.js — exports of an exam's roster, attempts and statistics
// (docs/exports.md): candidates with Vietnamese names take a trainer's
// exam over the real protocol, then the CLI and the HTTP API export it as
// CSV, XLSX and JSON; the XLSX is read back with openpyxl (Debian's
// /usr/bin/python3), the CSV byte by byte, and signatures are checked
// with `examd verify`, which must fail once a byte changes and must not
// call a file good unless the installation's (or --key's) key signed it;
// a name typed as a formula stays text in CSV.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as h from './harness.js';
import { publishAndTake } from './takers.js';

const PEOPLE = [
  // username, full name, unit, questions answered right (of 5)
  ['nhung', 'Nguyễn Thị Hồng Nhung', 5],
  ['thang', 'Trần Đức Thắng', 2],
  ['uyen', 'Lê Phương "Út" Uyên, Đoàn viên', 3],
];

let srv;
h.sharedServer((dir) => {
  h.prepareDb(dir);
  const db = join(dir, 'examd.db');
  const unit = h.examdCli(db, ['unit', 'add', '--name', 'Chi bộ Khu phố 3, phường Minh Khai']).trim();
  for (const [u, name] of PEOPLE) {
    h.examdCli(db, ['user', 'add', '--username', u, '--name', name, '--password', 'examd-demo', '--unit', unit]);
  }
  h.examdCli(db, ['user', 'add', '--username', 'giangvien2', '--name', 'Giảng viên Lê Thu', '--password', 'examd-demo', '--role', 'trainer']);
}, {}, (s) => { srv = s; });

const work = mkdtempSync(join(tmpdir(), 'examd-export-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const cookies = {};
async function cookieOf(user) {
  if (!cookies[user]) {
    const r = await h.login(srv, user);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    cookies[user] = r.cookie;
  }
  return cookies[user];
}

// GET path as user: { status, headers, buf }.
async function get(path, user = 'giangvien') {
  const r = await fetch(srv.base + path, { headers: { cookie: await cookieOf(user) } });
  return { status: r.status, headers: r.headers, buf: Buffer.from(await r.arrayBuffer()) };
}

function run(args) {
  return spawnSync(h.EXAMD, args, { encoding: 'utf8' });
}

// openpyxl's view of an XLSX file: rows of values with their Python types.
function readXlsx(file) {
  const py = `
import json, sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.active
def v(x):
    if isinstance(x, datetime.datetime): return {"date": x.isoformat()}
    return x
print(json.dumps({"title": ws.title, "freeze": ws.freeze_panes,
  "bold": ws.cell(1, 1).font.b,
  "widths": {k: d.width for k, d in ws.column_dimensions.items()},
  "formats": [c.number_format for c in ws[2]] if ws.max_row > 1 else [],
  "rows": [[v(c.value) for c in r] for r in ws.iter_rows()],
  "types": [[type(c.value).__name__ for c in r] for r in ws.iter_rows()]}, ensure_ascii=False))
`;
  const r = spawnSync('/usr/bin/python3', ['-c', py, file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

let examId;

test('candidates with Vietnamese names take the trainer’s exam', async () => {
  examId = await publishAndTake(srv, await cookieOf('giangvien'), PEOPLE, { title: 'Kiểm tra nhận thức về Đảng, đợt 1' });
});

test('HTTP CSV roster: BOM, CRLF, RFC 4180 quoting, Vietnamese intact, a UTF-8 file name', async () => {
  const r = await get(`/api/staff/exams/${examId}/export/roster?format=csv`);
  assert.equal(r.status, 200, r.buf.toString());
  assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8/);
  const cd = r.headers.get('content-disposition');
  assert.match(cd, new RegExp(`filename="roster-exam${examId}\\.csv"`));
  assert.match(cd, /filename\*=UTF-8''b%E1%BA%A3ng-%C4%91i%E1%BB%83m-/);
  assert.deepEqual([...r.buf.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = r.buf.subarray(3).toString('utf8');
  const lines = text.split('\r\n');
  assert.equal(lines[0], 'STT,Họ và tên,Tên đăng nhập,Ngày sinh,Đơn vị,Số lần thi,Số câu đúng,Số câu,Điểm,Xếp loại,Đạt');
  assert.ok(text.includes('Nguyễn Thị Hồng Nhung,nhung,'), text);
  assert.ok(text.includes('"Lê Phương ""Út"" Uyên, Đoàn viên",uyen'), text);
  assert.ok(text.includes('"Chi bộ Khu phố 3, phường Minh Khai"'), text);
  assert.ok(text.includes(',10.00,'), text);
  assert.ok(text.includes(',4.00,'), text);
  assert.equal(lines.at(-1), '', 'ends with CRLF');
});

test('HTTP XLSX roster and results: openpyxl reads numbers as numbers, a frozen bold header, fitted widths', async () => {
  const r = await get(`/api/staff/exams/${examId}/export/roster?format=xlsx`);
  assert.equal(r.status, 200, r.buf.toString());
  assert.equal(r.headers.get('content-length'), String(r.buf.length));
  const f = join(work, 'roster.xlsx');
  writeFileSync(f, r.buf);
  const x = readXlsx(f);
  assert.equal(x.freeze, 'A2');
  assert.equal(x.bold, true);
  assert.deepEqual(x.rows[0], ['STT', 'Họ và tên', 'Tên đăng nhập', 'Ngày sinh', 'Đơn vị', 'Số lần thi', 'Số câu đúng', 'Số câu', 'Điểm', 'Xếp loại', 'Đạt']);
  const byName = Object.fromEntries(x.rows.slice(1).map((row) => [row[1], row]));
  assert.equal(byName['Nguyễn Thị Hồng Nhung'][8], 10);
  assert.equal(byName['Nguyễn Thị Hồng Nhung'][9], 'Xuất sắc');
  assert.equal(byName['Trần Đức Thắng'][8], 4);
  assert.equal(byName['Trần Đức Thắng'][9], 'Không đạt');
  assert.equal(byName['Lê Phương "Út" Uyên, Đoàn viên'][8], 6);
  assert.equal(byName['Trần Đức Thắng'][10], false);
  assert.equal(byName['Nguyễn Thị Hồng Nhung'][10], true);
  const types = x.types[1];
  assert.equal(types[0], 'int');
  assert.ok(['int', 'float'].includes(types[8]), `score is ${types[8]}`);
  assert.equal(x.formats[8], '0.00');
  // width in characters: "Lê Phương "Út" Uyên, Đoàn viên" is 30 code points (37 bytes)
  assert.equal(Math.floor(x.widths.B), 32);

  const rr = await get(`/api/staff/exams/${examId}/export/results?format=xlsx`);
  assert.equal(rr.status, 200);
  writeFileSync(join(work, 'results.xlsx'), rr.buf);
  const y = readXlsx(join(work, 'results.xlsx'));
  assert.equal(y.rows.length, 1 + PEOPLE.length);
  const cols = y.rows[0];
  const nhung = y.rows.find((row) => row[2] === 'Nguyễn Thị Hồng Nhung');
  assert.equal(nhung[cols.indexOf('Số câu đúng')], 5);
  assert.equal(nhung[cols.indexOf('Số câu')], 5);
  assert.ok(nhung[cols.indexOf('Bắt đầu')].date, 'started is a date');
  assert.equal(typeof nhung[cols.indexOf('Thời gian làm bài (giây)')], 'number');
});

test('HTTP JSON: an array of objects keyed by column id', async () => {
  const r = await get(`/api/staff/exams/${examId}/export/results?format=json`);
  assert.equal(r.status, 200);
  const a = JSON.parse(r.buf.toString('utf8'));
  assert.equal(a.length, PEOPLE.length);
  const t = a.find((o) => o.username === 'thang');
  assert.equal(t.name, 'Trần Đức Thắng');
  assert.equal(t.score, 4);
  assert.equal(t.correct, 2);
  assert.equal(t.state, 'submitted');
});

test('signed over HTTP: the envelope’s file verifies with examd verify; a changed byte does not', async () => {
  const key = JSON.parse((await get('/api/staff/signing-key')).buf.toString());
  assert.equal(key.key, readFileSync(join(srv.dir, 'signing.pub'), 'utf8').trim());
  assert.match(key.fingerprint, /^[0-9a-f]{4}(-[0-9a-f]{4}){3}$/);
  assert.equal((statSync(join(srv.dir, 'signing.key')).mode & 0o777), 0o600);

  const r = await get(`/api/staff/exams/${examId}/export/roster?format=xlsx&sign=1`);
  assert.equal(r.status, 200, r.buf.toString());
  const env = JSON.parse(r.buf.toString());
  assert.equal(env.name, `roster-exam${examId}.xlsx`);
  assert.equal(env.title, 'Kiểm tra nhận thức về Đảng, đợt 1');
  assert.match(env.sig, /^examd-signature\/1\n/);
  assert.ok(env.sig.includes(`key: ${key.key}\n`));
  const f = join(work, env.name);
  writeFileSync(f, Buffer.from(env.data, 'base64'));
  writeFileSync(`${f}.sig`, env.sig);
  assert.equal(readXlsx(f).rows.length, 1 + PEOPLE.length);
  const ok = run(['verify', f, `${f}.sig`, '--db', srv.db]);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, new RegExp(`signature good: .* signed by key ${key.fingerprint}`));
  assert.equal(ok.stderr, '', 'no warning: it is this installation’s key');
  const buf = readFileSync(f);
  buf[100] ^= 0x01;
  writeFileSync(f, buf);
  const bad = run(['verify', f, `${f}.sig`, '--db', srv.db]);
  assert.equal(bad.status, 1, bad.stdout + bad.stderr);
  assert.match(bad.stdout, /^BAD signature/);
});

test('CLI export in every format, signed; verify with another key is refused (exit 3)', () => {
  for (const kind of ['roster', 'results', 'stats']) {
    for (const fmt of ['csv', 'xlsx', 'json']) {
      const f = join(work, `cli-${kind}.${fmt}`);
      const r = run(['export', kind, '--exam', String(examId), '--format', fmt, '--sign', '-o', f, '--db', srv.db]);
      assert.equal(r.status, 0, r.stderr);
      const v = run(['verify', f, `${f}.sig`, '--db', srv.db]);
      assert.equal(v.status, 0, v.stdout + v.stderr);
    }
  }
  const csv = readFileSync(join(work, 'cli-roster.csv'));
  assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.ok(csv.toString('utf8').includes('Trần Đức Thắng'));
  const x = readXlsx(join(work, 'cli-roster.xlsx'));
  assert.ok(x.rows.some((row) => row[1] === 'Nguyễn Thị Hồng Nhung' && row[8] === 10));
  // CSV from the CLI and over HTTP are the same bytes
  const j = JSON.parse(readFileSync(join(work, 'cli-results.json'), 'utf8'));
  assert.equal(j.length, PEOPLE.length);

  // a key that is not this installation's: --key names it, verification fails
  const other = mkdtempSync(join(work, 'other-'));
  const r = run(['export', 'roster', '--exam', String(examId), '--sign', '-o', join(other, 'r.csv'), '--db', join(other, 'examd.db')]);
  assert.equal(r.status, 1, 'no database there');
  assert.match(r.stderr, /no database at/);
  spawnSync(h.EXAMD, ['unit', 'list', '--db', join(other, 'examd.db')]); // an empty database
  const r2 = run(['export', 'roster', '--exam', String(examId), '--sign', '-o', join(other, 'r.csv'), '--db', join(other, 'examd.db')]);
  assert.equal(r2.status, 1, 'no such exam in an empty database');
  assert.match(r2.stderr, /no such exam/);
  const f = join(work, 'cli-roster.csv');
  const pub = readFileSync(join(srv.dir, 'signing.pub'), 'utf8').trim();
  const w = run(['verify', f, `${f}.sig`, '--key', join(other, 'signing.pub')]);
  assert.equal(w.status, 3, w.stdout + w.stderr);
  assert.match(w.stdout, /^NOT TRUSTED: .* not by the --key key/);
  const good = run(['verify', f, `${f}.sig`, '--key', pub]);
  assert.equal(good.status, 0, good.stdout + good.stderr);
  // the signature file itself edited: not a signature
  writeFileSync(join(work, 'junk.sig'), 'hello\n');
  assert.equal(run(['verify', f, join(work, 'junk.sig')]).status, 2);
  // CLI argument errors are named
  const e = run(['export', 'roster', '--exam', 'x', '--db', srv.db]);
  assert.equal(e.status, 1);
  assert.match(e.stderr, /--exam ID is required/);
});

// An edited file signed again with a key of the forger's own, the
// signature file naming that key: { f, key (base64) }.
function forge(src) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const text = readFileSync(src, 'utf8').replace(',4.00,', ',9.00,'); // a better score
  const f = join(work, 'forged-roster.csv');
  writeFileSync(f, text);
  const key = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url').toString('base64');
  const sig = sign(null, Buffer.from(text), privateKey).toString('base64');
  writeFileSync(`${f}.sig`, `examd-signature/1\nfile: forged-roster.csv\nkey: ${key}\nsig: ${sig}\n`);
  return { f, key };
}

test('verify: a file signed with another key, or checked with no trusted key, is never called good (exit 3)', () => {
  const { f, key } = forge(join(work, 'cli-roster.csv'));
  // the installation's key is the trusted one: the forger's is refused
  const inst = run(['verify', f, `${f}.sig`, '--db', srv.db]);
  assert.equal(inst.status, 3, inst.stdout + inst.stderr);
  assert.match(inst.stdout, /^NOT TRUSTED: .* not by this installation's key/);
  assert.doesNotMatch(inst.stdout, /signature good/);
  // no installation key and no --key: not good either, and it says which
  // key signed it and how to pass one
  const none = join(work, 'nokey', 'examd.db');
  const n = run(['verify', f, `${f}.sig`, '--db', none]);
  assert.equal(n.status, 3, n.stdout + n.stderr);
  assert.ok(n.stdout.includes(key), n.stdout);
  assert.match(n.stderr, /no --key was given and there is no installation key/);
  assert.ok(n.stderr.includes(`--key ${key}`), n.stderr);
  // a genuine file is not good without a trusted key either
  const real = join(work, 'cli-roster.csv');
  assert.equal(run(['verify', real, `${real}.sig`, '--db', none]).status, 3);
  // but it is with the installation's key given as --key
  const pub = readFileSync(join(srv.dir, 'signing.pub'), 'utf8').trim();
  assert.equal(run(['verify', real, `${real}.sig`, '--db', none, '--key', pub]).status, 0);
  // the forgery against that key: 3 (another key signed it); a changed
  // byte under the named key: 1
  assert.equal(run(['verify', f, `${f}.sig`, '--key', pub]).status, 3);
  writeFileSync(f, readFileSync(f, 'utf8') + ' ');
  assert.equal(run(['verify', f, `${f}.sig`, '--db', none]).status, 1);
});

test('CSV: a name typed as a formula is written as text (a leading \'), XLSX keeps it a string', async () => {
  const name = '=HYPERLINK("http://x","Lan")';
  h.examdCli(srv.db, ['user', 'add', '--username', 'lanf', '--name', name, '--password', 'examd-demo']);
  const id = await publishAndTake(srv, await cookieOf('giangvien'), [['lanf', name, 1]], { title: 'Kiểm tra ghi danh' });
  const csv = (await get(`/api/staff/exams/${id}/export/roster?format=csv`)).buf.toString('utf8');
  assert.ok(csv.includes('"\'=HYPERLINK(""http://x"",""Lan"")",lanf,'), csv);
  assert.ok(!/(^|,)"?=HYPERLINK/m.test(csv), csv);
  const r = await get(`/api/staff/exams/${id}/export/roster?format=xlsx`);
  const f = join(work, 'formula.xlsx');
  writeFileSync(f, r.buf);
  const py = `
import sys, openpyxl
c = openpyxl.load_workbook(sys.argv[1]).active["B2"]
print(c.data_type, c.value)`;
  const out = spawnSync('/usr/bin/python3', ['-c', py, f], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  assert.equal(out.stdout.trim(), `s ${name}`);
});

test('exports are owner-scoped, and bad arguments are named', async () => {
  const other = await get(`/api/staff/exams/${examId}/export/roster?format=csv`, 'giangvien2');
  assert.equal(other.status, 403, other.buf.toString());
  assert.equal(JSON.parse(other.buf.toString()).field, 'exam');
  const org = await get(`/api/staff/exams/${examId}/export/roster?format=json`, 'tochuc');
  assert.equal(org.status, 200);
  const none = await get('/api/staff/exams/999999/export/roster');
  assert.equal(none.status, 404);
  const fmt = await get(`/api/staff/exams/${examId}/export/roster?format=pdf`);
  assert.equal(fmt.status, 400);
  const fb = JSON.parse(fmt.buf.toString());
  assert.equal(fb.field, 'format');
  assert.ok(fb.vi && fb.en, JSON.stringify(fb));
  const kind = await get(`/api/staff/exams/${examId}/export/everything`);
  assert.equal(kind.status, 404);
  const cls = await get(`/api/staff/exams/${examId}/export/roster?class=abc`);
  assert.equal(cls.status, 400);
  // another trainer's class
  const mk = await fetch(`${srv.base}/api/staff/classes`, {
    method: 'POST',
    headers: { cookie: await cookieOf('giangvien2'), origin: srv.base, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Lớp của người khác' }),
  });
  const cid = (await mk.json()).id;
  const oc = await get(`/api/staff/exams/${examId}/export/roster?class=${cid}`);
  assert.equal(oc.status, 403);
  // a class of one's own with nobody in it: an empty roster
  const mine = await fetch(`${srv.base}/api/staff/classes`, {
    method: 'POST',
    headers: { cookie: await cookieOf('giangvien'), origin: srv.base, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Lớp trống' }),
  });
  const mid = (await mine.json()).id;
  const empty = await get(`/api/staff/exams/${examId}/export/roster?format=json&class=${mid}`);
  assert.equal(empty.status, 200);
  assert.deepEqual(JSON.parse(empty.buf.toString()), []);
});

test('stats: the questions and the test figures, two sheets in XLSX, two keys in JSON', async () => {
  const j = await get(`/api/staff/exams/${examId}/export/stats?format=json`);
  assert.equal(j.status, 200, j.buf.toString());
  const s = JSON.parse(j.buf.toString());
  // every question of the pool has a row; each paper drew 5 of them
  const seen = s.questions.filter((q) => q.s > 0);
  assert.equal(seen.reduce((a, q) => a + q.s, 0), 5 * PEOPLE.length);
  for (const q of seen) {
    assert.match(q.correct, /^[A-F]+$/);
    assert.equal(typeof q.facility, 'number');
  }
  const n = s.test.find((f) => f.figure === 'n');
  assert.equal(n.value, PEOPLE.length);
  const r = await get(`/api/staff/exams/${examId}/export/stats?format=xlsx`);
  const f = join(work, 'stats.xlsx');
  writeFileSync(f, r.buf);
  const py = `
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(len(wb.sheetnames), wb.worksheets[0].freeze_panes, wb.worksheets[1].freeze_panes, wb.worksheets[1]["C2"].value)`;
  const out = spawnSync('/usr/bin/python3', ['-c', py, f], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  assert.equal(out.stdout.trim(), `2 A2 A2 ${PEOPLE.length}`);
});

test('the server stops cleanly after the exports (under the sanitizer build: no leak)', async () => {
  await h.stopServerClean(srv);
});
