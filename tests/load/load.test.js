// load.test.js — examd-load smoke test: every scenario at a small size
// (200 clients, a few seconds) against the real server. It proves the
// load generator and the paths it drives work (every answer acked, no
// errors, papers, deadline results and broadcasts received by all); it
// asserts nothing about speed: scripts/bench measures at full size.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import {
  ROOT, tempDir, prepareDb, examdCli, startServer, stopServer, cleanup,
} from '../integration/harness.js';

const LOAD = process.env.EXAMD_LOAD_BIN || join(ROOT, 'build', 'tests', 'load', 'examd-load');
const N = 200;
let srv;
let exams;
let tokens;

// Run examd-load; resolves to the parsed RESULT json line.
function load(args, timeoutMs = 90000) {
  return new Promise((res, rej) => {
    execFile(LOAD, ['--port', String(srv.port), '--tokens', tokens,
      '--server-pid', String(srv.proc.pid), '--ramp-ms', '500', ...args],
    { timeout: timeoutMs, maxBuffer: 1 << 22 }, (err, stdout, stderr) => {
      if (err) return rej(new Error(`examd-load failed: ${err.message}\n${stderr}`));
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      if (!line) return rej(new Error(`no RESULT line:\n${stdout}\n${stderr}`));
      const r = JSON.parse(line.slice(7));
      r.text = stdout;
      return res(r);
    });
  });
}

function assertClean(r) {
  assert.deepEqual(r.errors, {}, r.text);
  assert.equal(r.held, N, r.text);
}

before(async () => {
  const dir = tempDir();
  exams = prepareDb(dir, { exams: [
    { title: 'steady', duration: 900, attempts: 2 },
    { title: 'join', duration: 900, attempts: 2 },
    { title: 'deadline', duration: 6, attempts: 2 },
  ] });
  tokens = join(dir, 'tokens.txt');
  examdCli(join(dir, 'examd.db'), ['loadprep', '--users', String(N), '--out', tokens]);
  // The small flood sends hundreds of answers a second on each connection
  // (200 clients, as fast as acks come): far over the per-connection rate
  // a candidate needs (docs/security.md "Limits"), so the limit is raised
  // here, not switched off: the bucket is still checked on every message.
  // At full size (scripts/bench) the defaults hold: ~5 answers/s each.
  srv = await startServer({ dir, demo: false, args: ['--quiet', '--grace-ms', '0', '--time-push-s', '2',
    '--msg-rate', '1000000', '--msg-burst', '1000000'] });
});

after(async () => {
  if (srv) {
    await stopServer(srv);
    cleanup(srv);
  }
});

test('steady: every answer acked, with resumes', async () => {
  const r = await load(['--clients', String(N), '--exam', String(exams[0]), '--scenario', 'steady',
    '--answer-interval-ms', '500', '--duration-s', '4', '--resume-fraction', '0.1']);
  assertClean(r);
  assert.ok(r.answers_sent > N, r.text);
  assert.equal(r.answers_acked, r.answers_sent, r.text);
  assert.ok(r.papers >= N, r.text);
  assert.ok(r.resumes > 0 && r.time_checks === r.resumes, r.text);
  assert.ok(r.server_rss_kb > 0, r.text);
});

test('flood: every answer acked', async () => {
  const r = await load(['--clients', String(N), '--exam', String(exams[0]), '--scenario', 'flood',
    '--duration-s', '2']);
  assertClean(r);
  assert.ok(r.answers_sent > 10 * N, r.text);
  assert.equal(r.answers_acked, r.answers_sent, r.text);
});

test('join: every candidate gets a paper', async () => {
  const r = await load(['--clients', String(N), '--exam', String(exams[1]), '--scenario', 'join',
    '--hello', '--duration-s', '0']);
  assertClean(r);
  assert.equal(r.papers, N, r.text);
  assert.equal(r.paper_n, N, r.text);
});

test('deadline: every attempt graded at its deadline', async () => {
  const r = await load(['--clients', String(N), '--exam', String(exams[2]), '--scenario', 'deadline',
    '--answer-interval-ms', '1000', '--duration-s', '20']);
  assertClean(r);
  assert.equal(r.results_deadline, N, r.text);
  assert.ok(r.answers_acked > 0, r.text);
  assert.equal(r.answers_acked, r.answers_sent, r.text);
});

test('broadcast: every connection receives every push', async () => {
  const r = await load(['--clients', String(N), '--exam', String(exams[0]), '--scenario', 'broadcast',
    '--broadcasts', '2', '--duration-s', '4', '--answer-interval-ms', '2000']);
  assertClean(r);
  assert.equal(r.broadcasts, 2 * N, r.text);
  assert.equal(r.broadcast_n, 2 * N, r.text);
});
