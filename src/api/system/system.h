/* SPDX-License-Identifier: MIT */
/*
 * System endpoints: health, liveness, the OpenAPI document and the metrics.
 */
#ifndef INV_API_SYSTEM_H
#define INV_API_SYSTEM_H

#include "api/api.h"

int health_get(struct req *r);
/* GET /api/health/live: answers without the database, for load balancers. */
int health_live_get(struct req *r);
int openapi_get(struct req *r);
/* GET /api/metrics: the pool's counters in the Prometheus text format. */
int metrics_get(struct req *r);
#define METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"
extern const struct field health_fields[], health_down_fields[], health_live_fields[];
/* The migrations installed with this build (their file names), NULL-ended:
 * migrations_list.c, which make writes from the list it installs. */
extern const char *const installed_migrations[];
/* The members of an OpenAPI document that a client looks for. */
extern const struct field openapi_document_fields[];

#endif
