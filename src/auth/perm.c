/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "auth/perm.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"

const char *const perm_names[] = {
	[PERM_INVENTORY_READ] = "inventory.read",
	[PERM_INVENTORY_WRITE] = "inventory.write",
	[PERM_INVENTORY_ADJUST] = "inventory.adjust",
	[PERM_INVENTORY_CYCLECOUNT] = "inventory.cyclecount",
	[PERM_PRODUCTS_READ] = "products.read",
	[PERM_REPLENISHMENT_READ] = "replenishment.read",
	[PERM_REPLENISHMENT_WRITE] = "replenishment.write",
	[PERM_TRANSFERS_READ] = "transfers.read",
	[PERM_TRANSFERS_WRITE] = "transfers.write",
	[PERM_STOCKREQUESTS_READ] = "stockrequests.read",
	[PERM_STOCKREQUESTS_WRITE] = "stockrequests.write",
	[PERM_STOCKREQUESTS_APPROVE] = "stockrequests.approve",
	[PERM_PRODUCTS_WRITE] = "products.write",
	[PERM_LOCATIONS_READ] = "locations.read",
	[PERM_LOCATIONS_WRITE] = "locations.write",
	[PERM_CHANNELS_READ] = "channels.read",
	[PERM_CHANNELS_WRITE] = "channels.write",
	[PERM_REASONCODES_READ] = "reasoncodes.read",
	[PERM_REASONCODES_WRITE] = "reasoncodes.write",
	[PERM_SYSTEM_METRICS] = "system.metrics",
};

_Static_assert(ARRAY_SIZE(perm_names) == PERM__MAX, "a name for every permission");
_Static_assert(PERM__MAX <= sizeof(perm_set) * 8, "a perm_set holds every permission");

enum perm perm_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < PERM__MAX; i++)
		if (!strcmp(perm_names[i], name))
			break;
	return (enum perm)i;
}

perm_set perm_list_set(const struct perm_list *l)
{
	perm_set set = 0;
	size_t i;

	for (i = 0; i < l->n; i++)
		set |= PERM_BIT(l->v[i]);
	return set;
}

perm_set perm_set_granted(const char *granted)
{
	perm_set set = 0;
	size_t i;

	for (i = 0; i < PERM__MAX; i++)
		if (perm_grants(granted, perm_names[i]))
			set |= PERM_BIT(i);
	return set;
}

const char *perm_normalise(struct pool *pool, const char *perm)
{
	size_t len = strlen(perm), i;
	char *out;
	int seglen = 0;

	if (len == 0 || len > 128)
		return NULL;
	out = pool_strndup(pool, perm, len);
	for (i = 0; i < len; i++) {
		char c = out[i];

		if (c == ':')
			c = out[i] = '.';
		if (c == '.') {
			if (seglen == 0)
				return NULL;
			seglen = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '*'))
			return NULL;
		/* '*' only as a whole segment. */
		if (c == '*' && (seglen != 0 || (out[i + 1] && out[i + 1] != '.' && out[i + 1] != ':')))
			return NULL;
		seglen++;
	}
	if (seglen == 0)
		return NULL;
	return out;
}

int perm_grants(const char *granted, const char *required)
{
	size_t glen = strlen(granted);

	if (!strcmp(granted, "*") || !strcmp(granted, required))
		return 1;
	/* "inventory.*" grants "inventory.read" and "inventory.x.y". */
	if (glen >= 2 && granted[glen - 1] == '*' && granted[glen - 2] == '.')
		return !strncmp(granted, required, glen - 1) && strlen(required) > glen - 1;
	return 0;
}

perm_set principal_perms(const struct principal *p)
{
	perm_set set = 0;
	size_t i;

	for (i = 0; i < p->npermissions; i++)
		set |= perm_set_granted(p->permissions[i]);
	return set;
}

int principal_has_all(const struct principal *p, perm_set required)
{
	return (principal_perms(p) & required) == required;
}

unsigned role_parse(const char *name)
{
	if (!strcmp(name, "member"))
		return ROLE_MEMBER;
	if (!strcmp(name, "manager"))
		return ROLE_MANAGER;
	if (!strcmp(name, "admin"))
		return ROLE_ADMIN;
	return 0;
}

int roles_parse_list(const char *list, unsigned *roles)
{
	char *copy = xstrdup(list), *tok, *save = NULL;
	int ret = 0;

	*roles = 0;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned bit = role_parse(tok);

		if (!bit) {
			ret = -1;
			break;
		}
		*roles |= bit;
	}
	free(copy);
	return ret;
}
