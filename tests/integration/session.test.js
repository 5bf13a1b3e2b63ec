// session.test.js — session tokens expire and are stored only as hashes:
// an expired session is refused at /api/session and at the WebSocket
// upgrade; the database holds the token's hash, never the token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as h from './harness.js';

let srv;
h.sharedServer((dir) => h.prepareDb(dir), {}, (s) => { srv = s; });

const session = (cookie) => fetch(`${srv.base}/api/session`, { headers: { cookie } });

test('an expired session is refused everywhere; a fresh login works again', async () => {
  const l = await h.login(srv, 'ts06');
  assert.equal((await session(l.cookie)).status, 200);
  const c = await h.connect(srv, l.cookie);
  c.kill();
  // expire it: the server reads expiry from the database at every check
  const hex = l.cookie.split('=')[1];
  const rows = h.dbQuery(srv.db, "SELECT hex(token_hash) AS th, expires_ms FROM sessions");
  assert.ok(rows.length >= 1);
  assert.ok(!rows.some((r) => r.th.toLowerCase() === hex), 'a token stored in plain');
  h.dbExec(srv.db, `UPDATE sessions SET expires_ms = 1 WHERE user_id = (SELECT id FROM users WHERE username = 'ts06')`);
  assert.equal((await session(l.cookie)).status, 401);
  await assert.rejects(h.connect(srv, l.cookie));
  const again = await h.login(srv, 'ts06');
  assert.equal((await session(again.cookie)).status, 200);
});

test('no file in the data directory holds a session token', async () => {
  const l = await h.login(srv, 'ts07');
  const hex = l.cookie.split('=')[1];
  for (const f of readdirSync(srv.dir)) {
    const b = readFileSync(join(srv.dir, f));
    assert.ok(!b.includes(Buffer.from(hex)), `${f} holds the token as text`);
    assert.ok(!b.includes(Buffer.from(hex, 'hex')), `${f} holds the token's bytes`);
  }
});
