// ui.js — DOM helpers for the screens: element builder, toast, modal.
// Listeners go through addEventListener: the CSP forbids inline handlers.
import { t } from './i18n.js';

/* h(tag, props, ...children). Props: class, testid (data-testid), on<event>,
 * DOM properties (disabled, checked...), else attributes; null/false skipped. */
export function h(tag, props, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'testid') el.dataset.testid = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k in el && !k.includes('-')) el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of kids.flat()) if (c != null && c !== false) el.append(c);
  return el;
}

export function fill(root, ...nodes) {
  root.textContent = '';
  for (const n of nodes.flat()) if (n) root.append(n);
}

export function toast(text) {
  const box = document.getElementById('toasts');
  const el = h('div', { class: 'toast', role: 'alert' }, text);
  box.append(el);
  if (box.children.length > 3) box.firstChild.remove();
  setTimeout(() => el.remove(), 5000);
}

let open = null; // the modal on screen: {bg, done}

/* Resolves true when OK (data-testid okTestid) is pressed, false on cancel,
 * Esc or closeModal(). */
export function modal({ title, lines, ok, cancel, okTestid }) {
  closeModal();
  return new Promise((resolve) => {
    const done = (v) => { if (open && open.bg === bg) { open = null; bg.remove(); resolve(v); } };
    const no = h('button', { class: 'btn', type: 'button', onclick: () => done(false) }, cancel || t('cancel'));
    const bg = h('div', { class: 'modal-bg', onkeydown: (e) => { if (e.key === 'Escape') done(false); } },
      h('div', { class: 'modal', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'mt' },
        h('h2', { id: 'mt' }, title), lines.map((l) => h('p', {}, l)),
        h('div', { class: 'row' }, no,
          h('button', { class: 'btn primary', type: 'button', testid: okTestid, onclick: () => done(true) }, ok))));
    open = { bg, done };
    document.body.append(bg);
    no.focus();
  });
}

export function closeModal() { if (open) open.done(false); }
