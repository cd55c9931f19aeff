#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs last: stops the test stack's MariaDB, checks that the API answers
# 503/JSON instead of crashing, then starts it again and checks recovery.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=scripts/lib/stack.sh
. "$(dirname "$0")/../../scripts/lib/stack.sh"

slug=$(uniq_slug down)
new_workspace "$slug" >/dev/null
TOKEN=$(new_key "$slug" inventory.read)
jwt=$(new_token "$slug" inventory.read)

api GET /health "" -
check_status 200 "health is 200 with the database up"

_stack_stop_db "$TEST_DIR"
api GET /health "" -
check_status 503 "health is 503 with the database down"
check_json .status unavailable "health says unavailable"
api GET /inventory "" "$jwt"
check_status 503 "a request with a token is 503 with the database down"
check_json .error "Service Unavailable" "the error is JSON"
check_eq "$(grep -ci 'mysql\|mariadb\|select' <<<"$BODY" || true)" 0 "no SQL or driver text in the body"
api GET /inventory
check_status 503 "a request with an API key is 503 with the database down"
check_eq "$(grep -ci 'mysql\|mariadb\|select' <<<"$BODY" || true)" 0 "no SQL or driver text in the body"

_stack_start_db "$TEST_DIR" >/dev/null
wait_healthy
check_status 200 "health recovers when the database is back"
api GET /inventory "" "$jwt"
check_status 200 "requests work again after the database restarts"
api GET /inventory
check_status 200 "API keys work again after the database restarts"

done_testing
