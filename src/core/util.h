/* SPDX-License-Identifier: MIT */
/* Small process-wide helpers: fatal errors and checked allocation. */
#ifndef INV_UTIL_H
#define INV_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Prints "fatal: ..." to stderr and exits with status 1. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* Prints "error: ..." to stderr; returns -1. */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "BUG: ..." and aborts: for states that cannot happen. */
void bug(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* Fills buf with n random bytes from getrandom(2). Returns 0 or -1. */
int random_bytes(void *buf, size_t n);
/* Writes 2n lowercase hex digits and a NUL to out. */
void hex_encode(const unsigned char *in, size_t n, char *out);
/* SHA-256 of s as 64 hex digits and a NUL in out. */
void sha256_hex(const char *s, size_t len, char out[65]);

/* Parses a whole decimal integer; returns 0 on success, -1 otherwise. */
int parse_int64(const char *s, int64_t *out);
/* Reads a whole file into a malloc'd, NUL-terminated string; NULL with
 * errno set on failure. */
char *read_whole_file(const char *path);
/* Monotonic clock in microseconds. */
uint64_t now_usec(void);
/* Wall clock in microseconds since the Unix epoch. */
uint64_t wall_usec(void);
/* Writes usec (wall clock) as UTC ISO 8601 with milliseconds and a NUL:
 * "2024-01-15T10:30:00.123Z". */
#define UTC_MS_LEN 24
void format_utc_ms(char out[UTC_MS_LEN + 1], uint64_t usec);
/*
 * 1 when s[0..len) is well-formed UTF-8: no overlong forms, no UTF-16
 * surrogates, nothing above U+10FFFF, no stray continuation bytes.
 */
int utf8_valid(const char *s, size_t len);
/* Compares two strings in time independent of where they differ. */
int const_time_eq(const char *a, const char *b);

#endif
