#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check_responses.py, which done_testing runs on every response a test
# received, checked on a small hand-written document and hand-written
# responses: what it lets pass and what it fails. Talks to no server.
set -euo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

CHECK=$(dirname "$0")/check_responses.py
WORK=$_API_TMP/schema-check
mkdir -p "$WORK/bodies"

cat >"$WORK/doc.json" <<'JSON'
{
  "openapi": "3.1.0",
  "paths": {
    "/api/things/{id}": {
      "get": {"responses": {
        "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
        "404": {"$ref": "#/components/responses/NotFound"}
      }},
      "delete": {"responses": {"204": {"description": "Deleted"}}}
    },
    "/api/things/special": {
      "get": {"responses": {
        "200": {"content": {"application/json": {"schema": {"type": "array", "items": {"type": "string"}}}}}
      }}
    },
    "/api/things": {
      "get": {"responses": {
        "200": {"content": {"application/json": {"schema": {
          "type": "object", "required": ["items"],
          "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}}
        }}}},
        "default": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
      }},
      "post": {"responses": {
        "201": {"content": {"application/json": {"schema": {"allOf": [
          {"$ref": "#/components/schemas/Thing"},
          {"type": "object", "properties": {"created": {"type": "boolean"}}}
        ]}}}}
      }}
    }
  },
  "components": {
    "schemas": {
      "Thing": {"type": "object", "required": ["id"], "properties": {
        "id": {"type": "string"}, "n": {"type": ["integer", "null"]}
      }},
      "Error": {"type": "object", "required": ["error"], "properties": {
        "error": {"type": "string"}, "message": {"type": "string"}
      }}
    },
    "responses": {
      "NotFound": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    }
  }
}
JSON

# record METHOD STATUS PATH BODY: one response of the record.
N=0
record() {
	N=$((N + 1))
	printf '%s' "$4" >"$WORK/bodies/$N"
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "bodies/$N" "$3" >>"$WORK/index"
}

# run_check [ENV...]: runs the checker on the record; sets OUT and RC.
run_check() {
	RC=0
	OUT=$(env "$@" "$SCHEMA_PYTHON" "$CHECK" --first 7 "$WORK/doc.json" "$WORK/index" 2>&1) || RC=$?
}

# check_out REGEX DESC: some line of OUT matches the ERE.
check_out() {
	if grep -Eq -- "$1" <<<"$OUT"; then
		pass "$2"
	else
		fail "$2" "no line matches /$1/ in:" "$OUT"
	fi
}

# check_no_out REGEX DESC: no line of OUT matches the ERE.
check_no_out() {
	if grep -Eq -- "$1" <<<"$OUT"; then
		fail "$2" "a line matches /$1/ in:" "$OUT"
	else
		pass "$2"
	fi
}

# ---------------------------------------------------------------- all good

record GET 200 /api/things/t_1 '{"id":"t_1","n":3}'
record GET 200 /api/things/t_2 '{"id":"t_2","n":null}'
record GET 404 /api/things/t_3 '{"error":"Not Found","message":"no thing t_3"}'
record GET 200 /api/things/special '["a","b"]'
record GET 200 /api/things '{"items":[{"id":"t_1"}]}'
record GET 400 /api/things '{"error":"Invalid request data"}'
record POST 201 /api/things '{"id":"t_4","n":1,"created":true}'
record DELETE 204 /api/things/t_4 ''
record GET 404 /api/nowhere '{"error":"Not Found"}'
run_check
check_eq "$RC" 0 "a record that matches the document exits 0"
check_eq "$OUT" "ok 7 - 9 responses match the OpenAPI document" \
	"it prints one ok line, numbered from --first, counting the responses"

# ---------------------------------------------------------------- mismatches

record GET 200 /api/things/t_5 '{"id":"t_5","n":"3"}'
record GET 200 /api/things/t_6 '{"id":"t_6","n":"4"}'
record GET 200 /api/things/t_7 '{"id":7}'
record GET 418 /api/things/t_8 '{"error":"teapot"}'
record GET 200 /api/things/t_9 '{"id":"t_9","colour":"red"}'
record GET 200 /api/things '{"items":[{"id":"t_1","colour":"red"}]}'
record POST 201 /api/things '{"id":"t_10","created":true,"colour":"red"}'
record GET 200 /api/things/special '{"items":[]}'
record GET 200 /api/things/t_11 'not json'
record GET 200 /api/nowhere '{}'
record GET 404 /api/nowhere '<html>404</html>'
record DELETE 204 /api/things/t_12 '{"deleted":true}'
run_check
check_eq "$RC" 1 "a record with mismatches exits 1"
check_out '^not ok 7 - ' "the failures are numbered from --first"
check_out '^not ok [0-9]+ - GET /api/things/\{id\} 200: /n: .* is not of type' \
	"a member of the wrong type fails, named by the operation's path template"
check_eq "$(grep -c "is not of type 'integer', 'null'" <<<"$OUT")" 1 \
	"the same mismatch in two responses is one failure"
check_out "^#   GET /api/things/t_5 200: \\{\"id\":\"t_5\",\"n\":\"3\"\\}" "a failure shows an example with its body"
check_out '^not ok [0-9]+ - GET /api/things/\{id\} 200: /id: 7 is not of type' "a different mismatch is its own failure"
check_out '^not ok [0-9]+ - GET /api/things/\{id\} 418: status 418 is not documented' "an undocumented status fails"
check_out "^not ok [0-9]+ - GET /api/things/\\{id\\} 200: /: Additional properties .*'colour'" \
	"a member the document does not name fails"
check_out "^not ok [0-9]+ - GET /api/things 200: /items/0: Additional properties .*'colour'" \
	"a member the document does not name fails in a nested \$ref too"
check_out "^not ok [0-9]+ - POST /api/things 201: /: Unevaluated properties .*'colour'" \
	"an allOf of a \$ref and more members is closed as a whole"
check_out '^not ok [0-9]+ - GET /api/things/special 200: /: .* is not of type .array.' \
	"a literal path segment wins over a template"
check_out '^not ok [0-9]+ - GET /api/things/\{id\} 200: the body is not JSON' "a body that is not JSON fails"
check_out '^not ok [0-9]+ - GET /api/nowhere 200: no operation GET /api/nowhere' "a success on an unknown path fails"
check_out '^not ok [0-9]+ - GET /api/nowhere 404: the body is not JSON' \
	"an error on an unknown path must still be a JSON error"
check_out '^not ok [0-9]+ - DELETE /api/things/\{id\} 204: a body where the document declares none' \
	"a body where the document declares none fails"
check_no_out '^ok ' "no ok line when something fails"

# ---------------------------------------------------------------- open objects

: >"$WORK/index"
record GET 200 /api/things/t_9 '{"id":"t_9","colour":"red"}'
record POST 201 /api/things '{"id":"t_10","created":true,"colour":"red"}'
run_check SCHEMA_CLOSED=0
check_eq "$OUT" "ok 7 - 2 responses match the OpenAPI document" "SCHEMA_CLOSED=0 lets undocumented members pass"
run_check SCHEMA_CLOSED=1
check_eq "$RC" 1 "SCHEMA_CLOSED=1 fails them"

done_testing
