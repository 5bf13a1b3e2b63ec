// grading.js — an exam's grading rules edited from its class table
// (docs/scores.md): the rounding step, the pass mark and each band's name
// and minimum. Saving posts them (POST /api/staff/exams/ID/grading); the
// stored scores stay, the table re-classifies. A rule the server refuses
// is shown with the field it names.
import { t, num } from '../i18n.js';
import { h, fill } from '../ui.js';
import * as api from './api.js';
import { errorText, note, field, select } from './common.js';

const ROUNDINGS = ['0.01', '0.1', '0.25', '0.5', '1'];

/* The rounding step <select> (the publish form has one too). */
export const roundingSelect = (testid, value, onchange) => select({ testid, onchange },
  ROUNDINGS.map((r) => [r, r === '0.01' ? t('staff.pub.roundNone') : num(Number(r))]), value);

/* A number typed with a comma or a point; what was typed when it is not
 * one (the server then names the field). */
const numOf = (s) => {
  const x = Number(String(s).trim().replace(',', '.'));
  return String(s).trim() !== '' && Number.isFinite(x) ? x : String(s);
};

/* Draw the editor into box for exam examId with the current rules g;
 * saved(rules) after a successful save, cancel() to close. */
export function mountRules(box, examId, g, { saved, cancel }) {
  const m = { rounding: String(g.rounding), pass: num(g.pass),
    bands: g.bands.map((b) => ({ name: b.name, name_en: b.name_en || '', min: num(b.min) })) };
  let err = null, busy = false;

  function render() {
    fill(box, h('section', { class: 'panel', testid: 'rules-form' },
      h('h2', {}, t('staff.rules.title')),
      h('p', { class: 'hint' }, t('staff.rules.hint')),
      err && note('err', err(), 'rules-error'),
      h('div', { class: 'cols' },
        field({ id: 'r-rounding', label: t('staff.pub.rounding'),
          input: roundingSelect('rules-rounding', m.rounding, (e) => { m.rounding = e.target.value; }) }),
        field({ id: 'r-pass', label: t('staff.pub.pass'), cls: 'narrow',
          input: h('input', { value: m.pass, testid: 'rules-pass', inputMode: 'decimal',
            oninput: (e) => { m.pass = e.target.value; } }) })),
      h('table', { class: 'grid rules-bands' },
        h('thead', {}, h('tr', {}, h('th', {}, t('staff.rules.band')), h('th', {}, t('staff.rules.min')))),
        h('tbody', {}, m.bands.map((b, i) => h('tr', {},
          h('td', {}, h('input', { value: b.name, 'aria-label': t('staff.rules.band'), testid: 'rules-name-' + i,
            oninput: (e) => { b.name = e.target.value; } })),
          h('td', {}, h('input', { value: b.min, 'aria-label': t('staff.rules.min'), inputMode: 'decimal',
            testid: 'rules-min-' + i, oninput: (e) => { b.min = e.target.value; } })))))),
      h('div', { class: 'row' },
        h('button', { class: 'btn primary', type: 'button', disabled: busy, testid: 'rules-save', onclick: save },
          t('staff.rules.save')),
        h('button', { class: 'btn', type: 'button', onclick: cancel }, t('cancel')))));
  }

  async function save() {
    const grading = { rounding: Number(m.rounding), pass: numOf(m.pass),
      bands: m.bands.map((b) => ({ name: b.name.trim(), name_en: b.name_en || null, min: numOf(b.min) })) };
    busy = true;
    err = null;
    render();
    try {
      const r = await api.post(`/api/staff/exams/${examId}/grading`, { grading });
      saved(r.grading);
    } catch (e) {
      busy = false;
      err = () => errorText(e);
      render();
    }
  }

  render();
}
