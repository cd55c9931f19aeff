/* SPDX-License-Identifier: MIT */
/*
 * Ids in a request are references to objects of the caller's workspace,
 * checked in one place before any handler runs.
 */
#ifndef INV_REFERENCES_H
#define INV_REFERENCES_H

#include "http/http.h"
#include "routes.h"

/*
 * Checks that every id the request names through fields (the declared
 * body, arrays included) and through the route's declared query exists
 * in the caller's workspace. Ids flagged FIELD_MATCH, and the filters of
 * generic lists, select rather than refer and are not checked; malformed
 * ids are left to validation. Returns 0, or the status of the response set:
 * 404 "<Noun> not found" (another workspace's id answers exactly that), 500.
 */
int check_references(struct req *r, const struct field *fields);

#endif
