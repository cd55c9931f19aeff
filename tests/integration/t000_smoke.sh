#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The stack answers: health, the OpenAPI document, authentication.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

api GET /health "" -
check_status 200 "GET /health is 200"
check_json .status ok "health reports status ok"

api GET /openapi.json "" -
check_status 200 "GET /openapi.json is 200"
check_true '.openapi | startswith("3.1")' "the document is OpenAPI 3.1"

api GET /inventory "" -
check_status 401 "GET /inventory without credentials is 401"
check_json .error Unauthorized "the error is Unauthorized"

slug=$(uniq_slug smoke)
new_workspace "$slug" >/dev/null
TOKEN=$(new_key "$slug" inventory.read)

api GET "/inventory?limit=5"
check_status 200 "GET /inventory with an inventory.read key is 200"
check_json .pagination.page 1 "the first page is page 1"

done_testing
