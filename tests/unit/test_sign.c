/*
 * test_sign.c — the signing key files and signature files: created once
 * with the right modes, loaded again the same; sign then verify; a
 * flipped byte, a wrong key and a malformed file all fail.
 */
#include "check.h"
#include "err.h"
#include "sign.h"

#include <sodium.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/test_sign-XXXXXX";

static void test_keys(struct sign_key *k)
{
    char db[200], sk[300], pk[300], msg[300];
    snprintf(db, sizeof db, "%s/examd.db", dir);
    sign_key_paths(db, sk, pk, sizeof sk);
    CHECK(strstr(sk, "/signing.key") && strstr(pk, "/signing.pub"));
    CHECK_EQ_INT(sign_key_load(sk, pk, k, msg, sizeof msg), 0);
    struct stat st;
    CHECK(stat(sk, &st) == 0 && (st.st_mode & 0777) == 0600 &&
          st.st_size == 32);
    CHECK(stat(pk, &st) == 0 && (st.st_mode & 0777) == 0644);
    /* a second load finds the same key; a lost .pub is written again */
    struct sign_key k2;
    unlink(pk);
    CHECK_EQ_INT(sign_key_load(sk, pk, &k2, msg, sizeof msg), 0);
    CHECK(!memcmp(k->pk, k2.pk, SIGN_PK_BYTES));
    CHECK(!memcmp(k->sk, k2.sk, SIGN_SK_BYTES));
    uint8_t p[SIGN_PK_BYTES];
    CHECK_EQ_INT(sign_pk_read(pk, p), 0); /* a file name */
    CHECK(!memcmp(p, k->pk, SIGN_PK_BYTES));
    char b64[SIGN_PK_B64];
    sign_pk_b64(k->pk, b64);
    CHECK_EQ_INT(strlen(b64), 44);
    CHECK_EQ_INT(sign_pk_read(b64, p), 0); /* the key itself */
    CHECK(!memcmp(p, k->pk, SIGN_PK_BYTES));
    CHECK_EQ_INT(sign_pk_read("not a key", p), EXAMD_EINVAL);
    sign_key_wipe(&k2);
    /* a key file of the wrong size is refused, not replaced */
    FILE *f = fopen(sk, "ab");
    fputc('x', f);
    fclose(f);
    CHECK_EQ_INT(sign_key_load(sk, pk, &k2, msg, sizeof msg), EXAMD_EINVAL);
    CHECK_STR_HAS(msg, "not a signing key");
    unlink(sk);
    unlink(pk);
}

static void test_sign_verify(const struct sign_key *k)
{
    char data[] = "Họ và tên,Điểm\r\nNguyễn Thị Hồng Nhung,8.75\r\n";
    size_t len = strlen(data);
    char *text = sign_file_make(k, data, len, "roster\n-1.csv", 1763769600000);
    CHECK(text && !strncmp(text, "examd-signature/1\n", 18));
    CHECK_STR_HAS(text, "\nfile: roster\nsize: ");
    CHECK_STR_HAS(text, "signed: 2025-11-22T00:00:00Z\n");
    char fp[SIGN_FP_LEN];
    sign_fingerprint(k->pk, fp);
    CHECK_EQ_INT(strlen(fp), 19);
    CHECK_STR_HAS(text, fp);
    uint8_t pk[SIGN_PK_BYTES], sig[SIGN_SIG_BYTES];
    CHECK_EQ_INT(sign_file_parse(text, strlen(text), pk, sig), 0);
    CHECK(!memcmp(pk, k->pk, SIGN_PK_BYTES));
    CHECK(sign_verify(pk, sig, data, len));
    data[20] ^= 1; /* a changed byte */
    CHECK(!sign_verify(pk, sig, data, len));
    data[20] ^= 1;
    CHECK(!sign_verify(pk, sig, data, len - 1)); /* a cut file */
    uint8_t other[SIGN_PK_BYTES], osk[SIGN_SK_BYTES];
    crypto_sign_keypair(other, osk);
    CHECK(!sign_verify(other, sig, data, len)); /* a wrong key */
    /* malformed signature files */
    CHECK_EQ_INT(sign_file_parse("hello\n", 6, pk, sig), EXAMD_EINVAL);
    char *cut = strdup(text);
    *strstr(cut, "sig: ") = '\0';
    CHECK_EQ_INT(sign_file_parse(cut, strlen(cut), pk, sig), EXAMD_EINVAL);
    free(cut);
    free(text);
}

int main(void)
{
    if (sodium_init() < 0 || !mkdtemp(dir))
        return 2;
    struct sign_key k;
    test_keys(&k);
    test_sign_verify(&k);
    sign_key_wipe(&k);
    rmdir(dir);
    return check_done("test_sign");
}
