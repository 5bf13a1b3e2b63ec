// review.js — one candidate's attempt as they sat it (#attempts/ID/review;
// docs/scores.md): each question in their order with the options in their
// order, their final choice and the key marked, the mark earned; then
// every change they made (the append-only answer log, server times) and
// the connection events (connect, disconnect, re-open with its reason).
import { t, num, lang } from '../i18n.js';
import { h, fill } from '../ui.js';
import { note, table, badge, fetchInto } from './common.js';
import { duration, score2 } from './results.js';

const letter = (i) => String.fromCharCode(65 + i); // 0 -> "A"

/* epoch ms -> "21:30:05.250 21/11/2026": changes come seconds apart. */
function stamp(ms) {
  const d = new Date(ms), loc = lang() === 'vi' ? 'vi-VN' : 'en-GB';
  return d.toLocaleTimeString(loc, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }) + '.'
    + String(d.getMilliseconds()).padStart(3, '0') + ' ' + d.toLocaleDateString(loc);
}

export function mount(root, ctx, arg) {
  let data = null, loadErr = null;

  function header(a) {
    const done = a.state === 'submitted';
    return h('div', { class: 'panel', testid: 'rv-head' },
      h('p', {}, h('strong', { testid: 'rv-name' }, a.user.name), ' (', a.user.login, ') — ',
        t('staff.rv.attemptN', { n: a.n })),
      h('p', {}, t('staff.rv.started', { at: stamp(a.started_ms) }),
        done ? ' — ' + t('staff.rv.submitted', { at: stamp(a.submitted_ms), took: duration(a.taken_ms) })
          : ' — ' + t('staff.rv.running')),
      done && h('p', { testid: 'rv-score' }, t('staff.rv.score', { score: score2(a.rounded_centi / 100),
        raw: score2(a.score_centi / 100), correct: a.correct, total: a.total }), ' ',
      badge(lang() === 'en' ? a.classification_en : a.classification, a.passed ? 'ok' : 'err')));
  }

  function question(q) {
    const chosen = new Set(q.choice), key = new Set(q.key);
    return h('li', { class: 'rv-q', testid: 'rv-q-' + q.index },
      h('div', { class: 'qtext' }, q.text, ' ',
        q.right ? badge(t('staff.rv.right'), 'ok') : q.answered ? badge(t('staff.rv.wrong'), 'err')
          : badge(t('staff.rv.blank'), 'warn'),
        q.flagged && badge(t('staff.rv.flagged'), 'info'),
        h('span', { class: 'muted small' }, ' ' + t('staff.rv.earned', { n: num(Math.round(q.earned * 100) / 100), of: q.points }))),
      h('ol', { class: 'opts', type: 'A' }, q.options.map((o, i) => h('li', {
        class: [key.has(i) ? 'key' : '', chosen.has(i) ? 'chosen' : ''].join(' ').trim(),
        testid: chosen.has(i) ? 'rv-chosen' : null },
      key.has(i) && h('span', { class: 'tick', 'aria-hidden': 'true' }, '✓ '),
      key.has(i) && h('span', { class: 'sr' }, t('staff.q.correct') + ': '),
      o,
      chosen.has(i) && h('span', { class: 'badge info' }, t('staff.rv.theirs'))))));
  }

  function history(list) {
    if (!list.length) return h('p', { class: 'muted' }, t('staff.rv.noHistory'));
    return table(['#', t('staff.rv.time'), t('staff.rv.question'), t('staff.rv.choice'), t('staff.rv.flag')],
      list.map((x) => h('tr', { testid: 'rv-hist' },
        h('td', { class: 'num' }, String(x.seq)), h('td', {}, stamp(x.server_ms)),
        h('td', { class: 'num' }, String(x.q)),
        h('td', {}, x.choice.length ? x.choice.map(letter).join(', ') : t('staff.rv.cleared')),
        h('td', {}, x.flagged ? '⚑' : ''))), { testid: 'rv-history' });
  }

  function events(list) {
    if (!list.length) return h('p', { class: 'muted' }, t('staff.rv.noEvents'));
    return table([t('staff.rv.time'), t('staff.rv.event'), t('staff.rv.detail')],
      list.map((e) => h('tr', { testid: 'rv-event-' + e.kind },
        h('td', {}, stamp(e.server_ms)), h('td', {}, t('staff.rv.ev.' + e.kind)),
        h('td', {}, e.kind === 'reopen' ? t('staff.rv.by', { who: e.actor, why: e.detail }) : e.detail))),
    { testid: 'rv-events' });
  }

  function render() {
    fill(root, h('div', { class: 'titlebar' }, h('h1', {}, t('staff.rv.title')),
      data && h('a', { class: 'btn', href: `#exams/${data.attempt.exam}/results`, testid: 'rv-back' }, t('staff.rv.back'))),
    loadErr && note('err', loadErr(), 'rv-load-error'),
    !data && !loadErr && h('p', { class: 'muted' }, t('staff.loading')),
    data && header(data.attempt),
    data && h('h2', {}, t('staff.rv.paper')),
    data && h('ol', { class: 'rv-paper', testid: 'rv-paper' }, data.questions.map(question)),
    data && h('h2', {}, t('staff.rv.history', { n: data.history.length })),
    data && history(data.history),
    data && h('h2', {}, t('staff.rv.events')),
    data && events(data.events));
  }

  render();
  fetchInto(`/api/staff/attempts/${arg.id}/review`, (r) => { data = r; }, (e) => { loadErr = e; }, render);
  return { render };
}
