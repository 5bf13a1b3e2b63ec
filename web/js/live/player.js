// player.js — the player's phone page of a live round (live.html?code=…):
// join with the room code, a display name and (optionally) a unit, no
// account needed; then each question arrives at the same moment as on
// the big screen, with the server's countdown; one tap answers (the
// first answer counts); after the reveal the right option, right or
// wrong, and the player's own rank. The player token (kept in
// localStorage) brings a reloaded page or a new connection back to the
// current question with the score intact (docs/live-rounds.md).
import { t, lang, setLang, onLang } from '../i18n.js';
import { h, fill } from '../ui.js';
import { liveConn, letter, secs, Countdown, boardTable } from './common.js';

const KEY = 'examd.live';
const $ = (id) => document.getElementById(id);
const app = $('app');
const clock = new Countdown();
const conn = liveConn();

const params = new URLSearchParams(location.search);
let saved = null;
try { saved = JSON.parse(localStorage.getItem(KEY)); } catch (e) { /* none */ }
const urlCode = (params.get('code') || '').replace(/\D/g, '').slice(0, 6);
if (saved && urlCode && saved.code !== urlCode) saved = null; // another room

const S = {
  view: saved ? 'connecting' : 'join',
  round: null, player: null,
  q: null, pick: 0, sent: false, sending: false, err: null,
  reveal: null, you: null, end: null, taken: false, note: null,
  form: { code: urlCode || (saved && saved.code) || '', name: '', unit: '', errs: {} },
  units: [], looked: '',
};

function store(token, code) {
  saved = token ? { token, code } : null;
  try { if (saved) localStorage.setItem(KEY, JSON.stringify(saved)); else localStorage.removeItem(KEY); } catch (e) { /* this tab only */ }
}

/* ---- views ---- */

function joinView() {
  const f = S.form;
  const code = h('input', { id: 'jc', class: 'code-in', inputmode: 'numeric', autocomplete: 'off', maxlength: 6, value: f.code,
    testid: 'live-code', oninput: () => { f.code = code.value.replace(/\D/g, '').slice(0, 6); lookup(); } });
  const name = h('input', { id: 'jn', maxlength: 60, autocomplete: 'nickname', value: f.name, testid: 'live-name',
    oninput: () => { f.name = name.value; } });
  const unit = h('select', { id: 'ju', testid: 'live-unit', onchange: () => { f.unit = unit.value; } },
    h('option', { value: '' }, t('live.join.noUnit')),
    S.units.map((u) => h('option', { value: String(u.id), selected: String(u.id) === f.unit }, u.name)));
  const fld = (id, label, input, err, hint) => h('label', { class: 'fld', for: id }, h('span', {}, label), input,
    hint && h('span', { class: 'hint' }, hint), err && h('span', { class: 'err', role: 'alert' }, err));
  return h('form', { class: 'card', onsubmit: join, novalidate: true },
    h('h1', {}, S.round ? S.round.title : t('live.join.title')),
    S.note && h('p', { class: 'msg err' }, S.note),
    fld('jc', t('live.join.code'), code, f.errs.code),
    fld('jn', t('live.join.name'), name, f.errs.name, t('live.join.nameHint')),
    S.units.length ? fld('ju', t('live.join.unit'), unit, f.errs.unit) : null,
    h('button', { class: 'btn primary', testid: 'live-join', disabled: S.sending }, t('live.join.go')));
}

function optionButtons(q, done) {
  const key = S.reveal && S.reveal.q === q.q ? S.reveal.key : null;
  return h('div', { class: 'opts' }, q.options.map((o, i) => {
    const on = !!(S.pick & (1 << i));
    const cls = ['opt', 'opt' + i, key && key.includes(i) ? 'key' : '', key && !key.includes(i) ? 'dim' : ''].join(' ');
    return h('button', { class: cls, type: 'button', 'aria-pressed': on ? 'true' : 'false', disabled: done,
      testid: 'live-opt', onclick: () => choose(i) }, letter(i), h('span', {}, o));
  }));
}

function questionView() {
  const q = S.q, out = S.player && S.player.eliminated;
  const done = out || S.sent || S.sending || !clock.left();
  return h('section', {},
    h('div', { class: 'qhead' }, h('span', { testid: 'live-qno' }, t('live.q', { n: q.q + 1, total: q.n })),
      h('span', { class: 'clock', id: 'clock', testid: 'live-clock', 'aria-live': 'off' }, String(Math.ceil(clock.left() / 1000)))),
    h('p', { class: 'qtext', testid: 'live-qtext' }, q.text),
    out && h('p', { class: 'msg err', testid: 'live-out' }, t('live.out')),
    q.multi && !done && h('p', { class: 'muted' }, t('live.multi')),
    optionButtons(q, done),
    q.multi && !done && h('button', { class: 'btn primary', type: 'button', disabled: !S.pick, testid: 'live-send',
      onclick: send }, t('live.send')),
    S.sending && h('p', { class: 'msg' }, t('live.sending')),
    S.sent && h('p', { class: 'msg ok', testid: 'live-sent' }, t('live.sent')),
    !done && !clock.left() && h('p', { class: 'msg' }, t('live.timeUp')),
    S.err && h('p', { class: 'msg err', role: 'alert', testid: 'live-err' }, S.err));
}

function youLine(y) {
  return h('p', { testid: 'live-rank' }, t('live.rank', { rank: y.rank, players: y.players, correct: y.correct, time: secs(y.time_ms) }));
}

function revealView() {
  const r = S.reveal, y = S.you && S.you.q === r.q ? S.you : null;
  const haveQ = S.q && S.q.q === r.q;
  return h('section', {},
    h('div', { class: 'qhead' }, h('span', {}, t('live.q', { n: r.q + 1, total: r.n }))),
    haveQ ? h('p', { class: 'qtext' }, S.q.text) : null,
    y && h('p', { class: 'big ' + (y.right ? 'ok' : 'bad'), testid: 'live-verdict' },
      y.right ? t('live.right') : y.answered ? t('live.wrong') : t('live.none')),
    haveQ ? optionButtons(S.q, true) : h('p', {}, t('proj.correct') + ': ', r.key.map((k) => letter(k))),
    y && youLine(y),
    y && y.eliminated && h('p', { class: 'msg err', testid: 'live-out' }, t('live.out')),
    S.note && h('p', { class: 'msg ok' }, S.note),
    h('p', { class: 'muted' }, r.last ? '' : t('live.next')));
}

function endView() {
  const y = S.you;
  return h('section', {}, h('h1', {}, t('live.end')),
    y && h('p', { class: 'big', testid: 'live-final' }, t('live.final', { rank: y.rank, players: y.players, correct: y.correct })),
    h('h2', {}, t('live.board')), boardTable(S.end.board, 'board card', y && y.rank));
}

function render() {
  $('brand').textContent = S.round ? S.round.title : t('live.title');
  if (S.taken) {
    return fill(app, h('div', { class: 'card' }, h('p', { class: 'msg err', testid: 'live-taken' }, t('live.taken')),
      h('button', { class: 'btn primary', type: 'button', onclick: () => location.reload() }, t('live.takeBack'))));
  }
  let v;
  if (S.view === 'join') v = joinView();
  else if (S.view === 'connecting') v = h('p', { class: 'muted' }, '…');
  else if (S.end) v = endView();
  else if (S.reveal && (!S.q || S.reveal.q >= S.q.q)) v = revealView();
  else if (S.q) v = questionView();
  else v = h('section', { class: 'card' }, h('h1', {}, t('live.wait.title')), h('p', {}, t('live.wait.text')));
  const who = S.player && S.view !== 'join' ? h('p', { class: 'muted', testid: 'live-you' }, t('live.you', { name: S.player.name })) : null;
  const off = conn.state === 'offline' || conn.state === 'reconnecting' ? h('p', { class: 'msg err' }, t('live.offline')) : null;
  fill(app, off, v, who);
}

/* ---- actions ---- */

let lookTimer = 0;
function lookup() {
  clearTimeout(lookTimer);
  if (S.form.code.length !== 6 || S.form.code === S.looked) return;
  lookTimer = setTimeout(async () => {
    S.looked = S.form.code;
    try {
      const r = await conn.request({ type: 'live_lookup', code: S.form.code });
      S.round = r.round;
      S.units = r.units || [];
      S.form.errs = {};
    } catch (e) {
      S.round = null;
      S.units = [];
      S.form.errs = e.code === 'not_found' ? { code: t('live.join.badCode') } : {};
      if (e.code === 'forbidden') S.note = errText(e.code);
    }
    render();
  }, 150);
}

async function join(ev) {
  ev.preventDefault();
  const f = S.form;
  f.errs = {};
  if (f.code.length !== 6) f.errs.code = t('live.join.badCode');
  if (!f.name.trim() || new TextEncoder().encode(f.name.trim()).length > 60) f.errs.name = t('live.join.badName');
  if (Object.keys(f.errs).length) return render();
  S.sending = true;
  render();
  try {
    const body = { type: 'live_join', code: f.code, name: f.name };
    if (f.unit) body.unit = Number(f.unit);
    const w = await conn.request(body);
    store(w.token, f.code);
    history.replaceState(null, '', '?code=' + f.code);
    welcome(w);
  } catch (e) {
    const bad = { code: 'live.join.badCode', name: 'live.join.badName', unit: 'live.join.badUnit' };
    const m = /: (name|unit)$/.exec(e.message || ''); // the field the server names
    const fld = e.code === 'not_found' ? 'code' : m && m[1];
    if (fld) f.errs[fld] = t(bad[fld]);
    else S.note = errText(e.code);
  }
  S.sending = false;
  render();
}

function welcome(w) {
  S.view = 'play';
  S.note = null;
  S.round = w.round;
  S.player = w.player;
}

function errText(code) {
  const k = 'live.err.' + code;
  const s = t(k);
  return s === k ? t('live.err', { code }) : s;
}

function choose(i) {
  if (S.q.multi) { S.pick ^= 1 << i; render(); return; }
  S.pick = 1 << i;
  send();
}

async function send() {
  const q = S.q, choice = [];
  for (let i = 0; i < q.options.length; i++) if (S.pick & (1 << i)) choice.push(i);
  S.sending = true;
  S.err = null;
  render();
  try {
    await conn.request({ type: 'live_answer', q: q.q, choice });
    S.sent = true;
  } catch (e) {
    if (e.code === 'already_answered') S.sent = true;
    else S.err = errText(e.code);
    if (e.code === 'offline') S.pick = 0;
  }
  S.sending = false;
  render();
}

/* ---- the server ---- */

conn.on('open', async () => {
  if (!saved) { render(); lookup(); return; }
  try {
    welcome(await conn.request({ type: 'live_resume', token: saved.token }));
  } catch (e) {
    if (e.code !== 'not_found') return;
    store(null);
    S.view = 'join';
    S.note = t('live.lost');
    lookup();
  }
  render();
});

conn.on('push', (m) => {
  if (m.type === 'live_question') {
    if (!S.q || S.q.q !== m.q) { S.pick = 0; S.sent = false; S.err = null; }
    S.q = m;
    S.reveal = null;
    S.note = null;
    clock.set(m.left_ms, (s) => {
      const el = $('clock');
      if (el) el.textContent = String(s);
      if (!s) render();
    });
  } else if (m.type === 'live_reveal') {
    S.reveal = m;
    clock.stop();
  } else if (m.type === 'live_you') {
    S.you = m;
    if (S.player) S.player.eliminated = m.eliminated;
  } else if (m.type === 'live_end') {
    S.end = m;
    clock.stop();
  } else if (m.type === 'live_revived') {
    if (S.player) S.player.eliminated = false;
    S.note = t('live.revived');
  } else if (m.type === 'live_taken_over') {
    S.taken = true;
    conn.stop();
  }
  render();
});

conn.on('state', render);

function applyLang() {
  document.documentElement.lang = lang();
  document.title = t('live.title');
  $('lang').textContent = t('lang.toggle');
  render();
}
$('lang').addEventListener('click', () => setLang(lang() === 'vi' ? 'en' : 'vi'));
onLang(applyLang);
applyLang();
conn.start();
