/* SPDX-License-Identifier: MIT */
/*
 * The permissions of the API: a closed set, one enum value and one name
 * each. Route rows name them by value, so a misspelt permission does not
 * compile; credentials carry them as strings ("inventory.read", the
 * vendor's "inventory:read", families "inventory.*" and "*"), turned into
 * a set of bits when checked.
 */
#ifndef INV_PERM_H
#define INV_PERM_H

#include <stddef.h>
#include <stdint.h>

/* Those of the seed documents first, then those of our own resources. */
enum perm {
	PERM_INVENTORY_READ,
	PERM_INVENTORY_WRITE,
	PERM_INVENTORY_ADJUST,
	PERM_INVENTORY_CYCLECOUNT,
	PERM_PRODUCTS_READ,
	PERM_REPLENISHMENT_READ,
	PERM_REPLENISHMENT_WRITE,
	PERM_TRANSFERS_READ,
	PERM_TRANSFERS_WRITE,
	PERM_STOCKREQUESTS_READ,
	PERM_STOCKREQUESTS_WRITE,
	PERM_STOCKREQUESTS_APPROVE,
	PERM_PRODUCTS_WRITE,
	PERM_LOCATIONS_READ,
	PERM_LOCATIONS_WRITE,
	PERM_CHANNELS_READ,
	PERM_CHANNELS_WRITE,
	PERM_REASONCODES_READ,
	PERM_REASONCODES_WRITE,
	PERM_SYSTEM_METRICS,        /* the operator's: counters of every workspace */
	PERM__MAX
};

/* The dotted name of each permission, as credentials and the document spell it. */
extern const char *const perm_names[PERM__MAX];

/* A set of permissions: bit p for enum perm p. */
typedef uint32_t perm_set;
#define PERM_BIT(p) ((perm_set)1 << (p))

/*
 * The permissions a route requires, in the order its 403 message and the
 * OpenAPI document name them: n values in v. Written PERM_LIST() or
 * PERM_LIST(PERM_A, PERM_B).
 */
#define PERM_LIST_MAX 3
struct perm_list {
	unsigned char n;
	enum perm v[PERM_LIST_MAX];
};
#define PERM_LIST(...) \
	{ .n = sizeof((enum perm[]){ __VA_ARGS__ }) / sizeof(enum perm), .v = { __VA_ARGS__ } }
#define PERM_LIST_NONE { .n = 0 }

/* Returns the permission named name (dotted spelling), or PERM__MAX. */
enum perm perm_lookup(const char *name);
/* Returns the set of the permissions in l. */
perm_set perm_list_set(const struct perm_list *l);
/*
 * Returns the permissions that granted (a normalised permission string)
 * covers: itself, every one of its family ("inventory.*") or all ("*").
 * Empty for a string that names none of them.
 */
perm_set perm_set_granted(const char *granted);

#endif
