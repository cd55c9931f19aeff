/* SPDX-License-Identifier: MIT */
/*
 * Request metrics of the whole pool, for GET /api/metrics (Prometheus text
 * format 0.0.4).
 *
 * The workers are separate processes (spawn-fcgi -F N) and a scrape
 * reaches any one of them. So the counters live in one file that every
 * worker maps shared and adds to atomically, and the worker that answers a
 * scrape reads them all. Summing at scrape time instead would mean asking
 * the other workers, which serve one request at a time and may be busy,
 * and a killed worker's counts would die with it; in the file they stay
 * counted. Only the per-process figures (start time, uptime, resident
 * memory) are of the workers alive at the scrape.
 */
#ifndef INV_METRICS_H
#define INV_METRICS_H

#include <stdint.h>

struct req;
struct strbuf;

/* The layout's version is in the file's name: another layout, another file. */
#define METRICS_FILE_NAME "inventory-metrics-v1"

/* The upper bounds of the latency histogram's buckets (then +Inf). */
#define METRICS_BOUNDS 13
extern const uint64_t metrics_bound_usec[METRICS_BOUNDS];

/*
 * The default file: METRICS_FILE_NAME in the directory of the unix socket
 * that fd listens on. Returns a malloc'd path, or NULL when fd is not a
 * unix socket with a path (a TCP socket, or not a socket).
 */
char *metrics_default_path(int fd);

/*
 * Maps the counters file at path, creating it if it does not exist, and
 * claims this process's slots in it. With path NULL, or when the file
 * cannot be used, the counters are this process's alone (an anonymous
 * mapping). Returns 0, or -1 after printing why the file is not used.
 */
int metrics_open(const char *path);
void metrics_close(void);

/* Adds the finished request r, which took usec, to its route's counters. */
void metrics_record_request(const struct req *r, uint64_t usec);

/*
 * Appends the exposition of every counter to out: the routes that have
 * answered at least once, and the processes alive now.
 */
void metrics_write(struct strbuf *out);

/* Appends s as a label value: backslash, double quote and newline escaped. */
void metrics_add_label_value(struct strbuf *out, const char *s);

#endif
