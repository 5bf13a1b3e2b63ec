// banks.js — the question banks: list (short name, title, number of
// current questions), create a bank, retire one (after a confirmation),
// export links (GIFT, examd JSON), and the ways into a bank's questions
// and into an import.
import { t } from '../i18n.js';
import { h, fill, modal } from '../ui.js';
import * as api from './api.js';
import { errorText, note, field, table } from './common.js';

export const NAME_RE = /^[a-z0-9_-]{1,64}$/;

export function mount(root, ctx) {
  let list = null, loadErr = null, busy = false;
  const form = { name: '', title: '' };
  let errs = {}, formErr = null, flash = ctx.flash;
  ctx.flash = null;

  function render() {
    fill(root, h('h1', {}, t('staff.banks.title')),
      flash && note(flash.kind, flash.text(), flash.testid),
      loadErr && note('err', loadErr()),
      list === null && !loadErr ? h('p', { class: 'muted' }, t('staff.loading'))
        : list && (list.length ? bankTable() : h('p', { testid: 'banks-empty' }, t('staff.banks.none'))),
      createForm());
  }

  function bankTable() {
    return table([t('staff.banks.name'), t('staff.banks.bankTitle'), t('staff.banks.count'),
      t('staff.banks.export'), h('span', { class: 'sr' }, t('staff.actions'))],
    list.map((b) => h('tr', { testid: 'bank-row-' + b.name },
      h('td', {}, h('code', {}, b.name)),
      h('td', {}, h('a', { href: '#bank/' + b.id, testid: 'bank-open-' + b.name }, b.title)),
      h('td', { class: 'num', testid: 'bank-count-' + b.name }, String(b.questions)),
      h('td', { class: 'links' },
        h('a', { href: `/api/staff/banks/${b.id}/export?format=gift`, download: b.name + '.gift.txt' }, 'GIFT'), ' · ',
        h('a', { href: `/api/staff/banks/${b.id}/export?format=native`, download: b.name + '.json' }, t('staff.fmt.native'))),
      h('td', { class: 'actions' },
        h('a', { class: 'btn small', href: '#bank/' + b.id }, t('staff.banks.questions')),
        h('a', { class: 'btn small', href: '#import/' + b.name }, t('staff.banks.importInto')),
        h('button', { class: 'btn small danger', type: 'button', testid: 'bank-retire-' + b.name,
          onclick: () => retire(b) }, t('staff.retire'))))),
    { testid: 'banks-table' });
  }

  function createForm() {
    const name = h('input', { value: form.name, testid: 'bank-name', autocomplete: 'off', spellcheck: false,
      maxLength: 64, oninput: (e) => { form.name = e.target.value; } });
    const title = h('input', { value: form.title, testid: 'bank-title', autocomplete: 'off',
      oninput: (e) => { form.title = e.target.value; } });
    return h('form', { class: 'card', onsubmit: create, testid: 'bank-create' },
      h('h2', {}, t('staff.banks.create')),
      formErr && note('err', formErr(), 'bank-create-error'),
      h('div', { class: 'cols' },
        field({ id: 'bn', label: t('staff.banks.name'), input: name, hint: t('staff.banks.nameHint'),
          error: errs.name && errs.name() }),
        field({ id: 'bt', label: t('staff.banks.bankTitle'), input: title, error: errs.title && errs.title(), cls: 'grow' })),
      h('div', { class: 'row' },
        h('button', { class: 'btn primary', disabled: busy, testid: 'bank-create-submit' }, t('staff.banks.createBtn')),
        h('a', { class: 'btn', href: '#import' }, t('staff.banks.orImport'))));
  }

  async function load() {
    try {
      list = await ctx.banks(true);
      loadErr = null;
    } catch (e) {
      loadErr = () => errorText(e);
    }
    render();
  }

  async function create(ev) {
    ev.preventDefault();
    errs = {};
    formErr = null;
    flash = null;
    const name = form.name.trim(), title = form.title.trim();
    if (!NAME_RE.test(name)) errs.name = () => t('staff.banks.badName');
    if (!title) errs.title = () => t('staff.required');
    if (errs.name || errs.title) return render(), focusBad();
    busy = true;
    render();
    try {
      await api.post('/api/staff/banks', { name, title });
      form.name = form.title = '';
      flash = { kind: 'ok', text: () => t('staff.banks.created', { name }), testid: 'banks-flash' };
      busy = false;
      return load();
    } catch (e) {
      const text = e.code === 'exists' ? () => t('staff.banks.exists', { name }) : () => errorText(e);
      if (e.code === 'exists' || e.field === 'name') errs.name = text;
      else if (e.field === 'title') errs.title = text;
      else formErr = text;
    }
    busy = false;
    render();
    focusBad();
  }

  function focusBad() {
    const bad = root.querySelector('[aria-invalid=true]');
    if (bad) bad.focus();
  }

  async function retire(b) {
    const ok = await modal({ title: t('staff.banks.retireTitle', { title: b.title }),
      lines: [t('staff.banks.retireText', { n: b.questions })], ok: t('staff.retire'), okTestid: 'confirm-ok' });
    if (!ok) return;
    try {
      await api.post(`/api/staff/banks/${b.id}/retire`);
      flash = { kind: 'ok', text: () => t('staff.banks.retired', { title: b.title }), testid: 'banks-flash' };
    } catch (e) {
      flash = { kind: 'err', text: () => errorText(e), testid: 'banks-flash' };
    }
    load();
  }

  render();
  load();
  return { render, dirty: () => !!(form.name.trim() || form.title.trim()) };
}
