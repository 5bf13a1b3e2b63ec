// monitor.js — the live monitor of a round (#round/12/monitor): the
// server pushes the figures over the WebSocket (docs/protocol.md §2.9,
// at most once a second, only when they change): connected, started,
// submitted and answers in the last minute, in total and per unit, with
// a sparkline of answers per minute since the screen opened. The socket
// reconnects on its own; the screen says when it is not live.
import { t, num } from '../i18n.js';
import { h, fill } from '../ui.js';
import * as api from './api.js';
import { errorText, note, table } from './common.js';

const HISTORY = 120; // snapshots kept for the sparkline

/* A sparkline of values as an SVG polyline (w × ht px). */
export function sparkline(values, w = 240, ht = 48) {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${w} ${ht}`);
  svg.setAttribute('width', w);
  svg.setAttribute('height', ht);
  svg.setAttribute('class', 'spark');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('preserveAspectRatio', 'none');
  const max = Math.max(1, ...values), n = values.length;
  const pts = values.map((v, i) => `${n < 2 ? w : (i * w) / (n - 1)},${ht - 2 - (v / max) * (ht - 4)}`);
  if (n === 1) pts.unshift(`0,${ht - 2 - (values[0] / max) * (ht - 4)}`);
  const line = document.createElementNS(NS, 'polyline');
  line.setAttribute('points', pts.join(' '));
  svg.append(line);
  return svg;
}

export function mount(root, ctx, arg) {
  const id = arg.id;
  let round = null, contest = '', units = new Map(), snap = null, err = null, live = false, ws = null, gone = false, retry = 0, timer = 0;
  const history = []; // {at, n}

  function render() {
    fill(root,
      h('p', { class: 'crumbs' }, h('a', { href: '#contests' }, t('staff.nav.contests')), ' › ',
        round && contest && [h('a', { href: '#contest/' + round.contest }, contest), ' › '],
        h('a', { href: '#round/' + id }, round ? t('staff.rd.heading', { n: round.round_no, title: round.title }) : '…'), ' › '),
      h('div', { class: 'titlebar' }, h('h1', {}, t('staff.mon.title')),
        h('span', { class: 'badge ' + (live ? 'open' : 'off'), testid: 'mon-live', role: 'status' },
          live ? t('staff.mon.live') : t('staff.mon.offline'))),
      err && note('err', err(), 'mon-error'),
      !snap && !err && h('p', { class: 'muted' }, t('staff.loading')),
      snap && totals(),
      snap && unitTable(),
      snap && h('p', { class: 'hint', testid: 'mon-at' }, t('staff.mon.at', { at: new Date(snap.at_ms).toLocaleTimeString() })));
  }

  function tile(key, value, testid, extra) {
    return h('div', { class: 'tile', testid }, h('div', { class: 'big' }, String(value)), h('div', { class: 'muted' }, t(key)), extra);
  }

  function totals() {
    const x = snap.total;
    return h('section', { class: 'tiles', testid: 'mon-total' },
      tile('staff.mon.connected', x.connected, 'mon-connected'),
      tile('staff.mon.started', x.started, 'mon-started'),
      tile('staff.mon.submitted', x.submitted, 'mon-submitted'),
      tile('staff.mon.running', Math.max(0, x.started - x.submitted), 'mon-running'),
      tile('staff.mon.answersMin', x.answers_min, 'mon-answers', sparkline(history.map((p) => p.n))));
  }

  function unitTable() {
    const rows = snap.units.slice().sort((a, b) => b.started - a.started || a.unit - b.unit);
    const best = rows.length ? Math.max(...rows.map((u) => u.started)) : 0;
    return h('section', { class: 'card' }, h('h2', {}, t('staff.mon.perUnit')),
      rows.length === 0 ? h('p', { class: 'muted', testid: 'mon-no-units' }, t('staff.mon.nobody'))
        : h('div', { class: 'scroll' }, table([t('staff.unit.name'), t('staff.mon.connected'), t('staff.mon.started'),
          t('staff.mon.submitted'), t('staff.mon.answersMin'), t('staff.unit.target'), t('staff.unit.percent')],
        rows.map((u) => {
          const info = units.get(u.unit), target = info ? info.target : 0;
          return h('tr', { testid: 'mon-unit-' + u.unit, class: best && u.started === best ? 'best' : '' },
            h('td', {}, u.unit ? (info ? info.name : '#' + u.unit) : t('staff.unit.none')),
            h('td', { class: 'num', testid: 'mu-connected' }, String(u.connected)),
            h('td', { class: 'num', testid: 'mu-started' }, String(u.started)),
            h('td', { class: 'num', testid: 'mu-submitted' }, String(u.submitted)),
            h('td', { class: 'num', testid: 'mu-answers' }, String(u.answers_min)),
            h('td', { class: 'num' }, target ? String(target) : '–'),
            h('td', { class: 'num' }, target ? num(Math.round((1000 * u.started) / target) / 10) + ' %' : '–'));
        }), { testid: 'mon-units', class: 'grid units' })));
  }

  function connect() {
    if (gone) return;
    ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws', 'examd.v1');
    ws.onopen = () => { retry = 0; ws.send(JSON.stringify({ type: 'monitor', id: 1, exam: id })); };
    ws.onmessage = (ev) => {
      let m;
      try { m = JSON.parse(ev.data); } catch { return; }
      if (m.type === 'monitor' && m.exam === id) {
        snap = m;
        live = true;
        err = null;
        history.push({ at: m.at_ms, n: m.total.answers_min });
        if (history.length > HISTORY) history.shift();
        render();
      } else if (m.type === 'error') {
        err = () => errorText(new api.ApiError(m.code, 0, m));
        if (m.id === 1) gone = true; // refused: do not knock again
        render();
      }
    };
    ws.onclose = () => {
      live = false;
      if (!gone) {
        render();
        timer = setTimeout(connect, Math.min(10000, 500 * 2 ** retry++)); // back off: 0.5, 1, 2 … 10 s
      }
    };
  }

  async function load() {
    try {
      const [r, u] = await Promise.all([api.get('/api/staff/rounds/' + id).catch(() => null), api.get('/api/staff/units')]);
      round = r && r.round;
      if (round) contest = await api.get('/api/staff/contests/' + round.contest).then((x) => x.contest.title, () => '');
      units = new Map(u.units.map((x) => [x.id, x]));
    } catch (e) {
      err = () => errorText(e);
    }
    render();
  }

  render();
  load();
  connect();
  return {
    render,
    destroy() { gone = true; clearTimeout(timer); if (ws) ws.close(); },
  };
}
