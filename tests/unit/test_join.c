/* test_join.c — join codes (join.h): the format and its entropy, reading
 * a code back as typed, the keyed hash, names, phones and the login a
 * participant gets, against simple reference rules. */
#include "check.h"
#include "err.h"
#include "join.h"
#include "runtime.h"

#include <sodium.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static void test_format(void)
{
    int seen[32] = {0};
    char prev[JOIN_CODE_TEXT] = "";
    for (int i = 0; i < 2000; i++) {
        char c[JOIN_CODE_TEXT], canon[JOIN_CODE_LEN + 1];
        join_code_new(c);
        CHECK_EQ_INT(strlen(c), 19);
        CHECK(c[4] == '-' && c[9] == '-' && c[14] == '-');
        CHECK(join_code_normalize(c, canon) == 0);
        CHECK_EQ_INT(strlen(canon), JOIN_CODE_LEN);
        for (int k = 0; k < JOIN_CODE_LEN; k++) {
            const char *at = strchr(alphabet, canon[k]);
            CHECK(at != NULL);
            if (at)
                seen[at - alphabet]++;
        }
        CHECK(strcmp(c, prev) != 0);
        memcpy(prev, c, sizeof c);
    }
    /* 32 000 symbols: every one of the 32 appears (1000 expected each) */
    for (int k = 0; k < 32; k++)
        CHECK(seen[k] > 800 && seen[k] < 1200);
    CHECK(JOIN_CODE_LEN * 5 >= 80);
}

static void test_normalize(void)
{
    char out[JOIN_CODE_LEN + 1];
    CHECK(join_code_normalize("k7qm-4tzp-9xwa-r2hd", out) == 0);
    CHECK(!strcmp(out, "K7QM4TZP9XWAR2HD"));
    CHECK(join_code_normalize(" K7QM 4TZP 9XWA R2HD ", out) == 0);
    CHECK(!strcmp(out, "K7QM4TZP9XWAR2HD"));
    /* look-alikes as Crockford reads them */
    CHECK(join_code_normalize("OIL0-0000-0000-0000", out) == 0);
    CHECK(!strcmp(out, "0110000000000000"));
    CHECK(join_code_normalize("K7QM-4TZP-9XWA-R2H", out) == EXAMD_EINVAL);
    CHECK(join_code_normalize("K7QM-4TZP-9XWA-R2HDD", out) == EXAMD_EINVAL);
    CHECK(join_code_normalize("K7QM-4TZP-9XWA-R2HU", out) == EXAMD_EINVAL);
    CHECK(join_code_normalize("K7QM_4TZP_9XWA_R2HD", out) == EXAMD_EINVAL);
    CHECK(join_code_normalize("", out) == EXAMD_EINVAL);
    CHECK(join_code_normalize(NULL, out) == EXAMD_EINVAL);
}

static void test_hash(void)
{
    uint8_t k1[JOIN_KEY_BYTES], k2[JOIN_KEY_BYTES];
    uint8_t a[JOIN_HASH_BYTES], b[JOIN_HASH_BYTES], c[JOIN_HASH_BYTES];
    char tag[JOIN_TAG_HEX];
    randombytes_buf(k1, sizeof k1);
    randombytes_buf(k2, sizeof k2);
    join_code_hash(k1, "K7QM4TZP9XWAR2HD", a);
    join_code_hash(k1, "K7QM4TZP9XWAR2HD", b);
    join_code_hash(k2, "K7QM4TZP9XWAR2HD", c);
    CHECK(!memcmp(a, b, sizeof a));
    CHECK(memcmp(a, c, sizeof a) != 0); /* keyed: another server differs */
    join_code_hash(k1, "K7QM4TZP9XWAR2HE", b);
    CHECK(memcmp(a, b, sizeof a) != 0);
    join_code_tag(a, tag);
    CHECK_EQ_INT(strlen(tag), 16);
}

static void test_fields(void)
{
    bool oom;
    char *n = join_name_clean("  Nguyễn   Văn\tAn ", &oom);
    CHECK(n && !strcmp(n, "Nguyễn Văn An"));
    free(n);
    CHECK(join_name_clean("   ", &oom) == NULL && !oom);
    CHECK(join_name_clean("An\x01", &oom) == NULL);
    CHECK(join_name_clean("\xc3\x28", &oom) == NULL);
    CHECK(join_name_clean(NULL, &oom) == NULL);
    char big[200];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    CHECK(join_name_clean(big, &oom) == NULL);

    char p[11];
    CHECK(join_phone_parse("0912 345 678", p) == 0 && !strcmp(p, "0912345678"));
    CHECK(join_phone_parse("0912.345.678", p) == 0);
    CHECK(join_phone_parse("+84912345678", p) == 0 && !strcmp(p, "0912345678"));
    CHECK(join_phone_parse("84912345678", p) == 0 && !strcmp(p, "0912345678"));
    CHECK(join_phone_parse("091234567", p) == EXAMD_EINVAL);
    CHECK(join_phone_parse("09123456789", p) == EXAMD_EINVAL);
    CHECK(join_phone_parse("1912345678", p) == EXAMD_EINVAL);
    CHECK(join_phone_parse("09123a5678", p) == EXAMD_EINVAL);
    CHECK(join_phone_parse("+840912345678", p) == EXAMD_EINVAL);
}

static void test_username(void)
{
    uint8_t k[JOIN_KEY_BYTES];
    char a[JOIN_USERNAME_MAX], b[JOIN_USERNAME_MAX];
    randombytes_buf(k, sizeof k);
    CHECK(join_username(k, 1, "nguyen van an", "1990-09-02", a) == 0);
    CHECK(!strncmp(a, "nguyenvanan.", 12) && strlen(a) == 22);
    CHECK(join_username(k, 1, "nguyen van an", "1990-09-02", b) == 0);
    CHECK(!strcmp(a, b));
    join_username(k, 2, "nguyen van an", "1990-09-02", b);
    CHECK(strcmp(a, b) != 0);
    join_username(k, 1, "nguyen van an", "1990-09-03", b);
    CHECK(strcmp(a, b) != 0);
    join_username(k, 1, "nguyen van anh", "1990-09-02", b);
    CHECK(strcmp(a, b) != 0);
    join_username(k, 1, "!!!", "1990-09-02", b);
    CHECK(!strncmp(b, "thisinh.", 8));
    CHECK(join_username(k, 1, NULL, "1990-09-02", b) == EXAMD_EINVAL);
}

static void test_key_file(void)
{
    char dir[] = "/tmp/examd-join-XXXXXX", path[64], msg[200];
    uint8_t k1[32], k2[32];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/join.key", dir);
    CHECK(runtime_join_key_load(path, k1, msg, sizeof msg) == 0);
    struct stat sb;
    CHECK(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600 &&
          sb.st_size == 32);
    CHECK(runtime_join_key_load(path, k2, msg, sizeof msg) == 0);
    CHECK(!memcmp(k1, k2, 32)); /* a restart keeps it */
    FILE *f = fopen(path, "ab");
    fputc('x', f);
    fclose(f);
    CHECK(runtime_join_key_load(path, k2, msg, sizeof msg) == EXAMD_EINVAL);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    test_format();
    test_normalize();
    test_hash();
    test_fields();
    test_username();
    test_key_file();
    return check_done("test_join");
}
