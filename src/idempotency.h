/* Idempotency-Key handling for POST, PATCH and DELETE (idempotency.c). */
#ifndef INV_IDEMPOTENCY_H
#define INV_IDEMPOTENCY_H

#include "http/http.h"

/*
 * Claims r->idempotency_key for this request. Returns 0 when the handler
 * should run (r->idem_claimed is set), else the status of the response it
 * set: a replay of the stored response, 409 (still running) or 422 (the
 * key was used with another request).
 */
int idem_begin(struct req *r);
/* Stores r's response under the claimed key, inside the open transaction
 * for a success. Returns 0 or -1. */
int idem_store(struct req *r);
/* Releases a claimed key that has no response (after a server error), so
 * that the client may retry. */
void idem_forget(struct req *r);

#endif
