// live.js — live rounds in a hall (docs/live-rounds.md), for organisers
// and admins: the list (#live), a new round (#live/new: title, bank, how
// many questions, seconds per question, elimination) and one round's
// control panel (#live/ID): the room code, players arriving, the current
// question with its key and answers so far, the leaderboard, and the
// steps start, show answer, next, revive all, end; the projector page
// opens in its own window for the big screen.
import { t, num } from '../i18n.js';
import { h, fill, modal } from '../ui.js';
import * as api from './api.js';
import { errorText, note, field, check, select, table, badge, dateTime } from './common.js';
import { downloads } from './rounds.js';

const POLL_MS = 1000;

/* arg: {} (list), {create: true} or {id}. */
export function mount(root, ctx, arg) {
  if (arg.create) return createForm(root, ctx);
  if (arg.id) return panel(root, ctx, arg.id);
  return list(root, ctx);
}

const stateText = (s) => t('staff.live.state.' + s);

function list(root, ctx) {
  let rounds = null, err = null;
  const flash = ctx.flash;
  ctx.flash = null;
  function render() {
    fill(root, h('div', { class: 'titlebar' }, h('h1', {}, t('staff.live.title')),
      h('a', { class: 'btn primary', href: '#live/new', testid: 'live-new' }, t('staff.live.new'))),
    h('p', { class: 'hint' }, t('staff.live.about')),
    flash && note(flash.kind, flash.text(), flash.testid),
    err && note('err', err, 'live-load-error'),
    rounds === null && !err ? h('p', { class: 'muted' }, t('staff.loading'))
      : rounds && (rounds.length ? table([t('staff.live.name'), t('staff.live.code'), t('staff.live.stateH'),
        t('staff.live.questions'), t('staff.live.players'), t('staff.live.created')],
      rounds.map((r) => h('tr', { testid: 'live-row-' + r.id },
        h('td', {}, h('a', { href: '#live/' + r.id, testid: 'live-open' }, r.title)),
        h('td', {}, h('code', {}, r.code)), h('td', {}, stateText(r.state)),
        h('td', { class: 'num' }, String(r.n)), h('td', { class: 'num' }, String(r.players)),
        h('td', {}, dateTime(r.created_ms)))), { testid: 'live-table' })
        : h('p', { testid: 'live-empty' }, t('staff.live.none'))));
  }
  api.get('/api/staff/live').then((r) => { rounds = r.rounds; render(); }, (e) => { err = errorText(e); render(); });
  render();
  return { render };
}

function createForm(root, ctx) {
  const f = { title: '', bank: '', count: '10', seconds: '20', elimination: false, errs: {}, busy: false, flash: null };
  let banks = [];
  function render() {
    const title = h('input', { value: f.title, maxlength: 300, testid: 'live-title', oninput: () => { f.title = title.value; } });
    const bank = select({ testid: 'live-bank', onchange: () => { f.bank = bank.value; } },
      [['', t('staff.live.pickBank')], ...banks.map((b) => [String(b.id), `${b.title} (${b.questions})`])], f.bank);
    const count = h('input', { type: 'number', min: 1, max: 200, value: f.count, testid: 'live-count', oninput: () => { f.count = count.value; } });
    const secs = h('input', { type: 'number', min: 5, max: 600, value: f.seconds, testid: 'live-seconds', oninput: () => { f.seconds = secs.value; } });
    fill(root, h('p', { class: 'crumbs' }, h('a', { href: '#live' }, t('staff.live.title')), ' › '),
      h('h1', {}, t('staff.live.new')),
      f.flash && note('err', f.flash, 'live-create-error'),
      h('form', { class: 'card form', novalidate: true, onsubmit: create },
        field({ id: 'lt', label: t('staff.live.name'), input: title, error: f.errs.title }),
        field({ id: 'lb', label: t('staff.live.bank'), input: bank, error: f.errs.bank }),
        field({ id: 'lc', label: t('staff.live.count'), input: count, hint: t('staff.live.countHint'), error: f.errs.blueprint }),
        field({ id: 'ls', label: t('staff.live.seconds'), input: secs, error: f.errs.seconds }),
        check({ id: 'le', label: t('staff.live.elimination'), checked: f.elimination, testid: 'live-elimination',
          onchange: (e) => { f.elimination = e.target.checked; } }),
        h('p', { class: 'hint' }, t('staff.live.eliminationHint')),
        h('div', { class: 'row' }, h('button', { class: 'btn primary', testid: 'live-create', disabled: f.busy }, t('staff.live.create')))));
  }
  async function create(ev) {
    ev.preventDefault();
    f.errs = {};
    f.flash = null;
    if (!f.title.trim()) f.errs.title = t('staff.live.need.title');
    if (!f.bank) f.errs.bank = t('staff.live.need.bank');
    if (Object.keys(f.errs).length) return render();
    f.busy = true;
    render();
    try {
      const r = await api.post('/api/staff/live', { title: f.title.trim(), bank: Number(f.bank),
        blueprint: [{ count: Number(f.count) }], seconds: Number(f.seconds), elimination: f.elimination });
      ctx.say('ok', () => t('staff.live.created', { code: r.code }), 'live-flash');
      ctx.go('#live/' + r.id);
      return;
    } catch (e) {
      if (e.field) f.errs[e.field] = errorText(e);
      else f.flash = errorText(e);
    }
    f.busy = false;
    render();
  }
  ctx.banks().then((b) => { banks = b; render(); }, (e) => { f.flash = errorText(e); render(); });
  render();
  return { render, dirty: () => !!f.title && !f.busy };
}

function panel(root, ctx, id) {
  let r = null, err = null, busy = false, timer = 0, gone = false, shownKey = '';
  const flash = ctx.flash;
  ctx.flash = null;
  const projUrl = 'projector.html?round=' + id;

  function steps() {
    const s = r.state, b = (verb, key, cls, on) => h('button', { class: 'btn ' + (cls || ''), type: 'button',
      testid: 'live-' + verb, disabled: busy || !on, onclick: () => step(verb) }, t(key));
    return h('div', { class: 'row' },
      b('start', 'staff.live.start', 'primary', s === 'lobby'),
      b('reveal', 'staff.live.reveal', '', s === 'question'),
      b('next', r.current + 1 >= r.n ? 'staff.live.finish' : 'staff.live.next', 'primary', s === 'reveal'),
      r.elimination ? b('revive', 'staff.live.revive', '', !r.revived && s !== 'ended') : null,
      b('end', 'staff.live.end', 'danger', s !== 'ended'),
      h('a', { class: 'btn', href: projUrl, target: '_blank', rel: 'noopener', testid: 'live-projector' }, t('staff.live.projector')));
  }

  function question() {
    const q = r.question;
    if (!q) return null;
    return h('section', { class: 'card', testid: 'live-question' },
      h('h2', {}, t('staff.live.q', { n: q.q + 1, total: r.n }),
        r.state === 'question' ? h('span', { id: 'live-left' }, ' · ' + leftText()) : null),
      h('p', {}, q.text),
      h('ol', { type: 'A' }, q.options.map((o, i) => h('li', { class: q.key.includes(i) ? 'key' : '' },
        o, ' ', q.key.includes(i) ? badge(t('staff.live.key'), 'ok') : null,
        r.state !== 'question' ? h('span', { class: 'muted' }, ' · ' + t('staff.live.chose', { n: q.counts[i] })) : null))),
      h('p', { class: 'muted', testid: 'live-answered' }, t('staff.live.answered', { n: q.answered, of: r.active })));
  }

  function players() {
    const rows = r.board || [];
    return h('section', {}, h('h2', {}, t('staff.live.playersH', { n: r.players, active: r.active })),
      rows.length ? table(['#', t('staff.live.player'), t('staff.live.unit'), t('staff.live.correct'), t('staff.live.time'), ''],
        rows.map((p) => h('tr', { testid: 'live-player' }, h('td', { class: 'num' }, String(p.rank)), h('td', {}, p.name),
          h('td', {}, p.unit), h('td', { class: 'num' }, String(p.correct)), h('td', { class: 'num' }, num(p.time_ms / 1000)),
          h('td', {}, p.out ? badge(t('staff.live.out'), 'warn') : null, p.online ? null : badge(t('staff.live.offline'), '')))),
        { testid: 'live-players' }) : h('p', { class: 'muted' }, t('staff.live.nobody')));
  }

  const leftText = () => t('staff.live.left', { s: Math.ceil((r.left_ms || 0) / 1000) });

  function render() {
    shownKey = JSON.stringify({ ...r, left_ms: 0 }) + err + busy;
    if (!r) return fill(root, err ? note('err', err, 'live-load-error') : h('p', { class: 'muted' }, t('staff.loading')));
    fill(root, h('p', { class: 'crumbs' }, h('a', { href: '#live' }, t('staff.live.title')), ' › '),
      h('div', { class: 'titlebar' }, h('h1', {}, r.title),
        // the board and the answers per question (docs/live-rounds.md)
        r.state !== 'lobby' && downloads(`/api/staff/live/${id}/export?format=csv`, `/api/staff/live/${id}/export?format=xlsx`,
          'live-export')),
      flash && note(flash.kind, flash.text(), flash.testid),
      err && note('err', err, 'live-error'),
      h('p', { testid: 'live-summary' }, t('staff.live.summary', { code: r.code, state: stateText(r.state), n: r.n, s: r.seconds }),
        r.elimination ? ' ' + t('staff.live.elimOn') + (r.revived ? ' ' + t('staff.live.revivedOnce') : '') : ''),
      r.url && h('p', { class: 'hint' }, t('staff.live.link', { url: r.url })),
      steps(), question(), players());
  }

  async function step(verb) {
    if (verb === 'end' && !(await modal({ title: t('staff.live.end'), lines: [t('staff.live.endSure')], ok: t('staff.live.end'),
      okTestid: 'live-end-ok' }))) return;
    busy = true;
    render();
    try {
      await api.post(`/api/staff/live/${id}/${verb}`);
      err = null;
    } catch (e) {
      err = errorText(e);
    }
    busy = false;
    await load();
  }

  async function load() {
    clearTimeout(timer);
    try {
      r = (await api.get(api.url(`/api/staff/live/${id}`, { base: location.origin }))).round;
    } catch (e) {
      err = errorText(e);
    }
    if (gone) return;
    // repaint only what changed: a button rebuilt under the pointer would
    // lose its click; the seconds left are one text node
    if (JSON.stringify({ ...r, left_ms: 0 }) + err + busy !== shownKey) render();
    else if (document.getElementById('live-left')) document.getElementById('live-left').textContent = ' · ' + leftText();
    timer = setTimeout(load, POLL_MS);
  }
  load();
  return { render, destroy: () => { gone = true; clearTimeout(timer); } };
}
