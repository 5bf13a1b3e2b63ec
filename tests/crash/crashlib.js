// crashlib.js — the crash test: run examd under load from examd-load
// (--scenario crash, --ack-log), kill -9 it at random moments, restart it
// on the same database, and at the end check with the sqlite3 CLI that
// every answer examd-load saw acknowledged (or confirmed by a resumed
// paper's last_seq) is in the database with the right choice, that
// PRAGMA integrity_check is ok, that resumed attempts had the right time
// left (examd-load checks left_ms against its own clock on every resume),
// and that attempts whose deadline passed, even while the server was
// down, were graded (state submitted, reason deadline).
//
// A round: a fresh exam of `duration` seconds; `cycles` kills, the last
// one just before the deadline, the server staying down until after it.
// Used by crash.test.js (1 round of 10 cycles) and run-long.js (10 x 10).
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROOT, tempDir, prepareDb, examdCli, startServer, stopServer, killServer, freePort,
} from '../integration/harness.js';

const LOAD = process.env.EXAMD_LOAD_BIN || join(ROOT, 'build', 'tests', 'load', 'examd-load');
const GRACE_MS = 2000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function sql(db, query, json = false) {
  return execFileSync('sqlite3', [...(json ? ['-json'] : []), db, query], { encoding: 'utf8', maxBuffer: 1 << 28 }).trim();
}

function rows(db, query) {
  const out = sql(db, query, true);
  return out ? JSON.parse(out) : [];
}

// Run examd-load in the background; resolves to its RESULT json.
function startLoad(args, timeoutMs) {
  return new Promise((res, rej) => {
    execFile(LOAD, args, { timeout: timeoutMs, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      if (err) return rej(new Error(`examd-load failed: ${err.message}\n${stderr}`));
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      if (!line) return rej(new Error(`no RESULT line:\n${stdout}\n${stderr}`));
      return res({ ...JSON.parse(line.slice(7)), text: stdout, stderr });
    });
  });
}

// display mask -> bank mask for (attempt, q), from the logged paper
// options and the exam snapshot's bank-order options.
function bankMask(displayOpts, bankOpts, mask) {
  let bank = 0;
  for (let k = 0; k < displayOpts.length; k++) {
    if (!(mask & (1 << k))) continue;
    const b = bankOpts.indexOf(displayOpts[k]);
    if (b < 0 || bankOpts.lastIndexOf(displayOpts[k]) !== b) return -1;
    bank |= 1 << b;
  }
  return bank;
}

// Compare the ack log with the database. Returns counts.
export function verify(db, ackLog, examIds) {
  const integrity = sql(db, 'PRAGMA integrity_check');
  const bankOpts = new Map();
  for (const e of rows(db, `SELECT snapshot FROM exams WHERE id IN (${examIds.join(',')})`)) {
    for (const q of JSON.parse(e.snapshot).pool) bankOpts.set(q.id, q.options);
  }
  const paper = new Map();
  for (const line of readFileSync(`${ackLog}.papers`, 'utf8').split('\n')) {
    const m = /^(\d+) (\d+) (.*)$/.exec(line);
    if (m) paper.set(`${m[1]}:${m[2]}`, JSON.parse(m[3]));
  }
  const attempts = rows(db, `SELECT id, state, reason, deadline_ms, submitted_ms FROM attempts WHERE exam_id IN (${examIds.join(',')})`);
  const ids = attempts.map((a) => a.id);
  const stored = new Map();
  if (ids.length) {
    for (const r of rows(db, `SELECT attempt_id, seq, question_id, choice FROM answers WHERE attempt_id IN (${ids.join(',')})`)) {
      stored.set(`${r.attempt_id}:${r.seq}`, r);
    }
  }
  let acked = 0; let lost = 0; let wrong = 0; let unmapped = 0;
  const seen = new Set();
  for (const line of readFileSync(ackLog, 'utf8').split('\n')) {
    const f = line.split(' ');
    if (f.length !== 4) continue;
    const [attempt, q, seq, choice] = f.map(Number);
    if (seen.has(`${attempt}:${seq}`)) continue;
    seen.add(`${attempt}:${seq}`);
    acked++;
    const row = stored.get(`${attempt}:${seq}`);
    if (!row) { lost++; continue; }
    const disp = paper.get(`${attempt}:${q}`);
    const bank = disp && bankOpts.has(q) ? bankMask(disp, bankOpts.get(q), choice) : -1;
    if (bank < 0) { unmapped++; continue; }
    if (row.question_id !== q || row.choice !== bank) wrong++;
  }
  const now = Date.now();
  const expired = attempts.filter((a) => a.deadline_ms + GRACE_MS < now - 1000);
  const ungraded = expired.filter((a) => a.state !== 'submitted' || a.reason !== 'deadline');
  return {
    integrity, acked, lost, wrong, unmapped, attempts: attempts.length,
    expired: expired.length, ungraded: ungraded.length,
  };
}

// One round; returns { exam, load } after the load generator finished.
async function round(ctx, { cycles, clients, duration, log }) {
  const exam = Number(examdCli(ctx.db, ['exam', 'add', '--title', `crash ${ctx.exams.length + 1}`,
    '--questions', '20', '--duration', String(duration), '--attempts', '2']).trim().split('\n').pop());
  ctx.exams.push(exam);
  ctx.srv = await startServer({ dir: ctx.dir, port: ctx.port, demo: false, args: ['--quiet'] });
  const t0 = Date.now();
  const loadP = startLoad(['--port', String(ctx.port), '--tokens', ctx.tokens, '--clients', String(clients),
    '--exam', String(exam), '--scenario', 'crash', '--answer-interval-ms', '150', '--window', '8',
    '--duration-s', String(duration + 6), '--ramp-ms', '500', '--drain-s', '3',
    '--resume-fraction', '0', '--ack-log', ctx.ackLog], (duration + 60) * 1000);
  // cycles - 1 kills at random moments, the last one just before the deadline.
  const at = Array.from({ length: cycles - 1 }, () => 1000 + Math.random() * (duration * 1000 - 7000));
  at.sort((a, b) => a - b);
  at.push(duration * 1000 - 1500);
  for (let i = 0; i < at.length; i++) {
    const wait = t0 + at[i] - Date.now();
    if (wait > 0) await sleep(wait);
    await killServer(ctx.srv);
    ctx.kills++;
    const last = i === at.length - 1;
    // The last restart comes after every deadline plus the grace period:
    // the server must grade what expired while it was down.
    const down = last ? t0 + duration * 1000 + 500 + GRACE_MS + 1500 - Date.now() : Math.random() * 500;
    if (down > 0) await sleep(down);
    ctx.srv = await startServer({ dir: ctx.dir, port: ctx.port, demo: false, args: ['--quiet'] });
    log(`  kill ${ctx.kills} at +${((at[i]) / 1000).toFixed(1)} s, down ${(Math.max(down, 0) / 1000).toFixed(2)} s`);
  }
  const load = await loadP;
  await sleep(2500); // the 1 s deadline timer grades what expired
  return { exam, load };
}

// Run rounds x cycles; returns the totals and the verification.
export async function runCrash({ rounds = 1, cycles = 10, clients = 200, duration = 30, log = () => {} } = {}) {
  const dir = tempDir();
  const ctx = { dir, db: join(dir, 'examd.db'), tokens: join(dir, 'tokens.txt'), ackLog: join(dir, 'acks.log'),
    port: await freePort(), exams: [], kills: 0, srv: null };
  prepareDb(dir, {});
  examdCli(ctx.db, ['loadprep', '--users', String(clients), '--out', ctx.tokens]);
  const loads = [];
  try {
    for (let r = 0; r < rounds; r++) {
      log(`round ${r + 1}/${rounds}`);
      const { load } = await round(ctx, { cycles, clients, duration, log });
      loads.push(load);
      log(`  examd-load: ${load.answers_acked} acked, ${load.answers_confirmed} confirmed by last_seq, ` +
        `${load.resumes} resumes, errors ${JSON.stringify(load.errors)}`);
      if (r < rounds - 1) await stopServer(ctx.srv);
    }
    const v = verify(ctx.db, ctx.ackLog, ctx.exams);
    await stopServer(ctx.srv);
    v.integrity_after_stop = sql(ctx.db, 'PRAGMA integrity_check');
    const sum = (k) => loads.reduce((s, l) => s + (l[k] || 0), 0);
    const errs = {};
    for (const l of loads) for (const [k, n] of Object.entries(l.errors)) errs[k] = (errs[k] || 0) + n;
    return {
      ...v, kills: ctx.kills, dir, answers_sent: sum('answers_sent'), answers_acked: sum('answers_acked'),
      answers_confirmed: sum('answers_confirmed'), resumes: sum('resumes'), time_checks: sum('time_checks'),
      results_deadline: sum('results_deadline'), load_errors: errs, ackLogExists: existsSync(ctx.ackLog),
    };
  } catch (e) {
    if (ctx.srv) await killServer(ctx.srv);
    throw e;
  }
}
