// harness.js — start the real examd binary on a free port with a fresh
// SQLite file, log in over HTTP, and talk examd.v1 over a real WebSocket.
// Used by every integration test; see docs/protocol.md for the messages.
import { spawn, execFileSync } from 'node:child_process';
import { before, after } from 'node:test';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import WebSocket from 'ws';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '..', '..');
export const EXAMD = process.env.EXAMD_BIN || join(ROOT, 'build', 'examd');
export const BANKS = join(ROOT, 'question-banks');

export function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

// Run an examd subcommand synchronously against db; returns stdout.
export function examdCli(db, args) {
  return execFileSync(EXAMD, [...args, '--db', db], { encoding: 'utf8' });
}

// A fresh, empty data directory (the database goes in DIR/examd.db; fill
// it with prepareDb, or let startServer's default --demo do it).
export function tempDir() {
  return mkdtempSync(join(tmpdir(), 'examd-test-'));
}

export class Server {
  constructor(dir, port, proc) {
    this.dir = dir;
    this.db = join(dir, 'examd.db');
    this.port = port;
    this.proc = proc;
    this.base = `http://127.0.0.1:${port}`;
    this.log = '';
  }
}

// Prepare a fresh database with the CLI before the server starts (the
// server loads exams at start only): `examd demo` (banks, demo exam 1,
// ts01..ts10 / examd-demo) unless demo === false, then one `examd exam add`
// per entry of exams ({ title, questions, duration, attempts, review,
// shuffle (default true), bank (default the sample bank dang-va-bac-ho) }).
// Returns the new exam ids in order.
export function prepareDb(dir, { demo = true, exams = [] } = {}) {
  const db = join(dir, 'examd.db');
  if (demo) examdCli(db, ['demo', '--banks', BANKS]);
  return exams.map((e) => {
    const args = ['exam', 'add', '--title', e.title || 'Test exam'];
    args.push('--bank', e.bank || 'dang-va-bac-ho');
    if (e.questions !== undefined) args.push('--questions', String(e.questions));
    if (e.duration !== undefined) args.push('--duration', String(e.duration));
    if (e.attempts !== undefined) args.push('--attempts', String(e.attempts));
    if (e.review) args.push('--review', e.review);
    if (e.shuffle === false) args.push('--no-shuffle');
    const out = examdCli(db, args).trim();
    const id = Number(out.split('\n').pop());
    if (!Number.isInteger(id) || id <= 0) throw new Error(`exam add printed ${JSON.stringify(out)}`);
    return id;
  });
}

// Start examd. opts: { dir, demo (default true), args: [], port }.
export async function startServer(opts = {}) {
  const dir = opts.dir || tempDir();
  const port = opts.port || (await freePort());
  const args = ['serve', '--db', join(dir, 'examd.db'), '--port', String(port),
    '--web', join(ROOT, 'web'), ...(opts.demo === false ? [] : ['--demo', BANKS]),
    ...(opts.args || [])];
  const proc = spawn(EXAMD, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const srv = new Server(dir, port, proc);
  await new Promise((res, rej) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      rej(new Error(`examd did not start serving within 30 s:\n${srv.log}`));
    }, 30000);
    const onData = (d) => {
      srv.log += d;
      if (srv.log.includes('serving on')) { clearTimeout(timer); res(); }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', (d) => { srv.log += d; });
    proc.on('exit', (code, sig) => {
      clearTimeout(timer);
      rej(new Error(`examd exited (${code ?? sig}) before serving:\n${srv.log}`));
    });
  });
  proc.removeAllListeners('exit');
  srv.exited = new Promise((res) => proc.on('exit', (code, sig) => res({ code, sig })));
  return srv;
}

// Stop gracefully (SIGTERM) and wait; returns { code, sig }.
export async function stopServer(srv, signal = 'SIGTERM') {
  if (srv.proc.exitCode !== null || srv.proc.signalCode !== null) return srv.exited;
  srv.proc.kill(signal);
  return srv.exited;
}

// SIGKILL (no shutdown path at all, like a power cut) and wait for the exit.
export async function killServer(srv) {
  return stopServer(srv, 'SIGKILL');
}

// Stop gracefully and throw (with the server's log) unless it exited with
// status 0: under the sanitizer build a leak or a UB report makes it fail.
export async function stopServerClean(srv) {
  const r = await stopServer(srv);
  if (r.code !== 0) {
    throw new Error(`examd did not exit cleanly (code ${r.code}, signal ${r.sig}):\n${srv.log.slice(-8000)}`);
  }
  return r;
}

// Run fn; if it fails and the server has died meanwhile, add how it died
// (the sanitizer report is in its log) to the error.
export async function explain(srv, fn) {
  try {
    return await fn();
  } catch (e) {
    const dead = await Promise.race([srv.exited.then(() => true), wallClock(1000).then(() => false)]);
    if (dead) {
      e.message += `\n--- examd died (code ${srv.proc.exitCode}, signal ${srv.proc.signalCode}); its log:\n${srv.log.slice(-6000)}`;
    }
    throw e;
  }
}

export function cleanup(srv) {
  try { rmSync(srv.dir, { recursive: true, force: true }); } catch { /* ignore */ }
}

// POST /api/login; returns { status, body, cookie } (cookie = "examd_session=..").
export async function login(srv, username, password = 'examd-demo') {
  const r = await fetch(`${srv.base}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = await r.json();
  const set = r.headers.get('set-cookie') || '';
  const m = set.match(/examd_session=([0-9a-f]{64})/);
  return { status: r.status, body, setCookie: set, cookie: m ? `examd_session=${m[1]}` : null };
}

// A protocol client. Records every frame received (raw text) in .frames.
export class Client {
  constructor(ws) {
    this.ws = ws;
    this.frames = [];
    this.nextId = 1;
    this.writes = [];
    this.waiters = [];
    this.errors = [];
    this.closeInfo = null;
    ws.on('error', (e) => { this.errors.push(e); });
    this.closed = new Promise((res) => ws.on('close', (code, reason) => {
      this.closeInfo = { code, reason: String(reason) };
      // Nothing more will come: fail every pending wait at once.
      const ws0 = this.waiters;
      this.waiters = [];
      for (const w of ws0) w.rej(new Error(`connection closed (${code}) while waiting for a frame; last frames:\n${this.frames.slice(-5).join('\n')}`));
      res(this.closeInfo);
    }));
    ws.on('message', (data) => {
      const text = String(data);
      this.frames.push(text);
      let msg;
      try { msg = JSON.parse(text); } catch { return; }
      this.waiters = this.waiters.filter((w) => {
        if (w.pred(msg)) { w.res(msg); return false; }
        return true;
      });
    });
  }

  // Wait for the first frame (already received or future) matching pred.
  waitFor(pred, { timeoutMs = 10000, fromIndex = 0 } = {}) {
    for (const t of this.frames.slice(fromIndex)) {
      try { const m = JSON.parse(t); if (pred(m)) return Promise.resolve(m); } catch { /* skip */ }
    }
    if (this.closeInfo) {
      return Promise.reject(new Error(`connection closed (${this.closeInfo.code}); no matching frame among:\n${this.frames.slice(-5).join('\n')}`));
    }
    return new Promise((res, rej) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        rej(new Error('timed out waiting for frame; got:\n' + this.frames.slice(-5).join('\n')));
      }, timeoutMs);
      const waiter = {
        pred,
        res: (m) => { clearTimeout(timer); res(m); },
        rej: (e) => { clearTimeout(timer); rej(e); },
      };
      this.waiters.push(waiter);
    });
  }

  // Every parsed frame received so far.
  messages() {
    return this.frames.map((t) => { try { return JSON.parse(t); } catch { return undefined; } });
  }

  sendRaw(text) { this.ws.send(text); }

  // Send a request without waiting; returns its id. Wait with reply(id).
  send(type, fields = {}) {
    const id = fields.id ?? this.nextId++;
    this.writes.push(new Promise((res) => this.ws.send(JSON.stringify({ type, id, ...fields }), () => res())));
    return id;
  }

  // Resolves once everything sent with send() has been handed to the
  // kernel (so a kill() after it drops replies, not requests).
  flushed() {
    const w = this.writes;
    this.writes = [];
    return Promise.all(w);
  }

  // The reply to request id (already received or future).
  reply(id, opts = {}) {
    return this.waitFor((m) => m.id === id && m.type !== undefined, opts);
  }

  // Send a request and wait for the reply with the same id.
  request(type, fields = {}, opts = {}) {
    const id = fields.id ?? this.nextId++;
    const start = this.frames.length;
    this.ws.send(JSON.stringify({ type, id, ...fields }));
    return this.waitFor((m) => m.id === id, { ...opts, fromIndex: start });
  }

  close() { this.ws.close(); return this.closed; }

  // Drop the connection without a closing handshake (like a lost network).
  kill() { this.ws.terminate(); return this.closed; }
}

// Open a WebSocket with the session cookie (null: none). opts.protocol
// picks the subprotocol (default examd.v1; live players: examd.live.v1).
// opts.origin overrides Origin
// (null or '' sends none); opts.headers adds request headers;
// opts.autoPong false leaves the server's pings unanswered. A refused
// upgrade rejects with an Error whose .status is the HTTP status
// (undefined if the server just hung up).
export function connect(srv, cookie, opts = {}) {
    const headers = {...(opts.headers || {})};
    if (cookie)
        headers.cookie = cookie;
    const origin = opts.origin === undefined ? srv.base : opts.origin;
    const ws = new WebSocket(`ws://127.0.0.1:${srv.port}/ws`, opts.protocol || 'examd.v1', {
        headers,
        ...(origin ? {origin} : {}),
        autoPong : opts.autoPong !== false,
    });
    return new Promise((res, rej) => {
        let settled = false;
        const fail = (e) => {
            if (!settled) {
                settled = true;
                rej(e);
            }
        };
        ws.on('error', fail); // stays: a later abort must not throw unhandled
        ws.once('open', () => {
            settled = true;
            res(new Client(ws));
        });
        ws.once('unexpected-response', (req, resp) => {
            const e = new Error(`upgrade refused: HTTP ${resp.statusCode}`);
            e.status = resp.statusCode;
            fail(e);
            resp.resume();
            req.destroy();
        });
    });
}

// Log in and connect: returns a Client with .cookie.
export async function candidate(srv, username = 'ts01', password = 'examd-demo') {
  const l = await login(srv, username, password);
  if (!l.cookie) throw new Error(`login failed for ${username}: ${JSON.stringify(l.body)}`);
  const c = await connect(srv, l.cookie);
  c.cookie = l.cookie;
  return c;
}

// ---- the sample bank: what the paper must not say ----

let bankCache = null;

// The sample bank file as parsed JSON.
export function loadBank(file = join(BANKS, 'dang-va-bac-ho.json')) {
  if (!bankCache) bankCache = JSON.parse(readFileSync(file, 'utf8'));
  return bankCache;
}

// The bank question a paper question shows (matched by its text; its
// options must be a permutation of the bank's).
export function bankQuestion(pq) {
  const bq = loadBank().questions.find((x) => x.text === pq.text);
  if (!bq) throw new Error(`question ${pq.q} is not in the bank: ${pq.text}`);
  return bq;
}

// The correct option indexes in the paper's (display) order, sorted.
export function keyOf(pq) {
  const bq = bankQuestion(pq);
  const correct = new Set(bq.correct.map((i) => bq.options[i]));
  return pq.options.map((o, i) => (correct.has(o) ? i : -1)).filter((i) => i >= 0);
}

// A single wrong option index in display order.
export function wrongOf(pq) {
  const key = new Set(keyOf(pq));
  return pq.options.findIndex((_o, i) => !key.has(i));
}

// ---- the database behind the server (read-only, via the sqlite3 CLI) ----

let sqliteCli;
export function hasSqlite3() {
  if (sqliteCli === undefined) {
    try { execFileSync('sqlite3', ['-version'], { stdio: 'ignore' }); sqliteCli = true; } catch { sqliteCli = false; }
  }
  return sqliteCli;
}

// Run a read-only query; returns an array of row objects.
export function dbQuery(db, sql) {
  const out = execFileSync('sqlite3', ['-readonly', '-json', db, sql], { encoding: 'utf8' });
  return out.trim() ? JSON.parse(out) : [];
}

// Run a statement that changes the database (while the server runs: WAL
// lets the sqlite3 shell write beside it).
export function dbExec(db, sql) {
  execFileSync('sqlite3', ['-cmd', '.timeout 5000', db, sql]);
}

// Resolve after ms of wall time. Only for waiting while the server is down
// (nothing can report an event then); everywhere else, wait for frames.
export function wallClock(ms) {
  return new Promise((res) => setTimeout(res, Math.max(0, ms)));
}

// One server for a whole test file: `prepare(dir)` fills the database (and
// may return extra data, kept as srv.extra), the server starts before the
// first test and stops after the last; onReady(srv) is called once it
// runs. Returns an object whose .srv is set then.
export function sharedServer(prepare = (dir) => prepareDb(dir), opts = {}, onReady = () => {}) {
  const ref = { srv: null };
  before(async () => {
    const dir = tempDir();
    try {
      const extra = prepare(dir);
      ref.srv = await startServer({ dir, demo: false, ...opts });
      ref.srv.extra = extra;
      onReady(ref.srv);
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  });
  after(async () => {
    if (!ref.srv) return;
    await stopServer(ref.srv);
    cleanup(ref.srv);
  });
  return ref;
}

// One server for a test file that kills and restarts it on the same
// database: `prepare(dir)` fills it (its return kept as ref.extra); ref.srv
// is the running server, ref.kill() SIGKILLs it (returns { code, sig }),
// ref.start() starts a new one on ref.dir with the same opts.
export function restartableServer(prepare = (dir) => prepareDb(dir), opts = {}) {
  const ref = { srv: null, dir: null, extra: undefined };
  ref.start = async () => (ref.srv = await startServer({ dir: ref.dir, demo: false, ...opts }));
  ref.kill = () => killServer(ref.srv);
  before(async () => {
    ref.dir = tempDir();
    try {
      ref.extra = prepare(ref.dir);
      await ref.start();
    } catch (e) {
      rmSync(ref.dir, { recursive: true, force: true });
      throw e;
    }
  });
  after(async () => {
    if (ref.srv) await stopServer(ref.srv);
    rmSync(ref.dir, { recursive: true, force: true });
  });
  return ref;
}

// Log in as user and connect; the socket is dropped when test t ends.
export async function openFor(t, srv, user) {
  const c = await candidate(srv, user);
  t.after(() => c.kill());
  return c;
}

// Another connection with c0's session cookie, dropped when t ends.
export async function againFor(t, srv, c0) {
  const c = await connect(srv, c0.cookie);
  c.cookie = c0.cookie;
  t.after(() => c.kill());
  return c;
}

// Staff HTTP requests for a test file: api(method, path, body, opts) ->
// { status, body } (body parsed when JSON), as opts.user (default the
// trainer giangvien, logged in once and cached) with our Origin; opts.raw
// sends a CSV body instead of JSON. srvOf() gives the running server.
export function staffApi(srvOf) {
  const cookies = {};
  return async (method, path, body, opts = {}) => {
    const srv = srvOf();
    const user = opts.user || 'giangvien';
    if (!cookies[user]) {
      const l = await login(srv, user);
      if (l.status !== 200) throw new Error(`login ${user}: ${JSON.stringify(l.body)}`);
      cookies[user] = l.cookie;
    }
    const headers = { origin: srv.base, cookie: cookies[user] };
    let data;
    if (opts.raw !== undefined) {
      data = Buffer.from(opts.raw);
      headers['content-type'] = 'text/csv';
    } else if (body !== undefined && body !== null) {
      data = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    const r = await fetch(`${srv.base}${path}`, { method, headers, body: data });
    const text = await r.text();
    let parsed = text;
    try { parsed = JSON.parse(text); } catch { /* not JSON */ }
    return { status: r.status, body: parsed };
  };
}
