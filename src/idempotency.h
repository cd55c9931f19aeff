/* SPDX-License-Identifier: MIT */
/* Idempotency-Key handling for POST, PATCH and DELETE (idempotency.c). */
#ifndef INV_IDEMPOTENCY_H
#define INV_IDEMPOTENCY_H

#include "http/http.h"

/* Checks the key's form (1 to 200 characters of printable UTF-8).
 * Returns 0, or 400 with the error set. */
int idem_check(struct req *r);
/*
 * Claims r->idempotency_key inside the open transaction. Returns 0 when
 * the handler should run, else the status of the response it set: a
 * replay of the stored response, 409 (a request with the key is still
 * running), 422 (the key was used with another request), or a server
 * error (db_errno tells whether it is worth retrying).
 */
int idem_claim(struct req *r);
/* Stores r's response under the claimed key, in the open transaction.
 * Returns 0 or -1. */
int idem_store(struct req *r);
/* Now and then deletes keys past their 24 hours; outside a transaction. */
void idem_sweep(struct req *r);

#endif
