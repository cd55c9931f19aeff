/* SPDX-License-Identifier: MIT */
/*
 * Counting: cycle count batches, ABC classification, blind forms, and
 * inventory count sessions.
 */
#ifndef INV_API_COUNTING_H
#define INV_API_COUNTING_H

#include "api/api.h"

/* cycle_count.c, cycle_count_batch.c, cycle_count_flow.c, cycle_count_abc.c */
int cycle_count_get(struct req *r);
int cycle_count_create(struct req *r);
int cycle_count_batch_get(struct req *r);
int cycle_count_batch_update(struct req *r);
int cycle_count_abc_get(struct req *r);
int cycle_count_abc_create(struct req *r);
int cycle_count_abc_config_update(struct req *r);
int cycle_count_blind_form(struct req *r);
int cycle_count_resolve(struct req *r);
extern const struct field cycle_count_query[], cycle_count_create_fields[],
	cycle_count_update_fields[], cycle_count_abc_query[], cycle_count_abc_fields[],
	cycle_count_abc_config_fields[], cycle_count_blind_query[], cycle_count_resolve_fields[];
/* Their answers: the modes of GET (abc-config's is cycle_count_config_answer), a batch with its
 * lines, GET /abc, the blind form and resolve. */
extern const struct field cycle_count_modes_answer[], cycle_count_config_answer[],
	cc_batch_fields[], cycle_count_abc_answer[], cycle_count_blind_answer[],
	cycle_count_resolve_answer[];

/* counts.c, count_items.c: inventory count sessions */
int counts_list(struct req *r);
int count_start(struct req *r);
int count_get(struct req *r);
int count_items_list(struct req *r);
int count_item_add(struct req *r);
int count_complete(struct req *r);
int count_cancel(struct req *r);
int counts_summary(struct req *r);
extern const struct field counts_query[], count_start_fields[], count_item_fields[],
	count_complete_fields[], counts_summary_query[];
/* Their answers: a count session, a count item, the items of a count, the summary. */
extern const struct field count_columns[], count_item_columns[], count_items_fields[],
	counts_summary_fields[];

#endif
