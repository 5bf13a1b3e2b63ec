// accounts.test.js — accounts and the security perimeter against the real
// server and database (docs/security.md): no user enumeration, login
// throttling per account and per address, disabling a user or changing
// their password through the admin's users endpoints closes their open
// sockets with 1008, only admins manage users, the accounts CLI refuses
// bad arguments and changes nothing, an old password hash is upgraded at
// login, and the hash-chained audit log records logins, imports and
// publications and names an edited or deleted entry.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {join} from 'node:path';
import * as h from './harness.js';

const ADMIN = 'quantri';
const ADMIN_PW = 'quantri-mat-khau';

let srv;
h.sharedServer(
    (dir) => {
        h.prepareDb(dir);
        const db = join(dir, 'examd.db');
        h.examdCli(db, [
            'user', 'add', '--username', ADMIN, '--name', 'Quản trị hệ thống',
            '--password', ADMIN_PW, '--role', 'admin'
        ]);
        h.examdCli(db, [
            'user', 'add', '--username', 'khoa01', '--name', 'Nguyễn Văn Khóa',
            '--password', 'khoa01-mat-khau'
        ]);
    },
    {}, (s) => { srv = s; });

// Run the CLI on the server's database: { status, stdout, stderr }.
function cli(args, input)
{
    const r = spawnSync(h.EXAMD, [...args, '--db', srv.db ],
                        {encoding : 'utf8', input});
    return {status : r.status, stdout : r.stdout, stderr : r.stderr};
}

// Write to the database behind the server, as an operator (or intruder)
// with the sqlite3 shell would.
function dbWrite(db, sql)
{
    execFileSync('sqlite3', [ db, sql ]);
}

const cookies = {};
async function cookieOf(user, password)
{
    if (!cookies[user]) {
        const r = await h.login(srv, user, password);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        cookies[user] = r.cookie;
    }
    return cookies[user];
}

// A staff request as user (default the admin): { status, body }.
async function api(method, path, body, user = ADMIN)
{
    const headers = {origin : srv.base};
    headers.cookie =
        await cookieOf(user, user === ADMIN ? ADMIN_PW : 'examd-demo');
    if (body !== undefined)
        headers['content-type'] = 'application/json';
    const r = await fetch(`${srv.base}${path}`, {
        method,
        headers,
        body : typeof body === 'string' || Buffer.isBuffer(body)
                   ? body
                   : JSON.stringify(body),
    });
    const text = await r.text();
    let parsed = text;
    try {
        parsed = JSON.parse(text);
    } catch { /* not JSON */
    }
    return {status : r.status, body : parsed};
}

const userId = (name) =>
    h.dbQuery(srv.db, `SELECT id FROM users WHERE username='${name}'`)[0].id;
const session = (cookie) => fetch(`${srv.base}/api/session`, {
                                headers : {cookie}
                            }).then((r) => r.status);

test('unknown user and wrong password get the same answer', async () => {
    const unknown = await h.login(srv, 'khong-co-ai', 'sai-mat-khau');
    const wrong = await h.login(srv, 'ts01', 'sai-mat-khau');
    assert.equal(unknown.status, 401);
    assert.equal(wrong.status, 401);
    assert.deepEqual(unknown.body, wrong.body);
    assert.equal(unknown.body.code, 'bad_credentials');
    assert.equal(unknown.setCookie, '');
    // the failures are in the audit log, with the reason only staff see
    const fails =
        h.dbQuery(srv.db, "SELECT detail FROM audit WHERE action='login.fail'")
            .map((r) => JSON.parse(r.detail));
    assert.ok(fails.some((d) => d.user === 'khong-co-ai' &&
                                d.reason === 'unknown_user'));
    assert.ok(
        fails.some((d) => d.user === 'ts01' && d.reason === 'wrong_password'));
});

test(
    'an account locks after 100 failures: the right password is then refused like an unknown user',
    async () => {
        const refused = (await h.login(srv, 'khong-co-ai', 'x-y-z-w-1')).body;
        for (let i = 0; i < 100; i += 4) {
            const batch = await Promise.all([ 0, 1, 2, 3 ].map(
                () => h.login(srv, 'khoa01', 'sai-mat-khau')));
            for (const r of batch)
                assert.equal(r.status, 401);
        }
        const row = h.dbQuery(
            srv.db,
            "SELECT failed_logins, locked_until_ms FROM users WHERE username='khoa01'")[0];
        assert.equal(row.failed_logins, 100);
        assert.ok(row.locked_until_ms > Date.now(),
                  'the 100th failure locks the account');
        const locked =
            await h.login(srv, 'khoa01', 'khoa01-mat-khau'); // the 101st try
        assert.equal(locked.status, 401);
        assert.deepEqual(locked.body, refused);
        assert.equal(locked.cookie, null);
        // failures while locked do not lengthen the lock
        assert.equal(
            h.dbQuery(
                 srv.db,
                 "SELECT failed_logins FROM users WHERE username='khoa01'")[0]
                .failed_logins,
            100);
        const list = cli([ 'user', 'list' ]);
        assert.match(list.stdout,
                     /\tkhoa01\tNguyễn Văn Khóa\tcandidate\t-\tno\tyes\n/);
        // the admin lifts the lock from the shell; the next login works
        assert.equal(cli([ 'user', 'enable', 'khoa01' ]).status, 0);
        const ok = await h.login(srv, 'khoa01', 'khoa01-mat-khau');
        assert.equal(ok.status, 200, JSON.stringify(ok.body));
    });

test('only an admin may list or change accounts', async () => {
    for (const user of ['giangvien', 'tochuc', 'ts01']) {
        const r = await api('GET', '/api/staff/users', undefined, user);
        assert.equal(r.status, 403, user);
        assert.equal(r.body.code, 'forbidden');
        const p = await api(
            'POST', `/api/staff/users/${userId('ts09')}/disable`, {}, user);
        assert.equal(p.status, 403, user);
    }
    assert.equal(
        h.dbQuery(srv.db, "SELECT disabled FROM users WHERE username='ts09'")[0]
            .disabled,
        0);
    const list = await api('GET', '/api/staff/users');
    assert.equal(list.status, 200);
    const ts01 = list.body.users.find((u) => u.username === 'ts01');
    assert.deepEqual(ts01, {
        id : userId('ts01'),
        username : 'ts01',
        name : 'Nguyễn Văn An',
        role : 'candidate',
        unit : null,
        unit_id : null,
        disabled : false,
        locked : false
    });
});

test(
    'adding an account in the console checks every field; the new account can log in',
    async () => {
        const good = {
            username : 'bi.thu',
            name : 'Bí thư Chi bộ',
            password : 'bi-thu-mat-khau',
            role : 'organiser'
        };
        for (const [field, bad] of [[ 'username', 'có dấu' ], [ 'name', '' ],
                                    [ 'password', 'ngắn' ], [ 'role', 'root' ],
                                    [ 'unit', 999 ]]) {
            const r =
                await api('POST', '/api/staff/users', {...good, [field] : bad});
            assert.equal(r.status, 400, field);
            assert.equal(r.body.field, field);
            assert.match(r.body.message, / \/ /, 'Vietnamese / English');
        }
        assert.equal(
            h.dbQuery(srv.db,
                      "SELECT count(*) n FROM users WHERE username='bi.thu'")[0]
                .n,
            0);
        const r = await api('POST', '/api/staff/users', good);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.id, userId('bi.thu'));
        const again = await api('POST', '/api/staff/users', good);
        assert.equal(again.status, 409);
        assert.equal(again.body.field, 'username');
        assert.equal((await h.login(srv, 'bi.thu', 'bi-thu-mat-khau')).status,
                     200);
        const self =
            await api('POST', `/api/staff/users/${userId(ADMIN)}/disable`, {});
        assert.equal(self.status, 409);
        assert.equal(
            (await api('POST', '/api/staff/users/999999/disable', {})).status,
            404);
    });

test(
    'disabling a user in the console closes their socket with 1008 and ends their session',
    async (t) => {
        const c = await h.openFor(t, srv, 'ts02');
        const other = await h.openFor(t, srv, 'ts04');
        const r =
            await api('POST', `/api/staff/users/${userId('ts02')}/disable`, {});
        assert.equal(r.status, 200, JSON.stringify(r.body));
        const closed = await c.closed;
        assert.equal(closed.code, 1008);
        assert.equal(await session(c.cookie), 401);
        await assert.rejects(h.connect(srv, c.cookie));
        const again = await h.login(srv, 'ts02'); // right password, disabled
        assert.equal(again.status, 401);
        assert.deepEqual(
            again.body, (await h.login(srv, 'khong-co-ai', 'examd-demo')).body);
        // someone else's socket stays open
        const hello = await other.request('hello', {});
        assert.notEqual(hello.type, 'error');
        assert.equal(other.closeInfo, null);
        assert.equal(
            (await api('POST', `/api/staff/users/${userId('ts02')}/enable`, {}))
                .status,
            200);
        assert.equal((await h.login(srv, 'ts02')).status, 200);
    });

test(
    'a new password set in the console closes the sockets; only the new password works',
    async (t) => {
        const c = await h.openFor(t, srv, 'ts03');
        const short =
            await api('POST', `/api/staff/users/${userId('ts03')}/passwd`,
                      {password : 'ngan'});
        assert.equal(short.status, 400);
        assert.equal(short.body.field, 'password');
        assert.equal(c.closeInfo, null, 'a refused change closed nothing');
        const r = await api('POST', `/api/staff/users/${userId('ts03')}/passwd`,
                            {password : 'mat-khau-moi-1'});
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal((await c.closed).code, 1008);
        assert.equal(await session(c.cookie), 401);
        assert.equal((await h.login(srv, 'ts03')).status, 401);
        assert.equal((await h.login(srv, 'ts03', 'mat-khau-moi-1')).status,
                     200);
    });

test('the accounts CLI names every bad argument and changes nothing', () => {
    const before = cli([ 'user', 'list' ]);
    assert.equal(before.status, 0);
    assert.match(before.stdout,
                 /^id\tusername\tname\trole\tunit\tdisabled\tlocked\n/);
    const bad = [
        [
            [ 'user', 'add', '--name', 'A', '--password', 'mat-khau-1' ],
            /--username/
        ],
        [
            [
                'user', 'add', '--username', 'a b', '--name', 'A', '--password',
                'mat-khau-1'
            ],
            /--username/
        ],
        [
            [ 'user', 'add', '--username', 'moi', '--password', 'mat-khau-1' ],
            /--name/
        ],
        [
            [
                'user', 'add', '--username', 'moi', '--name', 'A', '--password',
                'ngan'
            ],
            /--password/
        ],
        [
            [
                'user', 'add', '--username', 'moi', '--name', 'A', '--password',
                'mat-khau-1', '--role', 'root'
            ],
            /--role/
        ],
        [
            [
                'user', 'add', '--username', 'moi', '--name', 'A', '--password',
                'mat-khau-1', '--unit', 'x'
            ],
            /--unit/
        ],
        [
            [
                'user', 'add', '--username', 'moi', '--name', 'A', '--password',
                'mat-khau-1', '--unit', '42'
            ],
            /no such unit/
        ],
        [
            [
                'user', 'add', '--username', 'moi', '--name', 'A', '--password',
                'mat-khau-1', '--colour', 'do'
            ],
            /unknown option --colour/
        ],
        [
            [
                'user', 'add', '--username', 'ts01', '--name', 'A',
                '--password', 'mat-khau-1'
            ],
            /taken/
        ],
        [
            [ 'user', 'passwd', 'khong-co-ai', '--password', 'mat-khau-1' ],
            /no such user/
        ],
        [ [ 'user', 'passwd', 'ts01' ], /--password/],
        [ [ 'user', 'disable' ], /missing USERNAME/],
        [ [ 'user', 'disable', 'ts01', 'ts02' ], /unexpected argument "ts02"/],
        [
            [ 'user', 'remove', 'ts01' ],
            /expected add, list, passwd, disable or enable/
        ],
    ];
    for (const [args, re] of bad) {
        const r = cli(args);
        assert.equal(r.status, 1, args.join(' '));
        assert.match(r.stderr, re, args.join(' '));
        assert.match(r.stderr, / \/ |unknown option/, 'Vietnamese and English');
    }
    assert.equal(cli([ 'user', 'list' ]).stdout, before.stdout,
                 'a refused command changed an account');
    // and the good ones: a password from stdin, disable, enable
    const add = cli(
        [
            'user', 'add', '--username', 'cli.moi', '--name', 'Người dùng mới',
            '--password', '-'
        ],
        'mat-khau-tu-stdin\n');
    assert.equal(add.status, 0, add.stderr);
    assert.match(
        cli([ 'user', 'list' ]).stdout,
        new RegExp(`\\n${
            add.stdout
                .trim()}\\tcli.moi\\tNgười dùng mới\\tcandidate\\t-\\tno\\tno\\n`));
    assert.equal(cli([ 'user', 'disable', 'cli.moi' ]).status, 0);
    assert.match(cli([ 'user', 'list' ]).stdout, /\tcli\.moi\t.*\tyes\tno\n/);
    assert.equal(cli([ 'user', 'enable', 'cli.moi' ]).status, 0);
    assert.equal(cli([
                     'user', 'passwd', 'cli.moi', '--password', 'mat-khau-khac'
                 ]).status,
                 0);
});

test(
    'a disabled account is refused at its next request even when disabled from the shell',
    async () => {
        const l = await h.login(srv, 'ts06');
        assert.equal(await session(l.cookie), 200);
        assert.equal(cli([ 'user', 'disable', 'ts06' ]).status, 0);
        assert.equal(await session(l.cookie), 401);
        await assert.rejects(h.connect(srv, l.cookie));
        assert.equal(cli([ 'user', 'enable', 'ts06' ]).status, 0);
    });

// A hash with weaker limits than examd's, made with libsodium itself.
function weakHash(password)
{
    const py = `import ctypes,sys
s=ctypes.CDLL('libsodium.so.23'); s.sodium_init()
out=ctypes.create_string_buffer(128); p=sys.argv[1].encode()
assert s.crypto_pwhash_str(out,p,ctypes.c_ulonglong(len(p)),ctypes.c_ulonglong(2),ctypes.c_size_t(8<<20))==0
print(out.value.decode())`;
    try {
        return execFileSync('python3', [ '-c', py, password ],
                            {encoding : 'utf8'})
            .trim();
    } catch {
        return null;
    }
}

test('a hash made with weaker limits is upgraded at the next login', async (
                                                                         t) => {
    const weak = weakHash('examd-demo');
    if (!weak) {
        t.skip('python3 with libsodium is not available');
        return;
    }
    assert.match(weak, /m=8192,t=2/);
    dbWrite(srv.db, `UPDATE users SET pw_hash='${weak}' WHERE username='ts07'`);
    const r = await h.login(srv, 'ts07');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const now =
        h.dbQuery(srv.db, "SELECT pw_hash FROM users WHERE username='ts07'")[0]
            .pw_hash;
    assert.match(now, /^\$argon2id\$v=19\$m=32768,t=3,p=1\$/);
    const entry = h.dbQuery(
        srv.db,
        "SELECT detail FROM audit WHERE action='login' ORDER BY id DESC LIMIT 1")[0];
    assert.deepEqual(JSON.parse(entry.detail),
                     {rehashed : true, user : 'ts07'});
    assert.equal((await h.login(srv, 'ts07')).status, 200);
});

test(
    'the audit log records logins, imports and publications; verify names an edited and a deleted entry',
    async () => {
        await cookieOf('giangvien', 'examd-demo');
        const gift =
            '::a1:: Đảng Cộng sản Việt Nam được thành lập năm nào? {=1930 ~1945 ~1954 ~1975}\n';
        const imp =
            await api('POST', '/api/staff/import?bank=audit-test&title=Audit',
                      Buffer.from(gift), 'giangvien');
        assert.equal(imp.status, 200, JSON.stringify(imp.body));
        const dry = await api(
            'POST', '/api/staff/import?bank=audit-dry&title=Dry&dry_run=1',
            Buffer.from(gift), 'giangvien');
        assert.equal(dry.status, 200);
        const pub = await api('POST', '/api/staff/exams', {
            title : 'Đề kiểm toán',
            bank : imp.body.bank_id,
            duration_s : 60,
            blueprint : [ {count : 1} ]
        },
                              'giangvien');
        assert.equal(pub.status, 200, JSON.stringify(pub.body));
        const rows = h.dbQuery(
            srv.db,
            'SELECT id, actor_id, ip, action, detail FROM audit ORDER BY id');
        const gv = userId('giangvien');
        const login =
            rows.find((r) => r.action === 'login' &&
                             JSON.parse(r.detail).user === 'giangvien');
        assert.equal(login.actor_id, gv);
        assert.ok(login.ip.includes('127.0.0.1'), login.ip);
        const im =
            rows.filter((r) => r.action === 'bank.import' && r.actor_id === gv);
        assert.equal(im.length, 1,
                     'the import is recorded once, the dry run not at all');
        assert.equal(JSON.parse(im[0].detail).bank, 'audit-test');
        const ex =
            rows.find((r) => r.action === 'exam.publish' && r.actor_id === gv);
        assert.equal(JSON.parse(ex.detail).id, pub.body.id);
        assert.ok(rows.some((r) => r.action === 'user.disable'),
                  'account changes are recorded');

        const ok = cli([ 'audit', 'verify' ]);
        assert.equal(ok.status, 0, ok.stderr);
        assert.match(
            ok.stdout,
            new RegExp(`^ok: ${rows.length} entries, head [0-9a-f]{64}\\n$`));
        const list = cli([ 'audit', 'list', '--limit', '2' ]);
        assert.equal(list.stdout.trim().split('\n').length, 2);
        assert.match(list.stdout, /\tgiangvien\t.*\texam\.publish\t/);

        // tamper with copies, so the live log stays whole
        const edited = join(srv.dir, 'edited.db');
        execFileSync('sqlite3', [ srv.db, `.backup ${edited}` ]);
        dbWrite(
            edited,
            `UPDATE audit SET detail=replace(detail, 'audit-test', 'other') WHERE id=${
                im[0].id}`);
        const e = spawnSync(h.EXAMD, [ 'audit', 'verify', '--db', edited ],
                            {encoding : 'utf8'});
        assert.equal(e.status, 1);
        assert.match(e.stderr, new RegExp(`entry ${im[0].id} was edited`));
        const deleted = join(srv.dir, 'deleted.db');
        execFileSync('sqlite3', [ srv.db, `.backup ${deleted}` ]);
        dbWrite(deleted, `DELETE FROM audit WHERE id=${login.id}`);
        const d = spawnSync(h.EXAMD, [ 'audit', 'verify', '--db', deleted ],
                            {encoding : 'utf8'});
        assert.equal(d.status, 1);
        assert.match(d.stderr,
                     new RegExp(`entries ${login.id}\\.\\.${
                         login.id} are missing \\(deleted\\) before entry ${
                         login.id + 1}`));
        assert.match(cli([ 'audit', 'bogus' ]).stdout,
                     /usage: examd audit verify/);
        assert.match(cli([ 'audit', 'list', '--limit', '-1' ]).stderr,
                     /--limit/);
    });

// Last: it locks this address, then unlocks it.
test('an address locks after 1000 failures in 15 minutes, for every account',
     async () => {
         await h.login(srv, 'khong-co-ai', 'sai-mat-khau');
         const ip = h.dbQuery(srv.db, 'SELECT ip FROM login_failures')[0].ip;
         dbWrite(srv.db,
                 `UPDATE login_failures SET failures=999 WHERE ip='${ip}'`);
         const fail = await h.login(srv, 'ts08', 'sai-mat-khau'); // the 1000th
         assert.equal(fail.status, 401);
         const row = h.dbQuery(
             srv.db,
             `SELECT failures, locked_until_ms FROM login_failures WHERE ip='${
                 ip}'`)[0];
         assert.equal(row.failures, 1000);
         assert.ok(row.locked_until_ms > Date.now());
         const right =
             await h.login(srv, 'ts08'); // right password, locked address
         assert.equal(right.status, 401);
         assert.deepEqual(right.body, fail.body);
         assert.equal(
             h.dbQuery(
                  srv.db,
                  "SELECT failed_logins FROM users WHERE username='ts08'")[0]
                 .failed_logins,
             1);
         dbWrite(srv.db, `DELETE FROM login_failures WHERE ip='${ip}'`);
         assert.equal((await h.login(srv, 'ts08')).status, 200);
     });
