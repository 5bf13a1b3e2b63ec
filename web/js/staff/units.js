// units.js — the tree of units (province party committee → party
// committee → party cell) with each unit's members against its target
// headcount; organisers and admins add units here (a trainer reads the
// tree: rosters and classes name these units).
import { t } from '../i18n.js';
import { h, fill } from '../ui.js';
import * as api from './api.js';
import { errorText, note, field, select, submitForm } from './common.js';

/* The units as a tree: [{unit, kids: [...]}], roots first, by id. */
export function unitTree(units) {
  const byParent = new Map();
  for (const u of units) {
    const k = u.parent || 0;
    if (!byParent.has(k)) byParent.set(k, []);
    byParent.get(k).push(u);
  }
  const grow = (k, depth) => (byParent.get(k) || []).map((u) => ({ unit: u, depth, kids: depth < 16 ? grow(u.id, depth + 1) : [] }));
  return grow(0, 0);
}

/* [[id, "Root / Child"], ...] in tree order, for a <select>. */
export function unitChoices(units) {
  const out = [];
  const walk = (nodes, path) => nodes.forEach((n) => {
    const p = path ? path + ' / ' + n.unit.name : n.unit.name;
    out.push([n.unit.id, p]);
    walk(n.kids, p);
  });
  walk(unitTree(units), '');
  return out;
}

export function mount(root, ctx) {
  let units = null, loadErr = null, flash = null;
  const canAdd = ctx.user.role !== 'trainer';
  const form = { name: '', parent: '', target: '' };
  const f = { errs: {}, formErr: null, busy: false };

  function render() {
    fill(root, h('h1', {}, t('staff.units.title')),
      h('p', { class: 'muted' }, t('staff.units.intro')),
      flash && note(flash.kind, flash.text(), 'units-flash'),
      loadErr && note('err', loadErr(), 'units-load-error'),
      units === null && !loadErr ? h('p', { class: 'muted' }, t('staff.loading'))
        : units && (units.length ? treeView() : h('p', { class: 'empty', testid: 'units-empty' }, t('staff.units.none'))),
      canAdd ? addForm() : note('info', t('staff.units.onlyOrganisers'), 'units-readonly'));
  }

  function treeView() {
    const item = (n) => {
      const u = n.unit, pct = u.target ? Math.min(100, Math.round((u.members * 100) / u.target)) : 0;
      return h('li', { testid: 'unit-' + u.id },
        h('div', { class: 'unit' },
          h('span', { class: 'uname', testid: 'unit-name' }, u.name),
          h('span', { class: 'ucount', testid: 'unit-count' },
            u.target ? t('staff.units.ofTarget', { n: u.members, target: u.target }) : t('staff.units.members', { n: u.members })),
          u.target ? h('meter', { min: 0, max: 100, value: pct, title: pct + ' %', 'aria-label': t('staff.units.progress') }) : null),
        n.kids.length ? h('ul', {}, n.kids.map(item)) : null);
    };
    return h('ul', { class: 'tree card', testid: 'units-tree' }, unitTree(units).map(item));
  }

  function addForm() {
    return h('form', { class: 'card', testid: 'unit-form', onsubmit: (e) => { e.preventDefault(); add(); } },
      h('h2', {}, t('staff.units.add')),
      f.formErr && note('err', f.formErr(), 'unit-form-error'),
      h('div', { class: 'cols' },
        field({ id: 'un-name', label: t('staff.units.name'), cls: 'grow', error: f.errs.name && f.errs.name(),
          hint: t('staff.units.nameHint'),
          input: h('input', { value: form.name, testid: 'unit-name-input', autocomplete: 'off', maxLength: 200,
            oninput: (e) => { form.name = e.target.value; } }) }),
        field({ id: 'un-parent', label: t('staff.units.parent'), error: f.errs.parent && f.errs.parent(),
          input: select({ testid: 'unit-parent', onchange: (e) => { form.parent = e.target.value; } },
            [['', t('staff.units.noParent')], ...unitChoices(units || [])], form.parent) }),
        field({ id: 'un-target', label: t('staff.units.target'), cls: 'narrow', error: f.errs.target && f.errs.target(),
          input: h('input', { type: 'number', min: 0, max: 10000000, step: 1, value: form.target, testid: 'unit-target',
            oninput: (e) => { form.target = e.target.value; } }) })),
      h('div', { class: 'row' },
        h('button', { class: 'btn primary', disabled: f.busy, testid: 'unit-submit' }, t('staff.units.addBtn'))));
  }

  function add() {
    flash = null;
    return submitForm(f, {
      validate() {
        f.errs = {};
        const name = form.name.trim(), target = form.target.trim();
        if (!name) f.errs.name = () => t('staff.required');
        if (target && !/^\d{1,8}$/.test(target)) f.errs.target = () => t('staff.units.badTarget');
        if (Object.keys(f.errs).length) return null;
        return { name, parent: form.parent ? Number(form.parent) : null, target: target ? Number(target) : 0 };
      },
      send: (body) => api.post('/api/staff/units', body),
      fields: { name: 'name', parent: 'parent', target: 'target' },
      ok(r, body) {
        flash = { kind: 'ok', text: () => t('staff.units.added', { name: body.name }) };
        form.name = '';
        form.target = '';
        load();
      },
      render,
      focusBad: () => root.querySelector('[aria-invalid=true]')?.focus(),
    });
  }

  async function load() {
    try {
      units = (await api.get('/api/staff/units')).units;
      loadErr = null;
    } catch (e) {
      loadErr = () => errorText(e);
    }
    render();
  }

  render();
  load();
  return { render, dirty: () => !!form.name.trim() };
}
