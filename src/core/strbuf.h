/* SPDX-License-Identifier: MIT */
/*
 * Growable strings. buf is always NUL-terminated; it may move when the
 * string grows, so never keep a pointer into it across an append.
 * Lifecycle: STRBUF_INIT or strbuf_init(), then strbuf_release().
 */
#ifndef INV_STRBUF_H
#define INV_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
};

extern char strbuf_empty[];
#define STRBUF_INIT { strbuf_empty, 0, 0 }

void strbuf_init(struct strbuf *sb);
/* Frees the contents and leaves sb empty and reusable. */
void strbuf_release(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
/* Cuts sb back to its first len bytes (len <= sb->len). */
void strbuf_setlen(struct strbuf *sb, size_t len);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Detaches and returns the buffer (malloc'd); sb is left empty. */
char *strbuf_detach(struct strbuf *sb);

#endif
