/* SPDX-License-Identifier: MIT */
/*
 * Replenishment: the workspace's configuration, the figures of every
 * Supported inventory level (what is there, coming, going and expiring),
 * the suggestions they make, and the replenishments ordered from them.
 */
#ifndef INV_API_REPLENISH_H
#define INV_API_REPLENISH_H

#include "api/api.h"

/* config.c */
int replenish_config_get(struct req *r);
int replenish_config_post(struct req *r);
extern const struct field replenish_config_fields[];

enum config_value { CFG_WINDOW, CFG_LEAD, CFG_PERIOD, CFG_IN_TRANSIT, CFG_OPEN_REQUESTS,
		    CFG_EXCLUDE_EXPIRING, CFG_ROUND, CFG__MAX };
struct replenish_config {
	const char *method;          /* MIN_MAX or FORECAST */
	int64_t v[CFG__MAX];
};
/* The workspace's configuration (the defaults when never set). */
int replenish_config_read(struct req *r, struct replenish_config *out);

/* figures.c */
int replenish_suggestions(struct req *r);
extern const struct field replenish_suggest_fields[], replenish_suggest_answer[];

/* One Supported level's figures and what they suggest. */
struct level_figures {
	int64_t level, product, location, source;   /* source 0: an outside supplier */
	const char *min, *reorder, *max;            /* the level's, as stored; NULL: unset */
	int64_t lead, period, on_hand, available, in_transit, on_order, expiring;
	double demand;                              /* average per day */
	int64_t position, reorder_point, suggested;
	const char *status;
	double cover;                               /* days; < 0: no demand */
};

/* The filters of a computation: 0 / NULL for none. */
struct figures_filter {
	int64_t location, category, product;
	const char *products;        /* a JSON array of product ids */
	const char *status;
	const char *method;          /* overrides the configuration's */
};

/*
 * The figures of every Supported level matching f, in a constant number
 * of queries, sorted by urgency. Returns 0 or the status of the error set.
 */
int replenish_figures(struct req *r, const struct figures_filter *f, const char **method,
		      struct level_figures **out, size_t *n);

/* The filters of the request's body (locationId, productMasterIds,
 * categoryId, status, method). */
void replenish_body_filter(struct req *r, struct figures_filter *f);

/* The pure rule: position, reorder point, status and suggestion of fig
 * (its quantities and demand filled), by method and the rounding multiple. */
void replenish_plan(struct level_figures *fig, const char *method, int64_t multiple);
extern const char *const replenish_statuses[];

/* replenishments.c */
int replenishment_list(struct req *r);
int replenishment_get(struct req *r);
int replenishment_create(struct req *r);
int replenishment_action(struct req *r);
extern const struct field replenishment_query[], replenishment_create_fields[],
	replenishment_action_fields[], replenishment_answer[], replenishment_columns[],
	replenishment_created_answer[];

#endif
