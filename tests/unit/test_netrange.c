/* test_netrange.c — CIDR parsing and matching (netrange.h), against a
 * reference: a range contains an address iff the address's first prefix
 * bits equal the range's. */
#include "check.h"
#include "netrange.h"

static bool in(const char *cidr, const char *addr)
{
    struct netrange r;
    if (netrange_parse(cidr, &r))
        return false;
    return netrange_match(&r, 1, addr);
}

static void test_parse(void)
{
    static const char *const good[][2] = {
        {"10.0.0.0/8", "10.0.0.0/8"},
        {"192.168.1.0/24", "192.168.1.0/24"},
        {"192.168.1.7", "192.168.1.7/32"},
        {"0.0.0.0/0", "0.0.0.0/0"},
        {"2001:db8::/32", "2001:db8::/32"},
        {"2001:DB8:0:0::/48", "2001:db8::/48"},
        {"::1", "::1/128"},
        {"::/0", "::/0"},
        {"::ffff:10.0.0.0/104", "10.0.0.0/8"},
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        struct netrange r;
        char buf[NETRANGE_TEXT_MAX];
        CHECK_EQ_INT(netrange_parse(good[i][0], &r), 0);
        netrange_format(&r, buf, sizeof buf);
        if (strcmp(buf, good[i][1]))
            fprintf(stderr, "%s formats as %s\n", good[i][0], buf);
        CHECK(!strcmp(buf, good[i][1]));
    }
    static const char *const bad[] = {
        "",
        "10.0.0.0/33",
        "10.0.0.0/-1",
        "10.0.0.0/",
        "/8",
        "10.0.0/8",
        "10.1.0.0/8",
        "10.0.0.256",
        "2001:db8::/129",
        "2001:db8::1/32",
        "abc",
        "10.0.0.0/8x",
        "10.0.0.0/08 ",
        "10.0.0.0/0008",
        "fe80::1%eth0/64",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct netrange r;
        if (!netrange_parse(bad[i], &r))
            fprintf(stderr, "\"%s\" was accepted\n", bad[i]);
        CHECK(netrange_parse(bad[i], &r) != 0);
    }
}

static void test_match(void)
{
    CHECK(in("10.0.0.0/8", "10.255.1.2"));
    CHECK(!in("10.0.0.0/8", "11.0.0.1"));
    CHECK(!in("10.0.0.0/8", "127.0.0.1"));
    CHECK(in("10.0.0.0/8", "::ffff:10.1.2.3"));
    CHECK(in("127.0.0.0/8", "127.0.0.1"));
    CHECK(in("192.168.4.0/22", "192.168.7.255"));
    CHECK(!in("192.168.4.0/22", "192.168.8.0"));
    CHECK(!in("192.168.4.0/22", "192.168.3.255"));
    CHECK(in("192.168.1.7", "192.168.1.7"));
    CHECK(!in("192.168.1.7", "192.168.1.8"));
    CHECK(in("0.0.0.0/0", "8.8.8.8"));
    CHECK(!in("0.0.0.0/0", "2001:db8::1")); /* IPv4 only */
    CHECK(in("::/0", "2001:db8::1"));
    CHECK(in("2001:db8::/32", "2001:db8:ffff::1"));
    CHECK(!in("2001:db8::/32", "2001:db9::1"));
    CHECK(in("2001:db8:0:8000::/49", "2001:db8:0:ffff::1"));
    CHECK(!in("2001:db8:0:8000::/49", "2001:db8:0:7fff::1"));
    CHECK(!in("10.0.0.0/8", "not an address"));
    CHECK(!in("10.0.0.0/8", ""));
    /* several ranges: any one matches */
    struct netrange v[2];
    CHECK_EQ_INT(netrange_parse("10.0.0.0/8", &v[0]), 0);
    CHECK_EQ_INT(netrange_parse("fd00::/8", &v[1]), 0);
    CHECK(netrange_match(v, 2, "fd12::3"));
    CHECK(netrange_match(v, 2, "10.9.9.9"));
    CHECK(!netrange_match(v, 2, "192.168.0.1"));
    CHECK(!netrange_match(v, 0, "10.9.9.9"));
}

/* Every prefix length against the reference rule, over a few addresses. */
static void test_reference(void)
{
    static const char *const addrs[] = {"10.20.30.40", "10.20.31.40",
                                        "203.0.113.9", "2001:db8::1",
                                        "2001:db8:8000::1"};
    for (size_t a = 0; a < 5; a++) {
        uint8_t base[16];
        CHECK(netrange_addr(addrs[a], base));
        for (int p = 0; p <= 128; p++) {
            struct netrange r = {.prefix = (uint8_t)p};
            memcpy(r.addr, base, 16);
            for (int i = p; i < 128; i++) /* clear the host bits */
                r.addr[i / 8] &= (uint8_t) ~(0x80 >> (i % 8));
            for (size_t b = 0; b < 5; b++) {
                uint8_t other[16];
                CHECK(netrange_addr(addrs[b], other));
                bool want = true;
                for (int i = 0; i < p; i++)
                    if ((base[i / 8] ^ other[i / 8]) & (0x80 >> (i % 8)))
                        want = false;
                CHECK(netrange_contains(&r, other) == want);
            }
        }
    }
}

static void test_loopback(void)
{
    CHECK(netrange_is_loopback("127.0.0.1"));
    CHECK(netrange_is_loopback("127.0.0.4"));
    CHECK(netrange_is_loopback("::1"));
    CHECK(netrange_is_loopback("::ffff:127.0.0.1"));
    CHECK(!netrange_is_loopback("128.0.0.1"));
    CHECK(!netrange_is_loopback("10.0.0.1"));
    CHECK(!netrange_is_loopback("::2"));
    CHECK(!netrange_is_loopback(""));
}

int main(void)
{
    test_parse();
    test_match();
    test_reference();
    test_loopback();
    return check_done("netrange");
}
