/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/conf.h"
#include "core/strbuf.h"
#include "core/util.h"

enum conf_type { CONF_STRING, CONF_INT, CONF_ALGORITHM };

struct conf_key {
	const char *name;
	enum conf_type type;
	size_t offset;
	const char *def;
	int64_t min, max;     /* for CONF_INT */
};

#define KEY_STR(n, f, d) { n, CONF_STRING, offsetof(struct conf, f), d, 0, 0 }
#define KEY_INT(n, f, d, lo, hi) { n, CONF_INT, offsetof(struct conf, f), d, lo, hi }

static const struct conf_key conf_keys[] = {
	KEY_STR("db.host", db_host, "localhost"),
	KEY_INT("db.port", db_port, "3306", 0, 65535),
	KEY_STR("db.socket", db_socket, ""),
	KEY_STR("db.name", db_name, "inventory"),
	KEY_STR("db.user", db_user, "inventory"),
	KEY_STR("db.password", db_password, ""),
	KEY_INT("db.read_timeout_seconds", db_read_timeout_seconds, "10", 1, 3600),
	KEY_INT("db.lock_wait_timeout_seconds", db_lock_wait_timeout_seconds, "5", 1, 3600),
	KEY_STR("db.replica.host", db_replica_host, ""),
	KEY_INT("db.replica.port", db_replica_port, "3306", 0, 65535),
	KEY_STR("db.replica.socket", db_replica_socket, ""),
	KEY_STR("db.replica.user", db_replica_user, ""),
	KEY_STR("db.replica.password", db_replica_password, ""),
	KEY_INT("db.replica.max_lag_seconds", db_replica_max_lag_seconds, "5", 0, 3600),
	{ "jwt.algorithm", CONF_ALGORITHM, offsetof(struct conf, jwt_algorithm), "HS256", 0, 0 },
	KEY_STR("jwt.secret", jwt_secret, ""),
	KEY_STR("jwt.public_key_file", jwt_public_key_file, ""),
	KEY_STR("jwt.private_key_file", jwt_private_key_file, ""),
	KEY_STR("jwt.issuer", jwt_issuer, ""),
	KEY_STR("jwt.audience", jwt_audience, ""),
	KEY_INT("jwt.leeway_seconds", jwt_leeway_seconds, "30", 0, 3600),
	KEY_INT("http.max_body_bytes", http_max_body_bytes, "1048576", 1024, 1073741824),
	KEY_INT("apikey.cache_seconds", apikey_cache_seconds, "30", 0, 60),
	KEY_STR("metrics.file", metrics_file, ""),
};

static const struct conf_key *find_key(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(conf_keys); i++)
		if (!strcmp(conf_keys[i].name, name))
			return &conf_keys[i];
	return NULL;
}

/* Stores value under key k. Returns 0, or -1 after printing the problem. */
static int set_key(struct conf *conf, const struct conf_key *k, const char *value,
		   const char *where)
{
	char *field = (char *)conf + k->offset;
	int64_t v;
	int ret = -1;

	switch (k->type) {
	case CONF_STRING:
		free(*(char **)field);
		*(char **)field = xstrdup(value);
		ret = 0;
		break;
	case CONF_INT:
		if (parse_int64(value, &v) || v < k->min || v > k->max) {
			error("%s: '%s' must be an integer from %lld to %lld, not '%s'",
			      where, k->name, (long long)k->min, (long long)k->max, value);
			break;
		}
		if (k->offset == offsetof(struct conf, http_max_body_bytes))
			*(int64_t *)field = v;
		else
			*(int *)field = (int)v;
		ret = 0;
		break;
	case CONF_ALGORITHM:
		if (!strcmp(value, "HS256"))
			*(enum jwt_algorithm *)field = JWT_HS256;
		else if (!strcmp(value, "RS256"))
			*(enum jwt_algorithm *)field = JWT_RS256;
		else {
			error("%s: 'jwt.algorithm' must be HS256 or RS256, not '%s'", where, value);
			break;
		}
		ret = 0;
		break;
	}
	return ret;
}

void conf_defaults(struct conf *conf)
{
	size_t i;

	memset(conf, 0, sizeof(*conf));
	for (i = 0; i < ARRAY_SIZE(conf_keys); i++)
		if (set_key(conf, &conf_keys[i], conf_keys[i].def, "defaults"))
			bug("bad default for '%s'", conf_keys[i].name);
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

int conf_parse(struct conf *conf, const char *text, const char *name)
{
	char *copy = xstrdup(text), *line, *next;
	int lineno = 0, ret = 0;

	for (line = copy; line; line = next) {
		char *eq, *key, *value, where[512];
		const struct conf_key *k;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		line = trim(line);
		if (!*line || *line == '#')
			continue;
		snprintf(where, sizeof(where), "%s:%d", name, lineno);
		eq = strchr(line, '=');
		if (!eq) {
			ret = error("%s: expected 'key = value', got '%s'", where, line);
			break;
		}
		*eq = '\0';
		key = trim(line);
		value = trim(eq + 1);
		k = find_key(key);
		if (!k) {
			ret = error("%s: unknown key '%s'", where, key);
			break;
		}
		if (set_key(conf, k, value, where)) {
			ret = -1;
			break;
		}
	}
	free(copy);
	return ret;
}

int conf_finish(struct conf *conf, int need_private_key)
{
	int ret = -1;

	if (!*conf->db_name) {
		error("config: 'db.name' must not be empty");
		goto out;
	}
	if (!*conf->db_user) {
		error("config: 'db.user' must not be empty");
		goto out;
	}
	if (conf->jwt_algorithm == JWT_HS256) {
		if (strlen(conf->jwt_secret) < 32) {
			error("config: 'jwt.secret' must be at least 32 characters for HS256");
			goto out;
		}
	} else {
		if (!*conf->jwt_public_key_file) {
			error("config: 'jwt.public_key_file' is required for RS256");
			goto out;
		}
		conf->jwt_public_key = read_whole_file(conf->jwt_public_key_file);
		if (!conf->jwt_public_key) {
			error("config: 'jwt.public_key_file': unable to read '%s': %s",
			      conf->jwt_public_key_file, strerror(errno));
			goto out;
		}
		if (need_private_key) {
			if (!*conf->jwt_private_key_file) {
				error("config: 'jwt.private_key_file' is required to sign RS256 tokens");
				goto out;
			}
			conf->jwt_private_key = read_whole_file(conf->jwt_private_key_file);
			if (!conf->jwt_private_key) {
				error("config: 'jwt.private_key_file': unable to read '%s': %s",
				      conf->jwt_private_key_file, strerror(errno));
				goto out;
			}
		}
	}
	ret = 0;
out:
	return ret;
}

int conf_load(struct conf *conf, const char *path, int need_private_key)
{
	char *text = NULL;
	int ret = -1;

	conf_defaults(conf);
	if (!path)
		path = getenv("INVENTORY_CONF");
	if (!path || !*path) {
		error("no configuration file: set INVENTORY_CONF or pass --config");
		goto out;
	}
	text = read_whole_file(path);
	if (!text) {
		error("unable to read configuration '%s': %s", path, strerror(errno));
		goto out;
	}
	if (conf_parse(conf, text, path) || conf_finish(conf, need_private_key))
		goto out;
	ret = 0;
out:
	free(text);
	return ret;
}

void conf_release(struct conf *conf)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(conf_keys); i++)
		if (conf_keys[i].type == CONF_STRING)
			free(*(char **)((char *)conf + conf_keys[i].offset));
	free(conf->jwt_public_key);
	free(conf->jwt_private_key);
	memset(conf, 0, sizeof(*conf));
}
