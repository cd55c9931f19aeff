/* SPDX-License-Identifier: MIT */
/*
 * The configuration file: "key = value" lines, '#' starts a comment.
 * Every key is declared in one table (conf.c) with its default and its
 * validator; an unknown key, a bad value or a missing required value stops
 * start-up with a message that names the key.
 */
#ifndef INV_CONF_H
#define INV_CONF_H

#include <stdint.h>

enum jwt_algorithm { JWT_HS256, JWT_RS256 };

struct conf {
	char *db_host;
	int db_port;
	char *db_socket;
	char *db_name;
	char *db_user;
	char *db_password;
	enum jwt_algorithm jwt_algorithm;
	char *jwt_secret;
	char *jwt_public_key_file;
	char *jwt_private_key_file;
	char *jwt_issuer;
	char *jwt_audience;
	int64_t http_max_body_bytes;
	int apikey_cache_seconds;
	int jwt_leeway_seconds;
	int db_read_timeout_seconds;
	int db_lock_wait_timeout_seconds;
	/* A read replica: none when both host and socket are empty; user and
	 * password default to the primary's. */
	char *db_replica_host;
	int db_replica_port;
	char *db_replica_socket;
	char *db_replica_user;
	char *db_replica_password;
	int db_replica_max_lag_seconds;
	char *metrics_file;
	/* Loaded from the files above at start-up. */
	char *jwt_public_key;
	char *jwt_private_key;
};

/*
 * Loads the file at path (or $INVENTORY_CONF when path is NULL) into conf.
 * need_private_key asks for jwt.private_key_file to be read too.
 * Returns 0, or -1 after printing what is wrong.
 */
int conf_load(struct conf *conf, const char *path, int need_private_key);
/* Parses text as a configuration file; name is used in messages. */
int conf_parse(struct conf *conf, const char *text, const char *name);
/* Checks the values that depend on one another and loads key files. */
int conf_finish(struct conf *conf, int need_private_key);
void conf_release(struct conf *conf);
/* Sets every key to its default. */
void conf_defaults(struct conf *conf);

#endif
