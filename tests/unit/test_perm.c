/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of src/auth/perm.c: the closed set of permissions, what a
 * granted string covers, and that perm_names is the seed documents' set.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "auth/perm.h"
#include "core/pool.h"
#include "core/util.h"
#include "routes.h"
#include "suites.h"

#ifndef TEST_FIXTURES
#define TEST_FIXTURES "tests/unit/fixtures"
#endif

/* ---- the names */

START_TEST(test_perm_names)
{
	struct pool *pool = pool_create();
	size_t i, j;

	for (i = 0; i < PERM__MAX; i++) {
		const char *name = perm_names[i], *norm;

		ck_assert_msg(name != NULL, "permission %zu has no name", i);
		norm = perm_normalise(pool, name);
		ck_assert_msg(norm && !strcmp(norm, name), "'%s' is not in the dotted spelling", name);
		ck_assert_msg(!strchr(name, '*'), "'%s' is a family, not a permission", name);
		ck_assert_msg(strchr(name, '.'), "'%s' has no family", name);
		ck_assert_int_eq(perm_lookup(name), i);
		for (j = 0; j < i; j++)
			ck_assert_msg(strcmp(perm_names[j], name), "'%s' is named twice", name);
	}
	ck_assert_int_eq(perm_lookup("inventory.raed"), PERM__MAX);
	ck_assert_int_eq(perm_lookup("inventory:read"), PERM__MAX);
	ck_assert_int_eq(perm_lookup("inventory.*"), PERM__MAX);
	ck_assert_int_eq(perm_lookup(""), PERM__MAX);
	pool_destroy(pool);
}
END_TEST

START_TEST(test_perm_set_granted)
{
	const perm_set all = (perm_set)((1ull << PERM__MAX) - 1);
	const perm_set inventory = PERM_BIT(PERM_INVENTORY_READ) | PERM_BIT(PERM_INVENTORY_WRITE) |
				   PERM_BIT(PERM_INVENTORY_ADJUST) |
				   PERM_BIT(PERM_INVENTORY_CYCLECOUNT);
	const perm_set stockrequests = PERM_BIT(PERM_STOCKREQUESTS_READ) |
				       PERM_BIT(PERM_STOCKREQUESTS_WRITE) |
				       PERM_BIT(PERM_STOCKREQUESTS_APPROVE);
	static const char *strs[] = { "products.read", "transfers.*", "nothing.read" };
	struct principal p = { 0 };

	ck_assert_uint_eq(perm_set_granted("*"), all);
	ck_assert_uint_eq(perm_set_granted("inventory.*"), inventory);
	ck_assert_uint_eq(perm_set_granted("stockrequests.*"), stockrequests);
	ck_assert_uint_eq(perm_set_granted("inventory.read"), PERM_BIT(PERM_INVENTORY_READ));
	ck_assert_uint_eq(perm_set_granted("stockrequests.approve"),
			  PERM_BIT(PERM_STOCKREQUESTS_APPROVE));
	/* Names no permission: grants nothing, as before the set existed. */
	ck_assert_uint_eq(perm_set_granted("inventory.raed"), 0);
	ck_assert_uint_eq(perm_set_granted("inventoryx.*"), 0);
	ck_assert_uint_eq(perm_set_granted("inventory"), 0);
	ck_assert_uint_eq(perm_set_granted("inventory.read.x"), 0);
	ck_assert_uint_eq(perm_set_granted("inventory.read.*"), 0);
	ck_assert_uint_eq(perm_set_granted("nothing.read"), 0);

	p.permissions = strs;
	p.npermissions = 3;
	ck_assert_uint_eq(principal_perms(&p), PERM_BIT(PERM_PRODUCTS_READ) |
			  PERM_BIT(PERM_TRANSFERS_READ) | PERM_BIT(PERM_TRANSFERS_WRITE));
	ck_assert_int_eq(principal_has_all(&p, PERM_BIT(PERM_TRANSFERS_WRITE) |
					   PERM_BIT(PERM_PRODUCTS_READ)), 1);
	ck_assert_int_eq(principal_has_all(&p, PERM_BIT(PERM_TRANSFERS_WRITE) |
					   PERM_BIT(PERM_PRODUCTS_WRITE)), 0);
	p.npermissions = 0;
	ck_assert_uint_eq(principal_perms(&p), 0);
}
END_TEST

START_TEST(test_route_permissions)
{
	size_t i, k;

	for (i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];

		if (rt->flags & ROUTE_PUBLIC) {
			ck_assert_msg(rt->permissions.n == 0, "public %s requires permissions",
				      rt->pattern);
			continue;
		}
		ck_assert_msg(rt->permissions.n >= 1 && rt->permissions.n <= PERM_LIST_MAX,
			      "%s requires %u permissions", rt->pattern, rt->permissions.n);
		for (k = 0; k < rt->permissions.n; k++)
			ck_assert_uint_lt(rt->permissions.v[k], PERM__MAX);
	}
}
END_TEST

/* ---- the seed documents' permissions */

/*
 * Ours: permissions of endpoints that the seed documents do not list
 * (master data they refer to), each with the reason it exists.
 */
static const struct {
	enum perm perm;
	const char *reason;
} ours[] = {
	{ PERM_PRODUCTS_WRITE, "creating and changing products and categories (the seeds only read them)" },
	{ PERM_LOCATIONS_READ, "listing locations and bins, which the seeds' endpoints refer to by id" },
	{ PERM_LOCATIONS_WRITE, "creating and changing locations and bins" },
	{ PERM_CHANNELS_READ, "listing sales channels and their ATP policy" },
	{ PERM_CHANNELS_WRITE, "creating and changing sales channels" },
	{ PERM_REASONCODES_READ, "listing reason codes as master data (the seeds list them under inventory.adjust)" },
	{ PERM_REASONCODES_WRITE, "creating and changing reason codes" },
	{ PERM_SYSTEM_METRICS, "reading the counters of the whole pool (GET /api/metrics), an operator's task" },
};

#define SEED_MAX 64

struct seed_perms {
	char names[SEED_MAX][64];
	char where[SEED_MAX][128];
	size_t n;
};

static void seed_add(struct seed_perms *s, const char *name, size_t len, const char *where)
{
	size_t i;

	ck_assert_msg(len > 0 && len < sizeof(s->names[0]), "%s: permission '%.*s' is too long",
		      where, (int)len, name);
	for (i = 0; i < s->n; i++)
		if (strlen(s->names[i]) == len && !strncmp(s->names[i], name, len))
			return;
	ck_assert_uint_lt(s->n, SEED_MAX);
	memcpy(s->names[s->n], name, len);
	s->names[s->n][len] = '\0';
	snprintf(s->where[s->n], sizeof(s->where[0]), "%s", where);
	s->n++;
}

static int is_method(const char *cell, size_t len)
{
	static const char *const methods[] = { "GET", "POST", "PUT", "PATCH", "DELETE" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(methods); i++)
		if (strlen(methods[i]) == len && !strncmp(methods[i], cell, len))
			return 1;
	return 0;
}

/*
 * A row of an endpoint table: "| GET | /api/x | Summary | session |
 * stable | a.read, b.read |" (the leading '|' may be missing). Adds the
 * Permissions column, the fifth cell after the method.
 */
static void scan_table_row(struct seed_perms *s, const char *line, size_t len, const char *where)
{
	const char *cells[8], *end = line + len, *p = line;
	size_t lens[8], n = 0;

	while (p < end && n < ARRAY_SIZE(cells)) {
		const char *bar = memchr(p, '|', (size_t)(end - p)), *stop = bar ? bar : end;

		while (p < stop && *p == ' ')
			p++;
		cells[n] = p;
		lens[n] = (size_t)(stop - p);
		while (lens[n] && cells[n][lens[n] - 1] == ' ')
			lens[n]--;
		if (lens[n] || n)
			n++;
		if (!bar)
			break;
		p = bar + 1;
	}
	if (n < 6 || !is_method(cells[0], lens[0]) || cells[1][0] != '/')
		return;
	for (p = cells[5]; p < cells[5] + lens[5];) {
		const char *comma = memchr(p, ',', (size_t)(cells[5] + lens[5] - p));
		const char *stop = comma ? comma : cells[5] + lens[5];

		while (p < stop && *p == ' ')
			p++;
		seed_add(s, p, (size_t)(stop - p), where);
		p = stop + 1;
	}
}

static int perm_char(char c)
{
	return (c >= 'a' && c <= 'z') || c == '.';
}

/* Prose: every "family.name permission" of the line. */
static void scan_prose(struct seed_perms *s, const char *line, size_t len, const char *where)
{
	static const char word[] = " permission";
	const char *end = line + len, *p;

	for (p = line; (p = memmem(p, (size_t)(end - p), word, sizeof(word) - 1)); p++) {
		const char *start = p;

		while (start > line && perm_char(start[-1]))
			start--;
		if (start < p && memchr(start, '.', (size_t)(p - start)) && start[0] != '.' &&
		    p[-1] != '.')
			seed_add(s, start, (size_t)(p - start), where);
	}
}

static void scan_file(struct seed_perms *s, const char *path)
{
	char *text = read_whole_file(path), *line, *nl;

	ck_assert_msg(text != NULL, "cannot read %s", path);
	for (line = text; *line; line = nl + 1) {
		size_t len;

		nl = strchr(line, '\n');
		len = nl ? (size_t)(nl - line) : strlen(line);
		scan_table_row(s, line, len, path);
		scan_prose(s, line, len, path);
		if (!nl)
			break;
	}
	free(text);
}

static int seeds_name(const struct seed_perms *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->names[i], name))
			return 1;
	return 0;
}

static void check_against_names(const struct seed_perms *s)
{
	size_t i, k;

	/* Enough to know the table was read: every family of the seeds. */
	ck_assert_uint_ge(s->n, 12);
	for (i = 0; i < s->n; i++)
		ck_assert_msg(perm_lookup(s->names[i]) != PERM__MAX,
			      "%s names permission '%s', which perm_names lacks", s->where[i],
			      s->names[i]);
	for (i = 0; i < PERM__MAX; i++) {
		int mine = 0;

		for (k = 0; k < ARRAY_SIZE(ours); k++)
			if (ours[k].perm == i) {
				mine = 1;
				ck_assert_msg(ours[k].reason && *ours[k].reason, "no reason");
			}
		if (mine)
			ck_assert_msg(!seeds_name(s, perm_names[i]),
				      "'%s' is in the seeds: drop it from ours", perm_names[i]);
		else
			ck_assert_msg(seeds_name(s, perm_names[i]),
				      "'%s' is in no seed document and not listed as ours",
				      perm_names[i]);
	}
}

START_TEST(test_perm_seed_parse)
{
	struct seed_perms *s = xcalloc(1, sizeof(*s));
	static const char text[] =
		"| GET | /api/a | List | session | stable | x.read |\n"
		"POST | /api/b | Make | session | stable | x.write, y.read |\n"
		"| POST | /cycle-count | Create cycle count batch |\n"
		"| Method | Path | Summary | Auth | Stability | Permissions |\n"
		"Export requires z.read permission. Needs permissions (e.g., w.read for it).\n"
		"q.read permissionRetrieve\n";
	size_t len;
	const char *line, *nl;

	for (line = text; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		len = (size_t)(nl - line);
		scan_table_row(s, line, len, "text");
		scan_prose(s, line, len, "text");
	}
	ck_assert_uint_eq(s->n, 5);
	ck_assert_str_eq(s->names[0], "x.read");
	ck_assert_str_eq(s->names[1], "x.write");
	ck_assert_str_eq(s->names[2], "y.read");
	ck_assert_str_eq(s->names[3], "z.read");
	ck_assert_str_eq(s->names[4], "q.read");
	free(s);
}
END_TEST

/*
 * The copy of the seeds' permission tables in the fixtures, and, when
 * INVENTORY_SEEDS names the directory of the seed documents, every
 * document there (which must then give the same set as the copy).
 */
START_TEST(test_perm_seeds)
{
	struct seed_perms *copy = xcalloc(1, sizeof(*copy)), *docs;
	const char *dir = getenv("INVENTORY_SEEDS");
	struct dirent *de;
	DIR *d;
	size_t i;

	scan_file(copy, TEST_FIXTURES "/seed_permissions.txt");
	check_against_names(copy);
	if (!dir || !*dir) {
		free(copy);
		return;
	}
	docs = xcalloc(1, sizeof(*docs));
	d = opendir(dir);
	ck_assert_msg(d != NULL, "cannot open INVENTORY_SEEDS '%s'", dir);
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		char path[4096];

		if (len < 4 || strcmp(de->d_name + len - 4, ".txt"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		scan_file(docs, path);
	}
	closedir(d);
	check_against_names(docs);
	ck_assert_uint_eq(docs->n, copy->n);
	for (i = 0; i < docs->n; i++)
		ck_assert_msg(seeds_name(copy, docs->names[i]),
			      "%s names '%s': copy it into the fixture", docs->where[i],
			      docs->names[i]);
	free(docs);
	free(copy);
}
END_TEST

Suite *perm_suite(void)
{
	Suite *s = suite_create("perm");
	TCase *tc = tcase_create("perm");

	tcase_add_test(tc, test_perm_names);
	tcase_add_test(tc, test_perm_set_granted);
	tcase_add_test(tc, test_route_permissions);
	tcase_add_test(tc, test_perm_seed_parse);
	tcase_add_test(tc, test_perm_seeds);
	suite_add_tcase(s, tc);
	return s;
}
