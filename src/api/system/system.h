/*
 * System endpoints: health and the OpenAPI document.
 */
#ifndef INV_API_SYSTEM_H
#define INV_API_SYSTEM_H

#include "api/api.h"

int health_get(struct req *r);
int openapi_get(struct req *r);
extern const struct field health_fields[], health_down_fields[];
/* The members of an OpenAPI document that a client looks for. */
extern const struct field openapi_document_fields[];

#endif
