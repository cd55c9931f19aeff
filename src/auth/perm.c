#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"

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

int principal_has_all(const struct principal *p, const char *const *required)
{
	size_t i;

	for (; required && *required; required++) {
		int ok = 0;

		for (i = 0; i < p->npermissions && !ok; i++)
			ok = perm_grants(p->permissions[i], *required);
		if (!ok)
			return 0;
	}
	return 1;
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
