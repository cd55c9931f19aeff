#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The OpenAPI document: every operation named once, the servers and the
# licence given, the error statuses documented with the one error schema,
# the same bytes on every request and from inventoryctl.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

api GET /openapi.json "" -
check_status 200 "GET /openapi.json is 200"
doc=$BODY

# Every operation, one per line: "METHOD path".
ops='.paths | to_entries[] | .key as $p | .value | to_entries[] | {path: $p, method: .key, op: .value}'

check_true "[$ops] | length >= 30 and all(.op.operationId | type == \"string\" and test(\"^[a-z]+[A-Za-z0-9]*$\"))" \
	"every operation has a camelCase operationId"
check_true "[$ops | .op.operationId] | length == (unique | length)" "the operationIds are unique"
check_true "[$ops | select(.method == \"get\" and .path == \"/api/products/{id}\")][0].op.operationId == \"getProductsById\"" \
	"GET /api/products/{id} is getProductsById"
check_true "[$ops | select(.method == \"post\" and .path == \"/api/inventory/adjust\")][0].op.operationId == \"postInventoryAdjust\"" \
	"POST /api/inventory/adjust is postInventoryAdjust"
check_true '(.servers | length > 0) and all(.servers[]; .url | type == "string" and length > 0)' \
	"the document names its servers"
check_true '.info.license.name | type == "string" and length > 0' "the document states its licence"
check_true '.info.description | type == "string" and length > 0' "the document has a description"

# The one error schema, as req_error and req_field_error write it.
check_true '.components.schemas.Error as $e | $e.required == ["error"] and
	$e.properties.error.type == "string" and $e.properties.message.type == "string" and
	$e.properties.details.type == "array" and
	$e.properties.details.items.properties.field.type == "string" and
	$e.properties.details.items.properties.message.type == "string"' \
	"components.schemas.Error is {error, message, details [{field, message}]}"

errors_of='.op.responses[$s].content["application/json"].schema["$ref"] == "#/components/schemas/Error"'
missing=$(jq -r "[$ops | select(.op.security != []) | . as \$o |
	[\"400\", \"401\", \"403\", \"503\"][] as \$s | \$o | select(($errors_of) | not) |
	\"\(.method) \(.path) \(\$s)\"] | .[]" <<<"$doc")
check_eq "$missing" "" "every authenticated operation documents 400, 401, 403 and 503 with the Error schema"
missing=$(jq -r "[$ops | select(.op.parameters | any(.in == \"path\")) | . as \$o |
	\"404\" as \$s | \$o | select(($errors_of) | not) | \"\(.method) \(.path)\"] | .[]" <<<"$doc")
check_eq "$missing" "" "every operation with an id in its path documents 404 with the Error schema"
missing=$(jq -r "[$ops | select(.op.requestBody) | . as \$o | \"400\" as \$s | \$o |
	select(($errors_of) | not) | \"\(.method) \(.path)\"] | .[]" <<<"$doc")
check_eq "$missing" "" "every operation with a body documents 400 with the Error schema"
# The health check's 503 is its own answer, not an error: it has its own body.
check_true "[$ops | .path as \$p | .op.responses | to_entries[] | select(.key | test(\"^[45]\")) |
	select(\$p != \"/api/health\" or .key != \"503\") | .value.content[\"application/json\"].schema[\"\$ref\"]] |
	all(. == \"#/components/schemas/Error\")" \
	"error responses use the shared schema"
check_true "[$ops | select(.path == \"/api/health\")][0].op.responses[\"503\"]
	.content[\"application/json\"].schema | .properties.status.enum == [\"unavailable\"] and
	(.required | index(\"database\"))" \
	"GET /api/health documents its 503 body"
# Every success answer is described: a 204 without a body, or a schema with
# its members (or the alternatives it may be), never "any object"; an export
# by the members of each NDJSON line; a text answer (the metrics) by a string
# schema that says what the text is.
undescribed=$(jq -r "[$ops | . as \$o | .op.responses | to_entries[] | select(.key | test(\"^2\")) |
	select(.key != \"204\") | .value.content as \$c |
	(\$c[\"application/json\"] // \$c[\"application/x-ndjson\"] // \$c[\"text/plain\"]).schema as \$s |
	select(\$s == null or (\$s.properties == null and \$s.oneOf == null and
		(\$c[\"text/plain\"] == null or \$s.type != \"string\" or (\$s.description // \"\") == \"\"))) |
	\"\(\$o.method) \(\$o.path) \(.key)\"] | .[]" <<<"$doc")
check_eq "$undescribed" "" "every operation describes the members of its success answer"
# An export answers CSV too: its header's names (x-columns) are the NDJSON
# line's members, in their order.
streamed=$(jq -r "[$ops | . as \$o | .op.responses[\"200\"].content // {} |
	select(has(\"application/x-ndjson\")) |
	select(.[\"text/csv\"][\"x-columns\"] != (.[\"application/x-ndjson\"].schema.properties | keys_unsorted)) |
	\"\(\$o.method) \(\$o.path)\"] | .[]" <<<"$doc")
check_eq "$streamed" "" "every export documents text/csv whose columns are its NDJSON members"
check_eq "$(jq -r '.paths["/api/inventory/export"].get.responses["200"].content | keys | join(",")' <<<"$doc")" \
	"application/x-ndjson,text/csv" "GET /api/inventory/export documents its two media types"
check_true "[$ops | .op.responses | keys | any(test(\"^2\"))] | all" \
	"every operation documents a success status"
check_true '.components.schemas.Object == null' "no schema stands for any object"
check_true "[$ops | .op.parameters // [] | map(\"\(.in) \(.name)\") | length == (unique | length)] | all" \
	"no operation declares a parameter twice"

# The document is built once: the same bytes on every request, whichever
# worker answers, and the same document as inventoryctl prints.
first=$(sha256sum <<<"$doc")
same=yes
for _ in 1 2 3 4 5 6; do
	api GET /openapi.json "" -
	[ "$(sha256sum <<<"$BODY")" = "$first" ] || same=no
done
check_eq "$same" yes "the document is byte-identical across requests"
check_eq "$(ctl openapi | jq -cS . | sha256sum)" "$(jq -cS . <<<"$doc" | sha256sum)" \
	"inventoryctl openapi prints the served document"

done_testing
