// conn.js — the WebSocket to examd (examd.v1, or .proto). request(msg) adds an id and
// resolves with the reply bearing it ({type:"error"} rejects {code, message});
// pushes (no id) are emitted. On close pending requests reject
// {code:'offline'}; reopen after 0.5, 1, 2, 4 ... 15 s ±20 %. Events: state
// (connecting|online|offline|reconnecting|idle|taken), open, push, close, fail
// (upgrades keep failing or close 1008: check the session), taken (no
// reconnect until resume()). A watchdog drops a dead socket phones keep
// "open": a request waited WATCH_MS, nothing came.
const WATCH_MS = 25000;

export class Conn {
  constructor(url) {
    this.url = url;
    this.ws = null;
    this.state = 'idle';
    this.subs = {};
    this.pending = new Map(); // id -> {ok, ko, at}
    this.id = 1;
    this.retries = 0; // reconnects since the last socket that lasted 5 s
    this.fails = 0;   // upgrades in a row that never opened
    this.wake = () => { if (this.timer) { clearTimeout(this.timer); this.retries = 0; this.open(); } };
    this.lost = () => this.ws && this.drop(this.ws, 'offline');
    this.vis = () => document.hidden || this.wake();
  }

  on(ev, fn) { (this.subs[ev] = this.subs[ev] || []).push(fn); }

  emit(ev, x) { for (const fn of this.subs[ev] || []) fn(x); }

  setState(s) { if (s !== this.state) { this.state = s; this.emit('state', s); } }

  start() {
    addEventListener('online', this.wake);
    addEventListener('offline', this.lost);
    document.addEventListener('visibilitychange', this.vis);
    this.watch = setInterval(() => this.check(), 5000);
    this.open();
  }

  stop() {
    this.stopped = true;
    removeEventListener('online', this.wake);
    removeEventListener('offline', this.lost);
    document.removeEventListener('visibilitychange', this.vis);
    clearInterval(this.watch);
    clearTimeout(this.timer);
    if (this.ws) this.drop(this.ws, 'stop');
    this.setState('idle');
  }

  open() {
    this.timer = 0;
    this.setState(this.everOpen ? 'reconnecting' : 'connecting');
    let ws;
    try { ws = this.ws = new WebSocket(this.url, this.proto || 'examd.v1'); } catch (e) { this.fails++; return this.later(); }
    ws.onopen = () => {
      ws.openedAt = this.rx = performance.now();
      this.fails = 0;
      this.everOpen = true;
      this.setState('online');
      this.emit('open');
    };
    ws.onmessage = (e) => this.receive(e.data);
    ws.onclose = (e) => this.drop(ws, e.code);
  }

  receive(data) {
    this.rx = performance.now();
    let m;
    try { m = JSON.parse(data); } catch (e) { return; }
    const p = m && m.id != null && this.pending.get(m.id);
    if (p) {
      this.pending.delete(m.id);
      if (m.type === 'error') p.ko({ code: m.code, message: m.message });
      else p.ok(m);
    } else if (m && m.id == null) {
      if (m.type === 'taken_over') this.taken = true;
      this.emit('push', m);
    }
  }

  /* ws is gone (closed, dead or stopped): fail its requests, retry later. */
  drop(ws, code) {
    if (ws !== this.ws) return;
    this.ws = null;
    ws.onopen = ws.onmessage = ws.onclose = null;
    ws.close();
    for (const p of this.pending.values()) p.ko({ code: 'offline' });
    this.pending.clear();
    if (this.stopped) return;
    if (!ws.openedAt) this.fails++;
    else if (performance.now() - ws.openedAt > 5000) this.retries = 0;
    if (this.taken) { // reconnecting would take the attempt back
      this.setState('taken');
      this.emit('close', code);
      return this.emit('taken');
    }
    this.setState('offline');
    this.emit('close', code);
    if (this.fails >= 2 || code === 1008) this.emit('fail', code);
    this.later();
  }

  resume() { this.taken = false; this.retries = 0; this.open(); }

  later() {
    const ms = Math.min(15000, 500 * 2 ** this.retries++);
    this.timer = setTimeout(() => this.open(), ms * (0.8 + 0.4 * Math.random()));
  }

  check() {
    const now = performance.now();
    for (const p of this.pending.values()) {
      if (now - p.at > WATCH_MS && now - this.rx > WATCH_MS) return this.drop(this.ws, 'timeout');
    }
  }

  /* Rejects at once with {code:'offline'} when the socket is not open. */
  request(msg) {
    const ws = this.ws;
    if (!ws || this.state !== 'online') return Promise.reject({ code: 'offline' });
    const id = this.id++;
    return new Promise((ok, ko) => {
      this.pending.set(id, { ok, ko, at: performance.now() });
      ws.send(JSON.stringify({ ...msg, id }));
    });
  }
}
