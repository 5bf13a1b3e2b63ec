// codes.js — the join codes of one exam (docs/staff-api.md "Join codes"),
// shown inside the exams screen: how many were made, are live, expired,
// revoked and used, and how many people joined; make N codes (one per
// person) or one link for a unit (its hall shares it), optionally
// expiring; revoke them all. New codes come back once, with their links
// and QR codes, and are printed from here (print CSS in staff.css): the
// server keeps only their keyed hashes, so they cannot be shown again.
import { t } from '../i18n.js';
import { h, fill, modal } from '../ui.js';
import * as api from './api.js';
import { errorText, note, field, select, dateTime } from './common.js';
import { unitChoices } from './units.js';

/* The server's QR SVG as an image (an <img> never runs what it shows). */
const qrImage = (svg) => h('img', { class: 'qrimg', alt: '', src: 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg) });

/* arg: {exam: {id, title}, close()}. */
export function mount(root, ctx, arg) {
  const ex = arg.exam;
  let stats = null, units = [], made = null, flash = null, busy = false;
  const f = { count: '1', unit: '', expires: '', errs: {} };

  function render() {
    fill(root,
      h('div', { class: 'noprint' },
        h('p', { class: 'crumbs' }, h('a', { href: '#exams', onclick: (e) => { e.preventDefault(); arg.close(); } },
          t('staff.ex.title')), ' › ', ex.title, ' › '),
        h('div', { class: 'titlebar' }, h('h1', {}, t('staff.codes.title')),
          made && h('button', { class: 'btn primary', type: 'button', testid: 'codes-print', onclick: () => print() },
            t('staff.slips.print'))),
        flash && note(flash.kind, flash.text(), 'codes-flash'),
        stats && h('p', { testid: 'codes-stats' }, t('staff.codes.stats', stats)),
        made ? note('warn', t('staff.codes.once'), 'codes-once') : form()),
      made && h('div', { class: 'slips codes', testid: 'codes-list' }, made.codes.map(card)));
  }

  function form() {
    const count = h('input', { type: 'number', min: 1, max: 10000, value: f.count, testid: 'codes-count',
      oninput: () => { f.count = count.value; } });
    const unit = select({ testid: 'codes-unit', onchange: () => { f.unit = unit.value; } },
      [['', t('staff.codes.anyUnit')], ...unitChoices(units)], f.unit);
    const exp = h('input', { type: 'datetime-local', value: f.expires, testid: 'codes-expires',
      oninput: () => { f.expires = exp.value; } });
    return h('form', { class: 'card form', onsubmit: create, novalidate: true },
      h('p', { class: 'hint' }, t('staff.codes.how')),
      field({ id: 'cc', label: t('staff.codes.count'), input: count, error: f.errs.count }),
      field({ id: 'cu', label: t('staff.codes.unit'), input: unit, error: f.errs.unit }),
      field({ id: 'ce', label: t('staff.codes.expires'), input: exp, hint: t('staff.codes.expiresHint'), error: f.errs.expires_ms }),
      h('div', { class: 'row' },
        h('button', { class: 'btn primary', testid: 'codes-create', disabled: busy }, t('staff.codes.create')),
        h('button', { class: 'btn', type: 'button', testid: 'codes-hall', disabled: busy || !f.unit,
          onclick: () => { f.count = '1'; create(); } }, t('staff.codes.hall')),
        h('button', { class: 'btn danger', type: 'button', testid: 'codes-revoke', disabled: busy || !stats || !stats.active,
          onclick: revoke }, t('staff.codes.revoke'))));
  }

  function card(c) {
    const qr = c.qr && qrImage(c.qr);
    const u = made.unit ? units.find((x) => x.id === made.unit) : null;
    return h('article', { class: 'slip', testid: 'code-card' },
      h('div', { class: 'stext' },
        h('p', { class: 'shead' }, ex.title),
        u && h('p', {}, t('staff.cls.unit') + ': ' + u.name),
        h('p', {}, t('staff.codes.code')), h('p', { class: 'sname' }, h('code', { testid: 'code-text' }, c.code)),
        made.expires_ms ? h('p', {}, t('staff.codes.until', { at: dateTime(made.expires_ms) })) : null,
        h('p', { class: 'slink' }, c.link)),
      qr && h('div', { class: 'sqr' }, qr));
  }

  async function create(ev) {
    if (ev) ev.preventDefault();
    f.errs = {};
    const body = { count: Number(f.count), base: location.origin };
    if (f.unit) body.unit = Number(f.unit);
    if (f.expires) body.expires_ms = new Date(f.expires).getTime();
    busy = true;
    render();
    try {
      made = await api.post(`/api/staff/exams/${ex.id}/codes`, body);
      flash = null;
    } catch (e) {
      if (e.field) f.errs[e.field] = errorText(e);
      else flash = { kind: 'err', text: () => errorText(e) };
    }
    busy = false;
    await load();
  }

  async function revoke() {
    if (!(await modal({ title: t('staff.codes.revoke'), lines: [t('staff.codes.revokeSure')], ok: t('staff.codes.revoke'),
      okTestid: 'codes-revoke-ok' }))) return;
    try {
      const r = await api.post(`/api/staff/exams/${ex.id}/codes/revoke`);
      flash = { kind: 'ok', text: () => t('staff.codes.revoked', { n: r.revoked }) };
    } catch (e) {
      flash = { kind: 'err', text: () => errorText(e) };
    }
    await load();
  }

  async function load() {
    try {
      const [s, u] = await Promise.all([api.get(`/api/staff/exams/${ex.id}/codes`), api.get('/api/staff/units')]);
      stats = { ...s.codes, joined: s.joined };
      units = u.units;
    } catch (e) {
      flash = { kind: 'err', text: () => errorText(e) };
    }
    render();
  }

  render();
  load();
  return { render };
}
