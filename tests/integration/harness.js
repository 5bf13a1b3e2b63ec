// harness.js — start the real examd binary on a free port with a fresh
// SQLite file, log in over HTTP, and talk examd.v1 over a real WebSocket.
// Used by every integration test; see docs/protocol.md for the messages.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

// A fresh data directory with the demo set-up (banks, demo exam, ts01..ts10)
// created by `examd serve --demo` semantics, done once through the CLI path
// the server itself uses.
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

// Start examd. opts: { dir, demo (default true), args: [] }.
export async function startServer(opts = {}) {
  const dir = opts.dir || tempDir();
  const port = opts.port || (await freePort());
  const args = ['serve', '--db', join(dir, 'examd.db'), '--port', String(port),
    '--web', join(ROOT, 'web'), ...(opts.demo === false ? [] : ['--demo', BANKS]),
    ...(opts.args || [])];
  const proc = spawn(EXAMD, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const srv = new Server(dir, port, proc);
  await new Promise((res, rej) => {
    const onData = (d) => {
      srv.log += d;
      if (srv.log.includes('serving on')) res();
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', (d) => { srv.log += d; });
    proc.on('exit', (code, sig) => rej(new Error(`examd exited (${code ?? sig}) before serving:\n${srv.log}`)));
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
    this.waiters = [];
    this.closed = new Promise((res) => ws.on('close', (code, reason) => res({ code, reason: String(reason) })));
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
    return new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error('timed out waiting for frame; got:\n' + this.frames.slice(-5).join('\n'))), timeoutMs);
      this.waiters.push({ pred, res: (m) => { clearTimeout(timer); res(m); } });
    });
  }

  sendRaw(text) { this.ws.send(text); }

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

// Open a WebSocket with the session cookie. opts.origin overrides Origin.
export function connect(srv, cookie, opts = {}) {
  const headers = {};
  if (cookie) headers.cookie = cookie;
  const origin = opts.origin === undefined ? srv.base : opts.origin;
  const ws = new WebSocket(`ws://127.0.0.1:${srv.port}/ws`, 'examd.v1', {
    headers, ...(origin ? { origin } : {}),
  });
  return new Promise((res, rej) => {
    ws.once('open', () => res(new Client(ws)));
    ws.once('error', rej);
    ws.once('unexpected-response', (_req, resp) => rej(new Error(`upgrade refused: HTTP ${resp.statusCode}`)));
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
