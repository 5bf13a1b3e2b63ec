// predict.js — the prediction question on the paper of a contest round
// that asks it (docs/protocol.md §2.5a). Loaded by paper.js only for such
// a paper, so the candidate app's first load does not grow. The card keeps
// the last value the server confirmed (the paper's prediction.value) and
// sends `predict`; the last one entered in the round counts.
import { t, extend } from './i18n.js';
import { h, fill } from './ui.js';
import texts from '../i18n/contest.js';

extend(texts);

/* The card for paper p (a DOM element reused across the paper's renders). */
export function card(ctx, p) {
  let saved = p.prediction.value;
  const box = h('section', { class: 'card login', testid: 'prediction' });
  const input = h('input', { type: 'number', min: '0', step: '1', inputmode: 'numeric',
    id: 'prediction', testid: 'prediction-input', value: saved ?? '' });
  const note = h('p', { class: 'hint', role: 'status', testid: 'prediction-state' });
  const say = (text, cls) => { note.textContent = text; note.className = 'hint ' + (cls || ''); };
  const save = async () => {
    const v = input.value.trim();
    if (!/^\d{1,9}$/.test(v)) return say(t('predict.bad'), 'err');
    try {
      const r = await ctx.request({ type: 'predict', attempt: p.attempt, prediction: Number(v) });
      saved = r.prediction;
      say(t('predict.saved', { n: saved }), 'ok');
    } catch (e) {
      say(t('predict.failed'), 'err');
    }
  };
  fill(box, h('h2', {}, t('predict.title')),
    h('label', { for: 'prediction' }, t('predict.label')),
    h('div', { class: 'row' }, input,
      h('button', { class: 'btn', type: 'button', testid: 'prediction-save', onclick: save }, t('predict.save'))),
    h('p', { class: 'hint' }, t('predict.hint')), note);
  say(saved == null ? t('predict.none') : t('predict.saved', { n: saved }));
  return box;
}
