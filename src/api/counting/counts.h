/* SPDX-License-Identifier: MIT */
/*
 * Shared by counts.c and count_items.c; not an API for other handlers.
 */
#ifndef INV_API_COUNTING_COUNTS_H
#define INV_API_COUNTING_COUNTS_H

#include <stdint.h>

#include "http/http.h"

/*
 * Reads and locks count [id] of the path for a change. Returns 0 with
 * *id set and *location its location (0: the whole workspace), or the
 * status set: 404, or 409 when it is not in progress.
 */
int count_lock_in_progress(struct req *r, int64_t *id, int64_t *location);

#endif
