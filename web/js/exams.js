// exams.js — the exam list with each exam's rules and a start / resume
// button. Data: ctx.exams from hello, refreshed on mount (unless main just
// did), on reconnect, and when a push closes or re-opens an attempt.
import { t, num, clock } from './i18n.js';
import { h, fill } from './ui.js';

export function mount(root, ctx, arg) {
  let busy = false;
  const refresh = () => ctx.hello().then(render, () => {});

  function render() {
    fill(root, h('h1', {}, t('exams.title')),
      ctx.user && h('p', { class: 'muted' }, t('exams.hello', { name: ctx.user.name || ctx.user.username })),
      ctx.exams.length ? ctx.exams.map(card) : h('p', {}, t('exams.none')));
  }

  const rule = (label, value) => [h('dt', {}, t(label)), h('dd', {}, value)];

  function card(e) {
    const r = e.running, last = e.last_result;
    const why = e.restricted ? 'err.forbidden_network' : r ? null : !e.open ? 'exam.closed'
      : e.attempts_used >= e.attempts_allowed ? 'exam.noLeft' : null;
    return h('section', { class: 'card', testid: 'exam-' + e.id },
      h('h2', {}, e.title),
      e.description && h('p', { class: 'muted' }, e.description),
      h('dl', { class: 'rules' },
        rule('rule.questions', e.questions),
        rule('rule.duration', t('rule.minutes', { n: num(e.duration_s / 60) })),
        rule('rule.attempts', e.attempts_used + '/' + e.attempts_allowed),
        rule('rule.review', t('review.' + e.review)),
        last && rule('rule.last', t('rule.lastValue', { score: num(last.score), correct: last.correct, total: last.total }))),
      r && h('p', { class: 'msg warn' }, t('exam.running', { time: clock(r.left_ms) })),
      why && h('p', { class: 'msg', testid: 'exam-reason' }, t(why)),
      h('div', { class: 'row' },
        last && h('button', { class: 'btn', onclick: () => ctx.go('result', { attempt: last.attempt }) }, t('exam.viewResult')),
        h('button', { class: 'btn primary', testid: 'exam-start', 'data-exam': e.id, disabled: busy || !!why,
          onclick: () => start(e) }, t(r ? 'exam.resume' : 'exam.start'))));
  }

  async function start(e) {
    busy = true;
    render();
    try {
      ctx.go('paper', { exam: e.id, paper: await ctx.request({ type: 'start', exam: e.id }) });
    } catch (err) {
      busy = false;
      ctx.toastError(err);
      render();
      refresh();
    }
  }

  render();
  if (!arg.fresh) refresh();
  return { render, onHello: render, onPush: (m) => /^re(sult|opened)$/.test(m.type) && refresh() };
}
