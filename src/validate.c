/* SPDX-License-Identifier: MIT */
/*
 * Validation of the body and the query string against a route's field
 * tables: types, limits, allowed values, the other spellings of query
 * parameters. Each error names the field (400).
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/pool.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "routes.h"

const char *const field_type_names[FIELD__MAX] = {
	[FIELD_STRING] = "a string", [FIELD_INTEGER] = "an integer",
	[FIELD_NUMBER] = "a number", [FIELD_BOOLEAN] = "a boolean",
	[FIELD_ID] = "an id string", [FIELD_DATE] = "a date (YYYY-MM-DD)",
	[FIELD_DATETIME] = "an ISO 8601 date-time", [FIELD_ARRAY] = "an array",
	[FIELD_OBJECT] = "an object",
};

/* "YYYY-MM-DD", digits only, and a day that exists in that month. */
static int is_date(const char *s)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, i, leap;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
	return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1] + (m == 2 && leap);
}

static int is_blank(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

/* Characters, not bytes, of a UTF-8 string (json-c has validated it). */
static size_t utf8_length(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int is_datetime(const char *s)
{
	size_t i;

	if (strlen(s) < 10)
		return 0;
	{
		char date[11];

		memcpy(date, s, 10);
		date[10] = '\0';
		if (!is_date(date))
			return 0;
	}
	if (!s[10])
		return 1;
	if (s[10] != 'T' && s[10] != ' ')
		return 0;
	for (i = 11; s[i]; i++)
		if (!isdigit((unsigned char)s[i]) && !strchr(":.Z+-", s[i]))
			return 0;
	return i >= 16;
}

/* "must be one of: A, B, C" for a field with a closed set of values. */
static const char *values_message(struct req *r, const char *const *values)
{
	struct strbuf sb = STRBUF_INIT;
	const char *msg;

	strbuf_adds(&sb, "must be one of: ");
	for (; *values; values++) {
		strbuf_adds(&sb, *values);
		if (values[1])
			strbuf_adds(&sb, ", ");
	}
	msg = pool_strdup(r->pool, sb.buf);
	strbuf_release(&sb);
	return msg;
}

static int is_allowed_value(const char *const *values, const char *s)
{
	for (; *values; values++)
		if (!strcmp(*values, s))
			return 1;
	return 0;
}

static int check_json_type(json_object *v, enum field_type type)
{
	switch (type) {
	case FIELD_STRING:
	case FIELD_ID:
		return json_object_is_type(v, json_type_string);
	case FIELD_DATE:
		return json_object_is_type(v, json_type_string) && is_date(json_object_get_string(v));
	case FIELD_DATETIME:
		return json_object_is_type(v, json_type_string) &&
		       is_datetime(json_object_get_string(v));
	case FIELD_INTEGER:
		return json_object_is_type(v, json_type_int);
	case FIELD_NUMBER:
		return json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double);
	case FIELD_BOOLEAN:
		return json_object_is_type(v, json_type_boolean);
	case FIELD_ARRAY:
		return json_object_is_type(v, json_type_array);
	case FIELD_OBJECT:
		return json_object_is_type(v, json_type_object);
	case FIELD__MAX:
		break;
	}
	return 0;
}

/* Why number d does not fit field f, or NULL. */
static const char *range_error(struct req *r, const struct field *f, double d)
{
	double max = field_max(f);

	if (f->maximum && d > max)
		return pool_printf(r->pool, "must be at most %g", max);
	if (!(d <= max && d >= -max))
		return "is out of range";
	if ((f->flags & FIELD_NONNEGATIVE) && d < 0)
		return "must not be negative";
	return NULL;
}

/*
 * Validates the members of obj against fields; prefix names the object in
 * errors ("lines[2]."). The elements of an array whose fields are declared
 * (.items) are validated the same way, as objects.
 */
static int validate_members(struct req *r, json_object *obj, const struct field *fields,
			    const char *prefix, int partial)
{
	const struct field *f;
	int status = 0;

	for (f = fields; !status && f && f->name; f++) {
		const char *name = *prefix ? pool_printf(r->pool, "%s%s", prefix, f->name) : f->name;
		json_object *v = NULL;
		int present = json_object_object_get_ex(obj, f->name, &v);

		if (f->flags & FIELD_READONLY)
			continue;
		if (!present || (v == NULL && !(f->flags & FIELD_NULLABLE))) {
			if ((f->flags & FIELD_REQUIRED) && !partial) {
				status = req_field_error(r, name, "is required");
				break;
			}
			if (!present)
				continue;
		}
		if (v == NULL) {
			if (!(f->flags & FIELD_NULLABLE))
				status = req_field_error(r, name, "must not be null");
			continue;
		}
		if (!check_json_type(v, f->type)) {
			status = req_field_error(r, name,
						 pool_printf(r->pool, "must be %s", field_type_names[f->type]));
			break;
		}
		if (f->type == FIELD_INTEGER || f->type == FIELD_NUMBER) {
			const char *wrong = range_error(r, f, json_object_get_double(v));

			if (wrong)
				status = req_field_error(r, name, wrong);
		}
		if (!status && json_object_is_type(v, json_type_string)) {
			const char *s = json_object_get_string(v);

			if (f->max_length && utf8_length(s) > f->max_length)
				status = req_field_error(r, name,
							 pool_printf(r->pool, "must be at most %zu characters",
								     f->max_length));
			else if ((f->type == FIELD_STRING || f->type == FIELD_ID) && is_blank(s) &&
				 (f->flags & FIELD_REQUIRED))
				status = req_field_error(r, name, "must not be empty");
			else if (f->type == FIELD_ID && id_parse(f->kind, s) <= 0)
				status = req_field_error(r, name,
							 pool_printf(r->pool, "must be an id such as %s_1",
								     id_prefixes[f->kind]));
			else if (f->values && !is_allowed_value(f->values, s))
				status = req_field_error(r, name, values_message(r, f->values));
		}
		if (!status && f->type == FIELD_ARRAY && f->items && !f->column) {
			size_t i, len = json_object_array_length(v);

			for (i = 0; !status && i < len; i++) {
				json_object *e = json_object_array_get_idx(v, i);
				const char *at = pool_printf(r->pool, "%s[%zu]", name, i);

				if (!json_object_is_type(e, json_type_object))
					status = req_field_error(r, at, "must be an object");
				else
					status = validate_members(r, e, f->items,
								  pool_printf(r->pool, "%s.", at), 0);
			}
		}
	}
	return status;
}

int validate_body(struct req *r, const struct field *fields)
{
	return validate_members(r, r->json, fields, "",
				r->route && (r->route->flags & ROUTE_PARTIAL));
}

int validate_query(struct req *r, const struct field *fields)
{
	return validate_query_fields(r, fields, 0);
}

/*
 * A number as people write it: optional sign, digits, optional fraction
 * and exponent. strtod alone would also take "nan", "inf", hex and spaces.
 */
static int parse_decimal(const char *s, double *out)
{
	char *end;
	size_t i;

	for (i = 0; s[i]; i++)
		if (!strchr("0123456789+-.eE", s[i]))
			return -1;
	*out = strtod(s, &end);
	return i && *end == '\0' && isfinite(*out) ? 0 : -1;
}

/* "must be <the type of f>" */
static const char *must_be(struct req *r, const struct field *f)
{
	return pool_printf(r->pool, "must be %s", field_type_names[f->type]);
}

/* Checks one query value against its field. Returns NULL or what is wrong. */
static const char *query_value_error(struct req *r, const struct field *f, const char **v)
{
	int64_t n;
	double d;

	switch (f->type) {
	case FIELD_INTEGER:
		if (parse_int64(*v, &n))
			return must_be(r, f);
		d = (double)n;
		break;
	case FIELD_NUMBER:
		if (parse_decimal(*v, &d))
			return must_be(r, f);
		break;
	case FIELD_BOOLEAN:
		/* What clients send: true, True, TRUE, 1 (and their opposites);
		 * handlers see "true" or "false". */
		if (!strcasecmp(*v, "true") || !strcmp(*v, "1"))
			*v = "true";
		else if (!strcasecmp(*v, "false") || !strcmp(*v, "0"))
			*v = "false";
		else
			return must_be(r, f);
		return NULL;
	case FIELD_ID:
		return id_parse(f->kind, *v) > 0 ? NULL : must_be(r, f);
	case FIELD_DATE:
		return is_date(*v) ? NULL : must_be(r, f);
	case FIELD_DATETIME:
		return is_datetime(*v) ? NULL : must_be(r, f);
	case FIELD_STRING:
		if (f->values && !is_allowed_value(f->values, *v))
			return values_message(r, f->values);
		if (f->max_length && utf8_length(*v) > f->max_length)
			return pool_printf(r->pool, "must be at most %zu characters", f->max_length);
		return NULL;
	default:
		return NULL;
	}
	return range_error(r, f, d);
}

int validate_query_fields(struct req *r, const struct field *fields, int only_filters)
{
	const struct field *f;

	for (f = fields; f && f->name; f++) {
		struct query_param *q = NULL;
		const char *err;
		size_t i;

		if (only_filters && !(f->flags & FIELD_FILTER))
			continue;
		for (i = 0; i < r->nquery && !q; i++)
			if (!strcmp(r->query[i].name, f->name))
				q = &r->query[i];
		if (!q || !*q->value) {
			if ((f->flags & FIELD_REQUIRED) && !only_filters)
				return req_error(r, 400, pool_printf(r->pool, "%s is required", f->name), NULL);
			continue;
		}
		err = query_value_error(r, f, &q->value);
		if (err)
			return req_field_error(r, q->sent_as ? q->sent_as : f->name, err);
	}
	return 0;
}

/*
 * Other spellings of query parameters that the seeds use, accepted where
 * the route declares the name they stand for.
 */
static const struct query_alias {
	const char *alias;
	const char *name;
} query_aliases[] = {
	{ "productId", "productMasterId" },   /* the legacy name of a product */
	{ "startDate", "fromDate" },
	{ "endDate", "toDate" },
};

const char *query_alias_of(const char *name)
{
	size_t a;

	for (a = 0; a < ARRAY_SIZE(query_aliases); a++)
		if (!strcmp(query_aliases[a].name, name))
			return query_aliases[a].alias;
	return NULL;
}

static int is_declared(const char *name, const struct field *query, const struct field *filters)
{
	const struct field *f;

	for (f = query; f && f->name; f++)
		if (!strcmp(f->name, name))
			return 1;
	for (f = filters; f && f->name; f++)
		if ((f->flags & FIELD_FILTER) && !strcmp(f->name, name))
			return 1;
	return 0;
}

int validate_query_names(struct req *r, const struct field *query, const struct field *filters)
{
	size_t i, j, a;

	for (i = 0; i < r->nquery; i++) {
		struct query_param *q = &r->query[i];
		const char *name = NULL;

		if (!utf8_valid(q->name, strlen(q->name)))
			return req_error(r, 400, "Invalid request data",
					 "a query parameter name is not valid UTF-8");
		if (!utf8_valid(q->value, strlen(q->value)))
			return req_field_error(r, q->name, "is not valid UTF-8");
		/* One value each: a second would be silently ignored. */
		for (j = 0; j < i; j++)
			if (!strcmp(r->query[j].sent_as ? r->query[j].sent_as : r->query[j].name, q->name))
				return req_field_error(r, q->name, "may be given only once");
		if (is_declared(q->name, query, filters))
			continue;
		for (a = 0; a < ARRAY_SIZE(query_aliases) && !name; a++)
			if (!strcmp(query_aliases[a].alias, q->name) &&
			    is_declared(query_aliases[a].name, query, filters))
				name = query_aliases[a].name;
		if (!name)
			return req_field_error(r, q->name, "is not a known parameter of this endpoint");
		if (req_query(r, name))
			return req_field_error(r, q->name,
					       pool_printf(r->pool, "may not be given with %s", name));
		q->sent_as = q->name;
		q->name = name;
	}
	return 0;
}
