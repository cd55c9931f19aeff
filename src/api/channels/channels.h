/* SPDX-License-Identifier: MIT */
/*
 * Channel ATP: what each sales channel may promise from each location's
 * stock, by the channel's ATP policy, as a channel x location matrix, the
 * stock lines behind one of its cells, and per-channel totals.
 */
#ifndef INV_API_CHANNELS_H
#define INV_API_CHANNELS_H

#include "api/api.h"

/* The rule, for the OpenAPI descriptions. */
#define ATP_FORMULA \
	"atp = max(0, min(available, floor(sellable x allocationPercent / 100) - safetyStock" \
	" - reservedByChannel)), where sellable is on hand less the held, picked, recalled and" \
	" expired quantities (everything but reservations; nothing from a lot that is expired," \
	" recalled or on hold), available is sellable less every reservation (the one" \
	" definition of available used by every endpoint) and reservedByChannel is what was" \
	" reserved for the channel (POST /api/inventory/availability/{id} with channelId) on" \
	" stock it could sell (not on a lot that is expired, recalled or on hold)." \
	" The policy is the channel's policy for the location, else its policy for every" \
	" location, else the default (100 %, no safety stock, the channel's thresholds)." \
	" severity is CRITICAL when atp <= criticalAtpThreshold, LOW when atp <=" \
	" lowAtpThreshold (the cell's threshold), else OK."

int channel_location_matrix(struct req *r);
int channel_location_drilldown(struct req *r);
int channel_summary(struct req *r);
int channel_location_export(struct req *r);
extern const struct field channel_matrix_query[], channel_matrix_answer[],
	channel_export_query[], channel_export_columns[],
	channel_drilldown_query[], channel_drilldown_answer[], channel_summary_query[],
	channel_summary_answer[];

/*
 * The channels named by the comma-separated list (ids such as chn_3 or
 * codes such as DTC), as a JSON array of ids in *ids; NULL list: every
 * channel (*ids NULL). Returns 0, or the 400 status set naming param when
 * one is not the workspace's, or 500.
 */
int channel_ids(struct req *r, const char *param, const char *list, const char **ids);

/*
 * The channel named (an id such as chn_3, else a code such as DTC) in
 * *id. Returns 0, or the 404 "Channel not found" or 500 status set.
 */
int channel_resolve(struct req *r, const char *name, int64_t *id);

#endif
