// api.js — the staff HTTP API (docs/staff-api.md) for the console's
// screens. Every call resolves with the reply's body when it says ok, and
// otherwise rejects with an ApiError, so a screen has one failure path:
// show errorText(e) (next to e.field when there is one) and keep its form.
// A 401 also tells main (onLogout) that the session is gone.

export class ApiError extends Error {
  /* code: the server's stable code, or 'network' / 'bad_reply' from here;
   * status: HTTP status (0 on network failure); body: the reply, {} if none. */
  constructor(code, status, body) {
    super(code);
    this.code = code;
    this.status = status;
    this.body = body || {};
    this.field = this.body.field || null;
  }
}

let lost = () => {};

/* fn() runs when a request finds the session gone (401). */
export function onLogout(fn) { lost = fn; }

/* One request. body: a plain object (sent as JSON), a Blob / File /
 * ArrayBuffer (sent as raw bytes), or undefined. */
export async function call(method, path, body) {
  const init = { method, cache: 'no-store', headers: {} };
  if (body instanceof Blob || body instanceof ArrayBuffer) {
    init.headers['Content-Type'] = 'application/octet-stream';
    init.body = body;
  } else if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let r;
  try {
    r = await fetch(path, init);
  } catch (e) {
    throw new ApiError('network', 0);
  }
  const reply = await r.json().catch(() => null);
  if (r.ok && reply && reply.ok) return reply;
  if (r.status === 401 && path !== '/api/login') lost();
  throw new ApiError((reply && reply.code) || (r.status === 401 ? 'not_authenticated' : 'bad_reply'), r.status, reply);
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body === undefined ? {} : body);

/* "/api/staff/questions" + {bank: 1, q: ''} -> "...?bank=1" (empty and null
 * values left out). */
export function url(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== '' && v != null) q.set(k, String(v));
  const s = q.toString();
  return s ? path + '?' + s : path;
}
