/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <openssl/evp.h>

#include "core/strbuf.h"
#include "core/util.h"

static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("fatal: ", fmt, ap);
	va_end(ap);
	exit(1);
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap);
	va_end(ap);
	return -1;
}

void bug(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("BUG: ", fmt, ap);
	va_end(ap);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("out of memory allocating %zu bytes", n);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		die("out of memory allocating %zu x %zu bytes", nmemb, size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		die("out of memory allocating %zu bytes", n);
	return q;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		die("out of memory copying a string");
	return p;
}

int random_bytes(void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n > 0) {
		ssize_t got = getrandom(p, n, 0);

		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

void hex_encode(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

void sha256_hex(const char *s, size_t len, char out[65])
{
	/* Fetched and allocated once: OpenSSL 3 looks the algorithm up in
	 * its providers on every use of EVP_sha256(), and a context costs
	 * allocations; both cost more than hashing a key. */
	static EVP_MD *sha256;
	static EVP_MD_CTX *ctx;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (!sha256 && !(sha256 = EVP_MD_fetch(NULL, "SHA2-256", NULL)))
		die("sha-256 is not available");
	if (!ctx && !(ctx = EVP_MD_CTX_new()))
		die("out of memory");
	if (!EVP_DigestInit_ex2(ctx, sha256, NULL) || !EVP_DigestUpdate(ctx, s, len) ||
	    !EVP_DigestFinal_ex(ctx, md, &mdlen) || mdlen != 32)
		die("sha-256 is not available");
	hex_encode(md, 32, out);
}

int parse_int64(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!s || !*s || (*s != '-' && (*s < '0' || *s > '9')))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

uint64_t wall_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void format_utc_ms(char out[UTC_MS_LEN + 1], uint64_t usec)
{
	time_t secs = (time_t)(usec / 1000000u);
	unsigned ms = (unsigned)(usec / 1000u % 1000u);
	struct tm tm;

	if (!gmtime_r(&secs, &tm) || strftime(out, UTC_MS_LEN - 4, "%Y-%m-%dT%H:%M:%S", &tm) !=
	    UTC_MS_LEN - 5) {
		snprintf(out, UTC_MS_LEN + 1, "%s", "0000-00-00T00:00:00.000Z");
		return;
	}
	out[UTC_MS_LEN - 5] = '.';
	out[UTC_MS_LEN - 4] = (char)('0' + ms / 100);
	out[UTC_MS_LEN - 3] = (char)('0' + ms / 10 % 10);
	out[UTC_MS_LEN - 2] = (char)('0' + ms % 10);
	out[UTC_MS_LEN - 1] = 'Z';
	out[UTC_MS_LEN] = '\0';
}

int const_time_eq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i;
	unsigned char diff = la != lb;

	for (i = 0; i < la && i < lb; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}

char *read_whole_file(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[8192];
	size_t n;
	int saved;
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	if (ferror(f)) {
		saved = errno ? errno : EIO;
		fclose(f);
		strbuf_release(&sb);
		errno = saved;
		return NULL;
	}
	fclose(f);
	return strbuf_detach(&sb);
}

int utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	while (p < end) {
		unsigned c = *p;
		size_t n, i;
		uint32_t cp, min;

		if (c < 0x80) {
			p++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1, cp = c & 0x1F, min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2, cp = c & 0x0F, min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return 0;       /* a continuation byte, 0xC0/0xC1, or above 0xF4 */
		}
		if ((size_t)(end - p) <= n)
			return 0;
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3F);
		}
		/* Overlong forms, UTF-16 surrogates and beyond U+10FFFF. */
		if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			return 0;
		p += n + 1;
	}
	return 1;
}
