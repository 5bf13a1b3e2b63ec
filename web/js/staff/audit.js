// audit.js — the audit log (admin only): entries newest first in pages of
// 50, filtered by action ("user" takes user.add, user.disable, ...), and
// the check of the hash chain, as "examd audit verify" does it
// (docs/security.md, "Audit log"). The filter and page are kept in
// ctx.lists.
import { t, has, lang } from '../i18n.js';
import { h, fill } from '../ui.js';
import * as api from './api.js';
import { errorText, note, serverText, table, pager as pageButtons } from './common.js';

const PAGE = 50;

/* epoch ms -> local date and time to the second. */
const when = (ms) => new Date(ms).toLocaleString(lang() === 'vi' ? 'vi-VN' : 'en-GB',
  { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/* An action's name in words when the dictionary has it, else its code. */
const actionText = (a) => (has('staff.audit.act.' + a) ? t('staff.audit.act.' + a) : a);

/* A detail object as "key: value" pairs. */
function detailText(d) {
  if (d == null) return '';
  if (typeof d !== 'object') return String(d);
  return Object.entries(d).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(' · ');
}

export function mount(root, ctx) {
  const st = ctx.lists.get('audit') || { action: '', offset: 0 };
  ctx.lists.set('audit', st);
  let page = null, loadErr = null, seq = 0, check = null, checking = false;

  function render() {
    fill(root, h('h1', {}, t('staff.audit.title')),
      h('p', { class: 'muted' }, t('staff.audit.intro')),
      verifyCard(),
      loadErr && note('err', loadErr(), 'audit-load-error'),
      filters(), results());
  }

  function verifyCard() {
    let result = null;
    if (check && check.err) result = note('err', check.err(), 'audit-verify-result');
    else if (check && check.intact) {
      result = h('div', { class: 'msg ok', role: 'status', testid: 'audit-verify-result' },
        h('p', {}, t('staff.audit.intact', { n: check.entries })),
        h('p', {}, t('staff.audit.head'), ' ', h('code', { class: 'hash', testid: 'audit-head' }, check.head)),
        h('p', { class: 'small' }, t('staff.audit.keepHead')));
    } else if (check) {
      result = h('div', { class: 'msg err', role: 'alert', testid: 'audit-verify-result' },
        h('p', {}, t('staff.audit.broken', { id: check.bad_id, n: check.entries })),
        h('p', { testid: 'audit-bad-message' }, serverText(check.message)));
    }
    return h('div', { class: 'card' },
      h('div', { class: 'titlebar' }, h('h2', {}, t('staff.audit.chain')),
        h('button', { class: 'btn primary', type: 'button', disabled: checking, testid: 'audit-verify', onclick: verify },
          t(checking ? 'staff.audit.verifying' : 'staff.audit.verify'))),
      h('p', { class: 'hint' }, t('staff.audit.chainHint')),
      result);
  }

  function filters() {
    const actions = page ? page.actions : [];
    const groups = [...new Set(actions.filter((a) => a.includes('.')).map((a) => a.split('.')[0]))];
    const opt = (v, text) => h('option', { value: v, selected: v === st.action }, text);
    return h('form', { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault() },
      h('div', { class: 'field' }, h('label', { for: 'aa' }, t('staff.audit.action')),
        h('select', { id: 'aa', testid: 'audit-action', onchange: (e) => { st.action = e.target.value; st.offset = 0; load(); } },
          opt('', t('staff.audit.allActions')),
          groups.length && h('optgroup', { label: t('staff.audit.groups') },
            groups.map((g) => opt(g, t('staff.audit.group', { g })))),
          h('optgroup', { label: t('staff.audit.actions') }, actions.map((a) => opt(a, actionText(a) + (actionText(a) !== a ? ` (${a})` : '')))))));
  }

  function results() {
    if (!page) return !loadErr && h('p', { class: 'muted' }, t('staff.loading'));
    const from = page.total ? st.offset + 1 : 0, to = Math.min(st.offset + PAGE, page.total);
    return [
      h('div', { class: 'pager' },
        h('span', { testid: 'audit-count', role: 'status' }, page.total ? t('staff.audit.range', { from, to, total: page.total }) : ''),
        pager()),
      page.entries.length
        ? table([t('staff.audit.id'), t('staff.audit.time'), t('staff.audit.actor'), t('staff.audit.address'),
          t('staff.audit.action'), t('staff.audit.detail')], page.entries.map(row), { class: 'grid atable', testid: 'audit-table' })
        : h('p', { class: 'empty', testid: 'audit-empty' }, t('staff.audit.none')),
      page.total > PAGE && h('div', { class: 'pager end' }, pager())];
  }

  function row(e) {
    const cli = e.detail && e.detail.via === 'cli';
    return h('tr', { testid: 'audit-row-' + e.id },
      h('td', { class: 'num' }, String(e.id)),
      h('td', { class: 'when' }, when(e.at_ms)),
      h('td', {}, e.actor ? h('code', {}, e.actor) : h('span', { class: 'muted' }, t(cli ? 'staff.audit.cli' : 'staff.audit.nobody'))),
      h('td', {}, e.ip || h('span', { class: 'muted' }, '—')),
      h('td', { testid: 'audit-act' }, actionText(e.action), actionText(e.action) !== e.action && h('div', {}, h('code', { class: 'small' }, e.action))),
      h('td', { class: 'detail' }, detailText(e.detail)));
  }

  function pager() {
    return pageButtons(st.offset, PAGE, page.total, (d) => { st.offset = Math.max(0, st.offset + d); load(); });
  }

  async function verify() {
    checking = true;
    render();
    try {
      check = await api.get('/api/staff/audit/verify');
    } catch (e) {
      check = { err: () => errorText(e) };
    }
    checking = false;
    render();
    root.querySelector('[data-testid=audit-verify-result]')?.focus?.();
  }

  async function load() {
    const my = ++seq;
    try {
      const r = await api.get(api.url('/api/staff/audit', { action: st.action, offset: st.offset, limit: PAGE }));
      if (my !== seq) return;
      if (st.offset && st.offset >= r.total) { st.offset = Math.max(0, Math.floor((r.total - 1) / PAGE) * PAGE); return load(); }
      page = r;
      loadErr = null;
    } catch (e) {
      if (my !== seq) return;
      loadErr = () => errorText(e);
    }
    render();
  }

  render();
  load();
  return { render };
}
