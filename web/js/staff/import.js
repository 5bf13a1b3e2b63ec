// import.js — bring a question file into a bank: choose the file, the
// target bank (an existing one or a new name and title), the format and
// whether unsupported question types are skipped; "Preview" sends the
// file's bytes with dry_run=1 and shows either every problem (line,
// question, message in the current language) or what would be imported.
// "Import" is enabled only by a clean preview, and sends exactly the bytes
// and settings that were previewed: any change asks for a new preview.
import { t, lang } from '../i18n.js';
import { h, fill } from '../ui.js';
import * as api from './api.js';
import { errorText, note, field, check, select, diffText, questionCell, badge, table, short } from './common.js';
import { NAME_RE } from './banks.js';

const FORMATS = ['auto', 'gift', 'aiken', 'moodlexml', 'csv', 'native'];
const MAX_BYTES = 8 * 1024 * 1024, SHOW = 200;
// The server's `field` -> the setting it names here (bank: name or list).
const FIELDS = { bank: 'bank', title: 'title', format: 'format', file: 'file' };

export function mount(root, ctx, arg) {
  const o = { target: 'existing', bank: arg.bank || '', name: '', title: '', format: 'auto', skip: false };
  let banks = [], file = null, busy = false, errs = {};
  // The last answer: {kind: 'preview'|'bad'|'done'|'fail', reply | e, sent: settings key, bytes}.
  let last = null;
  const input = h('input', { type: 'file', id: 'imp-file', testid: 'imp-file',
    accept: '.txt,.gift,.xml,.csv,.json,text/plain,text/csv,application/json,text/xml',
    onchange: () => { file = input.files[0] || null; last = null; errs = {}; render(); } });

  const settings = () => JSON.stringify([o.target, o.target === 'new' ? [o.name.trim(), o.title.trim()] : o.bank, o.format, o.skip]);
  const fresh = () => last && last.kind === 'preview' && last.sent === settings() && last.file === file;

  function render() {
    const focus = document.activeElement && document.activeElement.id;
    fill(root, h('h1', {}, t('staff.imp.title')),
      h('p', { class: 'muted' }, t('staff.imp.intro')),
      h('form', { class: 'card', onsubmit: (e) => { e.preventDefault(); send(true); }, testid: 'imp-form' },
        h('div', { class: 'cols' },
          field({ id: 'imp-file', label: t('staff.imp.file'), input, error: errs.file && errs.file(), cls: 'grow',
            hint: file ? t('staff.imp.chosen', { name: file.name, kb: Math.ceil(file.size / 1024) }) : t('staff.imp.fileHint') }),
          field({ id: 'imp-format', label: t('staff.imp.format'), error: errs.format && errs.format(),
            input: select({ testid: 'imp-format', onchange: (e) => change('format', e.target.value) },
              FORMATS.map((f) => [f, t('staff.fmt.' + f)]), o.format) })),
        check({ id: 'imp-skip', label: t('staff.imp.skip'), checked: o.skip,
          testid: 'imp-skip', onchange: (e) => change('skip', e.target.checked) }),
        targetBlock(),
        h('div', { class: 'row' },
          h('button', { class: 'btn', disabled: busy || !file, testid: 'imp-preview' }, t('staff.imp.preview')),
          h('button', { class: 'btn primary', type: 'button', disabled: busy || !fresh(), testid: 'imp-submit',
            onclick: () => send(false) }, t('staff.imp.import')),
          busy && h('span', { class: 'muted', role: 'status' }, t('staff.imp.busy')),
          !busy && file && !fresh() && !(last && last.kind === 'done') &&
            h('span', { class: 'muted', testid: 'imp-need-preview' }, t('staff.imp.needPreview')))),
      outcome());
    const el = focus && document.getElementById(focus);
    if (el) el.focus();
  }

  function targetBlock() {
    const radio = (v, label) => h('label', { class: 'check', for: 'imp-t-' + v },
      h('input', { type: 'radio', name: 'imp-target', id: 'imp-t-' + v, value: v, checked: o.target === v,
        testid: 'imp-target-' + v, onchange: () => change('target', v) }), ' ', label);
    return h('fieldset', { class: 'target' },
      h('legend', {}, t('staff.imp.target')),
      h('div', { class: 'cols' }, radio('existing', t('staff.imp.existing')), radio('new', t('staff.imp.newBank'))),
      o.target === 'existing'
        ? field({ id: 'imp-bank', label: t('staff.imp.bank'), error: errs.bank && errs.bank(),
          input: select({ testid: 'imp-bank', onchange: (e) => change('bank', e.target.value) },
            [['', t('staff.imp.pickBank')], ...banks.map((b) => [b.name, b.title + ' (' + b.name + ')'])], o.bank) })
        : h('div', { class: 'cols' },
          field({ id: 'imp-name', label: t('staff.banks.name'), hint: t('staff.banks.nameHint'), error: errs.name && errs.name(),
            input: h('input', { value: o.name, testid: 'imp-name', autocomplete: 'off', spellcheck: false, maxLength: 64,
              oninput: (e) => { o.name = e.target.value; stale(); } }) }),
          field({ id: 'imp-title', label: t('staff.banks.bankTitle'), cls: 'grow', error: errs.title && errs.title(),
            input: h('input', { value: o.title, testid: 'imp-title', autocomplete: 'off',
              oninput: (e) => { o.title = e.target.value; stale(); } }) })),
      h('p', { class: 'hint' }, t('staff.imp.nativeHint')));
  }

  function change(k, v) {
    o[k] = v;
    errs = {};
    render();
  }

  /* Typing in a text box: the Import button must follow without a render
   * (a render would move the caret). */
  function stale() {
    const b = root.querySelector('[data-testid="imp-submit"]');
    if (b) b.disabled = busy || !fresh();
  }

  function outcome() {
    if (!last) return null;
    if (last.kind === 'fail') return note('err', errorText(last.e), 'imp-error');
    const r = last.reply;
    if (last.kind === 'bad') return badFile(r);
    const skipped = (r.issues || []).filter((i) => i.skipped);
    const done = last.kind === 'done';
    return h('section', { class: 'outcome', testid: done ? 'imp-done' : 'imp-preview-ok' },
      last.error && note('err', errorText(last.error), 'imp-error'),
      note('ok', t(done ? 'staff.imp.done' : 'staff.imp.clean', { n: r.added, bank: r.bank,
        format: t('staff.fmt.' + r.format), skipped: r.skipped }) +
        (done ? '' : ' ' + t(r.new_bank ? 'staff.imp.willCreate' : 'staff.imp.willAdd', { bank: r.bank })),
      done ? 'imp-result' : 'imp-summary'),
      done && last.bankId && h('p', {}, h('a', { class: 'btn primary', href: '#bank/' + last.bankId, testid: 'imp-open-bank' },
        t('staff.imp.openBank', { bank: r.bank }))),
      skipped.length ? [h('h2', {}, t('staff.imp.skippedTitle', { n: skipped.length })), issueTable(skipped, 'imp-skipped')] : null,
      !done && r.questions && questionTable(r.questions));
  }

  function badFile(r) {
    const issues = r.issues || [];
    const errors = issues.filter((i) => !i.skipped);
    return h('section', { class: 'outcome', testid: 'imp-bad' },
      note('err', t('staff.imp.bad', { n: errors.length || 1 }) + (r.format ? ' ' + t('staff.imp.readAs', { format: t('staff.fmt.' + r.format) }) : ''), 'imp-bad-summary'),
      issues.length ? issueTable(issues, 'imp-issues') : note('err', errorText(last.e)));
  }

  function issueTable(issues, testid) {
    const msg = (i) => (lang() === 'vi' ? i.vi : i.en) || i.vi || i.en;
    return table([t('staff.imp.line'), t('staff.imp.question'), t('staff.imp.problem')],
      issues.map((i) => h('tr', { class: i.skipped ? 'skipped' : 'bad', testid: 'issue-line-' + i.line },
        h('td', { class: 'num', testid: 'issue-line' }, i.line ? String(i.line) : t('staff.imp.wholeFile')),
        h('td', { class: 'qstart' }, short(i.question, 80)),
        h('td', { testid: 'issue-message' }, i.skipped && badge(t('staff.imp.skippedBadge'), 'off'), ' ', msg(i)))),
      { class: 'grid issues', testid });
  }

  function questionTable(qs) {
    return [h('h2', {}, t('staff.imp.questionsTitle', { n: qs.length })),
      table(['#', t('staff.imp.line'), t('staff.q.topic'), t('staff.q.difficulty'), t('staff.q.question')],
        qs.slice(0, SHOW).map((q, i) => h('tr', { testid: 'imp-q' },
          h('td', { class: 'num' }, String(i + 1)), h('td', { class: 'num' }, String(q.line || '')),
          h('td', { class: 'topic' }, q.topic), h('td', {}, diffText(q.difficulty)),
          questionCell(q))),
        { class: 'grid qtable', testid: 'imp-questions' }),
      qs.length > SHOW && h('p', { class: 'muted' }, t('staff.imp.more', { n: qs.length - SHOW }))];
  }

  /* Settings as the query of POST /api/staff/import; null (errs filled)
   * when the target bank is not named well. */
  function query(dry) {
    errs = {};
    const p = { format: o.format, skip_unsupported: o.skip ? 1 : 0, dry_run: dry ? 1 : 0, filename: file.name };
    if (o.target === 'existing') {
      if (!o.bank) errs.bank = () => t('staff.imp.pickBank');
      p.bank = o.bank;
    } else {
      const name = o.name.trim(), title = o.title.trim();
      if (!NAME_RE.test(name)) errs.name = () => t('staff.banks.badName');
      if (!title) errs.title = () => t('staff.required');
      Object.assign(p, { bank: name, title });
    }
    if (file.size > MAX_BYTES) errs.file = () => t('staff.imp.tooBig');
    // An examd JSON file names its own bank: the target is not needed.
    if (o.format === 'native') { delete errs.bank; delete errs.name; delete errs.title; }
    return Object.keys(errs).length ? null : api.url('/api/staff/import', p);
  }

  async function send(dry) {
    if (!file) return;
    const path = query(dry);
    if (!path) { render(); return root.querySelector('[aria-invalid=true]')?.focus(); }
    const sent = settings(), chosen = file;
    let bytes = dry ? null : last.bytes;
    busy = true;
    render();
    try {
      if (dry) bytes = await file.arrayBuffer();
    } catch (e) {
      busy = false;
      errs.file = () => t('staff.imp.unreadable');
      last = null;
      return render();
    }
    try {
      const reply = await api.call('POST', path, bytes);
      last = { kind: dry ? 'preview' : 'done', reply, sent, file: chosen, bytes };
      if (!dry) last.bankId = await bankId(reply);
    } catch (e) {
      const k = FIELDS[e.field] && (e.field === 'bank' && o.target === 'new' ? 'name' : FIELDS[e.field]);
      if (k) errs[k] = () => errorText(e); // also said next to the setting it names
      if (e.code === 'bad_import') last = { kind: 'bad', reply: e.body, e, sent, file: chosen };
      else if (dry) last = { kind: 'fail', e };
      else last = Object.assign({}, last, { error: e }); // the preview stands: "Import" may be tried again
    }
    busy = false;
    render();
    root.querySelector('.outcome')?.scrollIntoView({ block: 'start' });
  }

  /* The id of the bank imported into, for the link to its questions (the
   * banks are fetched again anyway: one may be new). */
  async function bankId(reply) {
    try {
      banks = await ctx.banks(true);
      const b = banks.find((x) => x.name === reply.bank);
      return reply.bank_id || (b && b.id) || null;
    } catch (e) {
      return reply.bank_id || null;
    }
  }

  async function loadBanks() {
    try {
      banks = await ctx.banks(true);
      if (!banks.length) o.target = 'new';
      if (o.bank && !banks.some((b) => b.name === o.bank)) o.bank = '';
      render();
    } catch (e) {
      last = { kind: 'fail', e };
      render();
    }
  }

  render();
  loadBanks();
  return { render };
}
