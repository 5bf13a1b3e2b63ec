// projector.js — the big screen of a live round (projector.html?round=ID),
// opened by its organiser (the staff session): in the lobby the room code,
// the QR code of the player page and who has joined; then each question
// with a big countdown; after the reveal the right option, how many chose
// each option, and the leaderboard; at the end the final board. Type is
// sized for the back of a hall; Vietnamese by default.
import { t, lang, onLang } from '../i18n.js';
import { h, fill } from '../ui.js';
import { liveConn, letter, Countdown, boardTable } from './common.js';

const app = document.getElementById('app');
const id = Number(new URLSearchParams(location.search).get('round')) || 0;
const clock = new Countdown();
const conn = liveConn();
const S = { info: null, lobby: null, q: null, progress: null, reveal: null, end: null, denied: false };

const qrImage = (svg) => h('img', { alt: '', src: 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg) });

function lobbyView() {
  const i = S.info || {}, n = S.lobby ? S.lobby.players : i.players || 0;
  return h('section', { class: 'lobby', testid: 'proj-lobby' },
    h('div', {},
      h('h1', {}, i.title || ''),
      h('p', { class: 'muted' }, t('proj.code')),
      h('p', { class: 'joincode', testid: 'proj-code' }, i.code || ''),
      i.url && h('p', { class: 'muted' }, t('proj.join', { url: i.url.replace(/^https?:\/\//, '') })),
      h('p', { class: 'count', testid: 'proj-players' }, t('proj.players', { n })),
      h('div', { class: 'names' }, ((S.lobby && S.lobby.names) || []).map((x) => h('span', {}, x)))),
    i.qr_svg && h('div', { class: 'qrbox', testid: 'proj-qr' }, qrImage(i.qr_svg)));
}

function options(q, reveal) {
  const total = reveal ? Math.max(1, reveal.counts.reduce((a, b) => a + b, 0)) : 1;
  return h('div', { class: 'popts' }, q.options.map((o, i) => {
    const key = reveal && reveal.key.includes(i);
    const cls = ['popt', 'opt' + i, reveal ? (key ? 'key' : 'dim') : ''].join(' ');
    return h('div', { class: cls, testid: 'proj-opt' },
      reveal && h('span', { class: 'bar', 'data-w': String(reveal.counts[i] / total) }),
      letter(i), h('span', { class: 'otext' }, o),
      reveal && h('span', { class: 'ocount', testid: 'proj-count' }, String(reveal.counts[i])));
  }));
}

function questionView() {
  const q = S.q, r = S.reveal && S.reveal.q === q.q ? S.reveal : null;
  const s = Math.ceil(clock.left() / 1000);
  const status = r ? [t('proj.answered', { n: r.answered }), t('proj.active', { n: r.active })].join(' · ')
    : S.progress && S.progress.q === q.q ? [t('proj.answered', { n: S.progress.answered }), t('proj.active', { n: S.progress.active })].join(' · ') : '';
  const head = h('div', { class: 'pq' },
    h('div', {}, h('p', { class: 'qno', testid: 'proj-qno' }, t('live.q', { n: q.q + 1, total: q.n })),
      h('p', { class: 'qtext', testid: 'proj-qtext' }, q.text)),
    !r && h('div', { class: 'ring' + (s <= 5 ? ' low' : ''), id: 'ring', testid: 'proj-clock' }, String(s)));
  const opts = options(q, r);
  if (!r) return h('section', { testid: 'proj-question' }, head, opts, h('p', { class: 'status', testid: 'proj-status' }, status));
  return h('section', { testid: 'proj-reveal' }, head,
    h('div', { class: 'reveal' }, h('div', {}, opts, h('p', { class: 'status', testid: 'proj-status' }, status)),
      h('div', {}, h('h2', {}, t('live.board')), r.board.length ? boardTable(r.board, 'pboard') : h('p', {}, t('proj.noBoard')))));
}

function endView() {
  return h('section', { testid: 'proj-end' }, h('h1', {}, (S.info && S.info.title) || ''), h('h2', {}, t('proj.end')),
    S.end.board.length ? boardTable(S.end.board, 'pboard') : h('p', {}, t('proj.noBoard')));
}

function render() {
  if (S.denied) {
    return fill(app, h('section', {}, h('p', { class: 'msg err', testid: 'proj-denied' }, t('proj.denied')),
      h('a', { href: 'staff.html', class: 'btn' }, t('proj.login'))));
  }
  let v;
  if (S.end) v = endView();
  else if (S.q) v = questionView();
  else v = lobbyView();
  fill(app, v);
  // bar widths: set as properties (the CSP forbids inline style attributes)
  for (const b of app.querySelectorAll('.bar')) b.style.width = (Number(b.dataset.w) * 100).toFixed(1) + '%';
}

/* The round as the console reads it: title, code, QR, and the current
 * question's text when the page opened after its push. */
async function info() {
  const r = await fetch(`/api/staff/live/${id}?base=${encodeURIComponent(location.origin)}`, { cache: 'no-store' });
  if (r.status === 401 || r.status === 403 || r.status === 404) { S.denied = true; return; }
  const body = await r.json();
  S.info = body.round;
  const q = body.round.question;
  if (q && (!S.q || S.q.q !== q.q)) S.q = { q: q.q, n: body.round.n, text: q.text, options: q.options };
}

conn.on('open', async () => {
  try {
    await info();
    if (!S.denied) await conn.request({ type: 'live_watch', round: id });
  } catch (e) {
    if (e.code === 'forbidden' || e.code === 'not_found') S.denied = true;
  }
  render();
});

conn.on('push', (m) => {
  if (m.type === 'live_lobby') S.lobby = m;
  else if (m.type === 'live_question') {
    S.q = m;
    S.reveal = null;
    S.end = null;
    clock.set(m.left_ms, (s) => {
      const el = document.getElementById('ring');
      if (el) { el.textContent = String(s); el.classList.toggle('low', s <= 5); }
    });
  } else if (m.type === 'live_progress') S.progress = m;
  else if (m.type === 'live_reveal') { S.reveal = m; clock.stop(); }
  else if (m.type === 'live_end') { S.end = m; clock.stop(); }
  else if (m.type === 'live_revived' && S.info) S.info.active = m.active;
  else return;
  render();
});

onLang(render);
document.documentElement.lang = lang();
document.title = t('live.title');
render();
conn.start();
