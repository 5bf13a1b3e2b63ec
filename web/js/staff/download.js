// download.js — download buttons for an exam's exports (docs/exports.md),
// for any screen that shows an exam: downloadButtons(examId, kind) gives
// CSV / XLSX / JSON buttons and a "signed" box. The file is fetched with a
// streamed body so that a progress bar (bytes received of Content-Length)
// can appear when the download takes more than a second, then saved
// through a Blob link. A signed export arrives as a JSON envelope
// ({name, type, data (base64), sig_name, sig}); both files are saved.
import { t } from '../i18n.js';
import { h } from '../ui.js';
import { ApiError } from './api.js';
import { errorText } from './common.js';

export const KINDS = ['roster', 'results', 'stats'];
export const FORMATS = ['csv', 'xlsx', 'json'];
const SLOW_MS = 1000; // the progress bar appears after this

/* The export's URL. opts: {format, sign, cls} */
export function exportUrl(examId, kind, { format = 'csv', sign = false, cls = 0 } = {}) {
  const q = new URLSearchParams({ format });
  if (cls) q.set('class', String(cls));
  if (sign) q.set('sign', '1');
  return `/api/staff/exams/${examId}/export/${kind}?${q}`;
}

/* The file name a Content-Disposition names (filename* first). */
export function dispositionName(cd, fallback) {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd || '');
  if (star) {
    try { return decodeURIComponent(star[1]); } catch (e) { /* the plain one */ }
  }
  const plain = /filename="([^"]+)"/i.exec(cd || '');
  return plain ? plain[1] : fallback;
}

/* GET url with progress: onProgress(received, total or 0) as bytes come.
 * Resolves {blob, name, type}; rejects with an ApiError. */
export async function fetchFile(url, onProgress = () => {}) {
  let r;
  try {
    r = await fetch(url, { cache: 'no-store' });
  } catch (e) {
    throw new ApiError('network', 0);
  }
  if (!r.ok) {
    const body = await r.json().catch(() => null);
    throw new ApiError((body && body.code) || 'bad_reply', r.status, body);
  }
  const total = Number(r.headers.get('content-length')) || 0;
  const parts = [];
  let got = 0;
  const reader = r.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    got += value.length;
    onProgress(got, total);
  }
  const type = r.headers.get('content-type') || 'application/octet-stream';
  return { blob: new Blob(parts, { type }), type, name: dispositionName(r.headers.get('content-disposition'), 'export') };
}

/* Hand blob to the browser as a download named name. */
export function saveBlob(blob, name) {
  const a = h('a', { href: URL.createObjectURL(blob), download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

/* The files of a signed envelope: [{blob, name}, {blob, name}]. */
export function envelopeFiles(env) {
  const bin = atob(env.data);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return [{ blob: new Blob([bytes], { type: env.type }), name: env.name },
    { blob: new Blob([env.sig], { type: 'text/plain' }), name: env.sig_name }];
}

/* The buttons for one export kind of examId. opts: {cls} */
export function downloadButtons(examId, kind, opts = {}) {
  const id = `dl-${kind}-${examId}`;
  const sign = h('input', { type: 'checkbox', id: id + '-sign', testid: 'dl-sign' });
  const bar = h('progress', { max: 100, value: 0 });
  const pct = h('span', { class: 'dl-pct' });
  const progress = h('span', { class: 'dl-progress', hidden: true, testid: 'dl-progress', role: 'status' },
    t('staff.dl.loading'), ' ', bar, ' ', pct);
  const err = h('span', { class: 'dl-error', role: 'alert', testid: 'dl-error' });
  const buttons = FORMATS.map((f) => h('button', { class: 'btn small', type: 'button', testid: 'dl-' + f,
    onclick: () => go(f) }, f.toUpperCase()));

  async function go(format) {
    const signed = sign.checked;
    err.textContent = '';
    for (const b of buttons) b.disabled = true;
    const slow = setTimeout(() => { progress.hidden = false; }, SLOW_MS);
    try {
      const file = await fetchFile(exportUrl(examId, kind, { format, sign: signed, cls: opts.cls }), (got, total) => {
        if (total) {
          bar.value = Math.round((100 * got) / total);
          pct.textContent = `${bar.value} %`;
        } else {
          bar.removeAttribute('value');
          pct.textContent = `${Math.round(got / 1024)} KB`;
        }
      });
      if (signed) {
        for (const f of envelopeFiles(JSON.parse(await file.blob.text()))) saveBlob(f.blob, f.name);
      } else {
        saveBlob(file.blob, file.name);
      }
    } catch (e) {
      err.textContent = errorText(e);
    } finally {
      clearTimeout(slow);
      progress.hidden = true;
      for (const b of buttons) b.disabled = false;
    }
  }

  return h('div', { class: 'dl', testid: id },
    h('span', { class: 'dl-kind' }, t('staff.dl.kind.' + kind)), ' ', buttons, ' ',
    h('label', { class: 'dl-signed', for: id + '-sign' }, sign, ' ', t('staff.dl.signed')), ' ', progress, err);
}
