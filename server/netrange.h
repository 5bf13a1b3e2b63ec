/*
 * netrange.h — IP address ranges (CIDR) for exams restricted to a
 * training room, and the loopback test of the per-address connection cap.
 *
 * An IPv4 address is held as its IPv4-mapped IPv6 form (::ffff:a.b.c.d),
 * so one comparison serves both families: "10.0.0.0/8" becomes
 * ::ffff:10.0.0.0/104 and matches a peer reported as "10.1.2.3" or as
 * "::ffff:10.1.2.3". Pure: no I/O, no allocation; any thread.
 */
#ifndef EXAMD_NETRANGE_H
#define EXAMD_NETRANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest CIDR text accepted, with its NUL ("ffff:...:ffff/128"). */
#define NETRANGE_TEXT_MAX 64

/* One range: the first prefix bits of addr. */
struct netrange {
    uint8_t addr[16]; /* IPv6, or IPv4-mapped; bits past prefix are 0 */
    uint8_t prefix;   /* 0..128 (IPv4 ranges: 96..128) */
};

/*
 * Parse "a.b.c.d/n" (n 0..32), "x::y/n" (n 0..128) or a bare address (a
 * single host) into r. Host bits set past the prefix are refused
 * ("10.1.0.0/8" is a typing error more often than not). Returns 0 or
 * EXAMD_EINVAL.
 */
int netrange_parse(const char *text, struct netrange *r);

/* The canonical text of r ("10.0.0.0/8", "2001:db8::/32") into buf
 * (NETRANGE_TEXT_MAX bytes at least). */
void netrange_format(const struct netrange *r, char *buf, size_t n);

/* Parse an address (IPv4, IPv6 or IPv4-mapped IPv6) into its 16-byte
 * form. false if text is not an address. */
bool netrange_addr(const char *text, uint8_t out[16]);

/* Is addr (16-byte form) inside r? */
bool netrange_contains(const struct netrange *r, const uint8_t addr[16]);

/* Is the address text inside any of the n ranges? false for text that is
 * not an address. */
bool netrange_match(const struct netrange *v, int n, const char *text);

/* Is addr (16-byte form) inside any of the n ranges? */
bool netrange_any(const struct netrange *v, int n, const uint8_t addr[16]);

/* Is the address text a loopback address (127.0.0.0/8 or ::1)? */
bool netrange_is_loopback(const char *text);

#endif
