// questions.js — one bank's questions: search (accent-insensitive, done
// by the server), topic and difficulty filters, pages of 50, each question
// with its options (the key marked), topic, difficulty, version and
// whether a published exam uses it; the ways to add, edit and retire.
// The filters and the page are kept in ctx.lists while the user edits.
import { t } from '../i18n.js';
import { h, fill, modal } from '../ui.js';
import * as api from './api.js';
import { DIFFICULTIES, errorText, note, select, check, diffText, questionCell, badge, table } from './common.js';

const PAGE = 50;

export function mount(root, ctx, arg) {
  const id = arg.bank, key = 'bank' + id;
  const st = ctx.lists.get(key) || { q: '', topic: '', difficulty: '', retired: false, offset: 0 };
  ctx.lists.set(key, st);
  let bank = null, topics = [], page = null, loadErr = null, seq = 0, timer = 0, loadedQ = null;
  let flash = ctx.flash;
  ctx.flash = null;
  let search; // the search <input>, kept across renders (focus, caret)

  function render() {
    const active = document.activeElement === search;
    search = search || h('input', { type: 'search', testid: 'q-search', value: st.q, autocomplete: 'off',
      oninput: (e) => { st.q = e.target.value; st.offset = 0; clearTimeout(timer); timer = setTimeout(load, 300); } });
    search.placeholder = t('staff.q.searchHint');
    fill(root,
      h('p', { class: 'crumbs' }, h('a', { href: '#banks' }, t('staff.nav.banks')), ' › '),
      h('div', { class: 'titlebar' }, h('h1', { testid: 'bank-heading' }, bank ? bank.title : t('staff.q.bank', { id })),
        h('a', { class: 'btn primary', href: `#bank/${id}/new`, testid: 'q-new' }, t('staff.q.new'))),
      bank && h('p', { class: 'muted' }, h('code', {}, bank.name)),
      flash && note(flash.kind, flash.text(), flash.testid),
      loadErr && note('err', loadErr(), 'q-load-error'),
      filters(),
      results());
    if (active) search.focus();
  }

  function filters() {
    const topicSel = select({ id: 'qt', testid: 'q-topic', onchange: (e) => set('topic', e.target.value) },
      [['', t('staff.q.allTopics')], ...topics.map((x) => [x.topic, x.topic])], st.topic);
    const diffSel = select({ id: 'qd', testid: 'q-difficulty', onchange: (e) => set('difficulty', e.target.value) },
      [['', t('staff.q.allLevels')], ...DIFFICULTIES.map((d) => [d, diffText(d)])], st.difficulty);
    return h('form', { class: 'filters', role: 'search', onsubmit: (e) => { e.preventDefault(); clearTimeout(timer); load(); } },
      h('div', { class: 'field grow' }, h('label', { for: 'qs' }, t('staff.q.search')), Object.assign(search, { id: 'qs' })),
      h('div', { class: 'field' }, h('label', { for: 'qt' }, t('staff.q.topic')), topicSel),
      h('div', { class: 'field' }, h('label', { for: 'qd' }, t('staff.q.difficulty')), diffSel),
      h('div', { class: 'field' }, check({ id: 'qr', label: t('staff.q.showRetired'), checked: st.retired,
        testid: 'q-retired', onchange: (e) => set('retired', e.target.checked) })));
  }

  function set(k, v) {
    st[k] = v;
    st.offset = 0;
    load();
  }

  function results() {
    if (!page) return h('p', { class: 'muted' }, t('staff.loading'));
    const from = page.total ? st.offset + 1 : 0, to = Math.min(st.offset + PAGE, page.total);
    return h('section', { class: 'results', testid: 'q-results', 'data-q': loadedQ },
      h('div', { class: 'pager' },
        h('span', { testid: 'q-count', role: 'status' }, page.total ? t('staff.q.range', { from, to, total: page.total }) : ''),
        pager()),
      page.questions.length
        ? table([t('staff.q.id'), t('staff.q.question'), t('staff.q.topic'), t('staff.q.difficulty'),
          t('staff.q.version'), h('span', { class: 'sr' }, t('staff.actions'))], page.questions.map(row),
        { class: 'grid qtable', testid: 'q-table' })
        : h('p', { class: 'empty', testid: 'q-empty' }, t(st.q || st.topic || st.difficulty || st.retired ? 'staff.q.noMatch' : 'staff.q.none')),
      page.total > PAGE && h('div', { class: 'pager end' }, pager()));
  }

  function pager() {
    const go = (d) => { st.offset = Math.max(0, st.offset + d); load(); };
    return h('span', { class: 'pbtns' },
      h('button', { class: 'btn small', type: 'button', disabled: st.offset === 0, onclick: () => go(-PAGE) }, t('staff.prev')),
      h('button', { class: 'btn small', type: 'button', disabled: st.offset + PAGE >= page.total, onclick: () => go(PAGE) }, t('staff.next')));
  }

  function row(q) {
    return h('tr', { testid: 'q-row-' + q.id, class: q.retired ? 'retired' : '' },
      h('td', { class: 'num' }, String(q.id), q.ext_id && h('div', { class: 'muted small' }, q.ext_id)),
      questionCell(q),
      h('td', { class: 'topic' }, q.topic),
      h('td', {}, diffText(q.difficulty)),
      h('td', {}, 'v' + q.version,
        q.used && h('div', {}, badge(t('staff.q.used'), 'used', 'q-used')),
        q.retired && h('div', {}, badge(t('staff.q.retired'), 'off'))),
      h('td', { class: 'actions' }, !q.retired && [
        h('button', { class: 'btn small', type: 'button', testid: 'q-edit-' + q.id, onclick: () => edit(q) }, t('staff.edit')),
        h('button', { class: 'btn small danger', type: 'button', testid: 'q-retire-' + q.id, onclick: () => retire(q) }, t('staff.retire'))]));
  }

  function edit(q) {
    ctx.stash.set('question', q);
    ctx.go(`#bank/${id}/edit/${q.id}`);
  }

  async function retire(q) {
    const ok = await modal({ title: t('staff.q.retireTitle', { id: q.id }),
      lines: [t(q.used ? 'staff.q.retireUsed' : 'staff.q.retireText')], ok: t('staff.retire'), okTestid: 'confirm-ok' });
    if (!ok) return;
    try {
      await api.post(`/api/staff/questions/${q.id}/retire`);
      flash = { kind: 'ok', text: () => t('staff.q.retiredOk', { id: q.id }), testid: 'q-flash' };
    } catch (e) {
      flash = { kind: 'err', text: () => errorText(e), testid: 'q-flash' };
    }
    load();
  }

  async function load() {
    const my = ++seq;
    try {
      const r = await api.get(api.url('/api/staff/questions', { bank: id, q: st.q.trim(), topic: st.topic,
        difficulty: st.difficulty, retired: st.retired ? 1 : 0, offset: st.offset, limit: PAGE }));
      if (my !== seq) return;
      if (st.offset && st.offset >= r.total) { st.offset = Math.max(0, Math.floor((r.total - 1) / PAGE) * PAGE); return load(); }
      page = r;
      loadedQ = st.q.trim();
      loadErr = null;
    } catch (e) {
      if (my !== seq) return;
      loadErr = () => errorText(e);
    }
    render();
  }

  async function loadBank() {
    try {
      bank = (await ctx.banks()).find((b) => b.id === id) || null;
      topics = (await api.get(`/api/staff/banks/${id}/topics`)).topics;
    } catch (e) {
      loadErr = loadErr || (() => errorText(e));
    }
    render();
  }

  render();
  loadBank();
  load();
  return { render, destroy: () => clearTimeout(timer) };
}
