// common.js — what the live round pages share (the player's phone page
// and the projector): their strings, the WebSocket on the live
// subprotocol (examd.live.v1, reconnecting like the candidate app's),
// option letters, the countdown and the leaderboard table.
import { t, extend } from '../i18n.js';
import { h } from '../ui.js';
import { Conn } from '../conn.js';
import liveVi from '../../i18n/live-vi.js';
import liveEn from '../../i18n/live-en.js';

extend({ vi: liveVi, en: liveEn });

/* The live socket; events as Conn's (open, push, state). */
export function liveConn() {
  const c = new Conn((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
  c.proto = 'examd.live.v1';
  return c;
}

export const letter = (i) => h('span', { class: 'letter', 'aria-hidden': 'true' }, 'ABCDEF'[i]);

/* Seconds as the server measures them (ms -> "12,3"). */
export const secs = (ms) => (Math.round(ms / 100) / 10).toLocaleString(document.documentElement.lang || 'vi');

/* A countdown from the server's left_ms, corrected by every push and
 * counted with performance.now() (never the phone's clock). */
export class Countdown {
  constructor() { this.end = 0; this.timer = 0; this.els = []; }

  set(leftMs, onTick) {
    this.end = performance.now() + leftMs;
    this.onTick = onTick;
    clearInterval(this.timer);
    this.timer = setInterval(() => this.tick(), 200);
    this.tick();
  }

  left() { return Math.max(0, this.end - performance.now()); }

  tick() {
    const ms = this.left();
    if (this.onTick) this.onTick(Math.ceil(ms / 1000), ms);
    if (!ms) clearInterval(this.timer);
  }

  stop() { clearInterval(this.timer); this.onTick = null; }
}

/* The leaderboard rows ({rank, name, unit, correct, time_ms, out}). */
export function boardTable(rows, cls, me) {
  return h('table', { class: cls, testid: 'live-board' }, h('tbody', {}, rows.map((r) => h('tr', {
    class: r.out ? 'out' : null, 'aria-current': me && r.rank === me ? 'true' : null,
  }, h('td', { class: 'n' }, String(r.rank)), h('td', {}, r.name, r.unit ? h('span', { class: 'muted' }, ' · ' + r.unit) : null),
  h('td', { class: 'n' }, t('proj.correctN', { n: r.correct })), h('td', { class: 'n' }, t('proj.seconds', { s: secs(r.time_ms) }))))));
}
