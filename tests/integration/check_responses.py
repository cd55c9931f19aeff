#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks recorded API responses against the OpenAPI document.

    check_responses.py [--first N] [--open] OPENAPI_JSON RECORD

RECORD is the index that tests/integration/lib.sh writes, one response a
line, tab-separated: METHOD, STATUS, BODY_FILE (relative to the index's
folder), PATH (the request's path without its query string, e.g.
/api/products/prod_12) and optionally CONTENT_TYPE (the response's). For
each response it finds the operation (path templates match one segment per
{name}; literal segments win over templates), the response of that status
(the exact code, then "4XX", then "default"), the content of the
response's media type (application/json when none was recorded) and
validates the body against its schema (JSON Schema 2020-12, $refs into the
document resolved).

Text answers (text/plain, the metrics): the body must be UTF-8 and the
media type's schema a string.

Streamed exports: an application/x-ndjson body is one JSON value per line,
each validated against the schema; a text/csv body (RFC 4180, UTF-8) must
begin with a header line equal to the media type's x-columns, and every
line must have that many fields.

It fails a response whose status the operation does not document, a body
that is not JSON where the document gives a JSON schema, and a body that
does not match. A path with no operation for its method is checked against
components.schemas.Error when its status is 400 or more (nginx's own 404 or
405), and fails otherwise.

Closed objects (the default; --open or SCHEMA_CLOSED=0 turns it off): every
object schema with "properties" and no additionalProperties of its own is
treated as closed, so a member the document does not name fails too. The
members of an allOf are left open and the schema holding the allOf is closed
instead (unevaluatedProperties), so that composition keeps working.

Prints TAP lines numbered from N (default 1): "ok N - K responses match the
OpenAPI document" when all match, else one "not ok" line per distinct
failure (operation, status, reason) followed by "#" lines with up to three
examples. Exits 0 when all match, 1 when some do not, 2 on a usage error.
"""

import argparse
import csv
import io
import json
import os
import re
import sys

try:
    import jsonschema
except ImportError:
    print("check_responses.py needs jsonschema (Debian: python3-jsonschema)", file=sys.stderr)
    sys.exit(2)

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
EXAMPLES = 3
ERRORS_PER_RESPONSE = 5
EXCERPT = 300
PATH_EXCERPT = 120

# Keywords whose value is a schema, a list of schemas or a map of schemas.
ONE_SCHEMA = ("items", "additionalProperties", "not", "if", "then", "else", "contains",
              "propertyNames", "unevaluatedItems", "unevaluatedProperties")
SCHEMA_LIST = ("prefixItems", "anyOf", "oneOf")
SCHEMA_MAP = ("properties", "patternProperties", "$defs", "dependentSchemas")
OPEN_PREFIX = "#/x-open-schemas/"
COMPONENT_PREFIX = "#/components/schemas/"


def closed(schema, close_self=True):
    """Returns a copy of schema whose object schemas are closed."""
    if not isinstance(schema, dict):
        return schema
    out = dict(schema)
    for k in ONE_SCHEMA:
        if isinstance(out.get(k), dict):
            out[k] = closed(out[k])
    for k in SCHEMA_LIST:
        if isinstance(out.get(k), list):
            out[k] = [closed(s) for s in out[k]]
    for k in SCHEMA_MAP:
        if isinstance(out.get(k), dict):
            out[k] = {name: closed(s) for name, s in out[k].items()}
    if isinstance(out.get("allOf"), list):
        out["allOf"] = [open_member(s) for s in out["allOf"]]
    if close_self and "additionalProperties" not in out and "unevaluatedProperties" not in out:
        if "allOf" in out:
            out["unevaluatedProperties"] = False
        elif "properties" in out:
            out["additionalProperties"] = False
    return out


def open_member(schema):
    """An allOf member: open itself (its parent is closed), a $ref to a
    component pointing at the component's open copy."""
    member = closed(schema, close_self=False)
    if isinstance(member, dict) and str(member.get("$ref", "")).startswith(COMPONENT_PREFIX):
        member["$ref"] = OPEN_PREFIX + member["$ref"][len(COMPONENT_PREFIX):]
    return member


class Document:
    def __init__(self, doc, close):
        self.doc = doc
        self.close = close
        self.validators = {}
        schemas = doc.get("components", {}).get("schemas", {})
        if close:
            self.components = dict(doc.get("components", {}))
            self.components["schemas"] = {n: closed(s) for n, s in schemas.items()}
            self.open_schemas = {n: closed(s, close_self=False) for n, s in schemas.items()}
        else:
            self.components = doc.get("components", {})
            self.open_schemas = {}
        # (literal-segment flags, template, segments) of every path.
        self.templates = []
        for template, item in doc.get("paths", {}).items():
            segs = template.strip("/").split("/")
            self.templates.append((segs, template, item))

    def operation(self, method, path):
        """Returns (template, operation) or (None, None)."""
        segs = path.strip("/").split("/")
        best = None
        for tsegs, template, item in self.templates:
            if len(tsegs) != len(segs) or not isinstance(item.get(method), dict):
                continue
            rank = []
            for t, s in zip(tsegs, segs):
                if t.startswith("{") and t.endswith("}"):
                    if not s:
                        break
                    rank.append(0)
                elif t == s:
                    rank.append(1)
                else:
                    break
            else:
                if best is None or rank > best[0]:
                    best = (rank, template, item[method])
        if best is None:
            return None, None
        return best[1], best[2]

    def resolve(self, obj):
        """Follows a local $ref (a response object may be one)."""
        seen = 0
        while isinstance(obj, dict) and "$ref" in obj and seen < 20:
            ref = obj["$ref"]
            if not ref.startswith("#/"):
                raise ValueError("unsupported $ref %s" % ref)
            obj = self.doc
            for part in ref[2:].split("/"):
                obj = obj[part.replace("~1", "/").replace("~0", "~")]
            seen += 1
        return obj

    def validator(self, key, schema):
        v = self.validators.get(key)
        if v is None:
            root = dict(closed(schema) if self.close else schema)
            root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
            root["components"] = self.components
            if self.open_schemas:
                root["x-open-schemas"] = self.open_schemas
            v = jsonschema.Draft202012Validator(root)
            self.validators[key] = v
        return v


def status_response(responses, status):
    for key in (str(status), "%sXX" % str(status)[0], "%sxx" % str(status)[0], "default"):
        if key in responses:
            return key, responses[key]
    return None, None


def reject_constant(name):
    raise ValueError("%s is not JSON" % name)


def pointer(path):
    return "/" + "/".join(str(p) for p in path)


def check(doc, method, path, status, body, content_type=""):
    """Returns (label, [(key, reason)]): label names the operation and
    status; each failure has a key for grouping and a reason to print."""
    m = method.lower()
    template, op = doc.operation(m, path)
    if op is None:
        label = "%s %s %s" % (method, excerpt(path, PATH_EXCERPT), status)
        if status < 400:
            return label, [("no-op", "no operation %s %s in the document"
                            % (method, excerpt(path, PATH_EXCERPT)))]
        schema, key = {"$ref": COMPONENT_PREFIX + "Error"}, ("Error",)
    else:
        label = "%s %s %s" % (method, template, status)
        code, response = status_response(op.get("responses", {}), status)
        if response is None:
            return label, [("status", "status %d is not documented for this operation" % status)]
        response = doc.resolve(response)
        content = response.get("content")
        if not content:
            if body.strip():
                return label, [("no-content", "a body where the document declares none")]
            return label, []
        mtype = media_type(content_type)
        media = content.get(mtype)
        if media is None:
            return label, [("media", "no %s content documented (%s)"
                            % (mtype, ", ".join(sorted(content))))]
        if mtype == "text/csv":
            return label, check_csv(media, body)
        if mtype == "text/plain":
            return label, check_text(media, body)
        schema, key = media.get("schema"), (m, template, code, mtype)
        if mtype == "application/x-ndjson":
            return label, check_ndjson(doc, key, schema, body)
    try:
        instance = json.loads(body.decode("utf-8"), parse_constant=reject_constant)
    except (ValueError, UnicodeDecodeError) as e:
        return label, [("json", "the body is not JSON (%s)" % str(e).split(":")[0])]
    if schema is None:
        return label, []
    return label, validate(doc, key, schema, instance)


def media_type(content_type):
    """The media type of a Content-Type header, lowercased; JSON when none."""
    mtype = (content_type or "").split(";")[0].strip().lower()
    return mtype or "application/json"


def check_ndjson(doc, key, schema, body):
    """Each line of an NDJSON body (each ending in LF) against schema."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return [("utf-8", "the body is not UTF-8")]
    if text and not text.endswith("\n"):
        return [("ndjson-eol", "the last line does not end in LF")]
    failures = []
    for n, line in enumerate(text.split("\n")[:-1], 1):
        try:
            instance = json.loads(line, parse_constant=reject_constant)
        except ValueError as e:
            failures.append((("ndjson",), "line %d is not JSON (%s)" % (n, str(e).split(":")[0])))
            break
        if schema is not None:
            found = validate(doc, key, schema, instance, "line %d" % n)
            failures.extend(found)
            if found:
                break
    return failures


def check_text(media, body):
    """A text body: UTF-8, documented as a string."""
    if (media.get("schema") or {}).get("type") != "string":
        return [("text-schema", "text/plain is documented without a string schema")]
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return [("utf-8", "the body is not UTF-8")]
    return []


def check_csv(media, body):
    """A CSV body: its header is x-columns, each record has as many fields."""
    columns = media.get("x-columns")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return [("utf-8", "the body is not UTF-8")]
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as e:
        return [("csv", "the body is not CSV (%s)" % e)]
    if not rows:
        return [("csv-header", "no header line")]
    if columns is not None and rows[0] != columns:
        return [("csv-header", "the header is %s, not x-columns %s"
                 % (excerpt(",".join(rows[0])), excerpt(",".join(columns))))]
    for n, row in enumerate(rows[1:], 2):
        if len(row) != len(rows[0]):
            return [("csv-fields", "record %d has %d fields, the header %d"
                     % (n, len(row), len(rows[0])))]
    return []


def validate(doc, key, schema, instance, prefix=""):
    """The failures of instance against schema, grouped by kind."""
    failures = []
    errors = sorted(doc.validator(key, schema).iter_errors(instance),
                    key=lambda e: list(e.absolute_path))
    for e in errors[:ERRORS_PER_RESPONSE]:
        where = pointer(e.absolute_path)
        shape = re.sub(r"/\d+(?=/|$)", "/*", where)
        message = e.message
        if len(message) > 160:
            message = message[:160] + "..."
        group = (e.validator, shape, tuple(e.absolute_schema_path))
        if e.validator in ("additionalProperties", "unevaluatedProperties", "required"):
            group += (e.message,)
        failures.append((group, "%s%s: %s" % (prefix + " " if prefix else "", where, message)))
    return failures


def read_record(index):
    folder = os.path.dirname(os.path.abspath(index))
    with open(index, "rb") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip(b"\n").decode("utf-8", "replace")
            if not line:
                continue
            parts = line.split("\t", 4)
            if len(parts) not in (4, 5) or not parts[1].isdigit():
                raise ValueError("%s:%d: not METHOD\\tSTATUS\\tBODY_FILE\\tPATH[\\tCONTENT_TYPE]"
                                 % (index, n))
            method, status, body_file, path = parts[:4]
            with open(os.path.join(folder, body_file), "rb") as b:
                body = b.read()
            yield method, path, int(status), body, parts[4] if len(parts) == 5 else ""


def excerpt(text, size=EXCERPT):
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    text = text.replace("\n", " ")
    return text if len(text) <= size else text[:size] + "..."


def main():
    env_closed = os.environ.get("SCHEMA_CLOSED", "1") not in ("0", "no", "false", "")
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--first", type=int, default=1, help="number of the first TAP line")
    ap.add_argument("--open", action="store_true",
                    help="do not close object schemas (also SCHEMA_CLOSED=0)")
    ap.add_argument("document")
    ap.add_argument("record")
    args = ap.parse_args()

    with open(args.document, "rb") as f:
        doc = Document(json.load(f), close=env_closed and not args.open)
    count = 0
    failures = {}   # (label, key) -> [reason, [examples]]
    for method, path, status, body, content_type in read_record(args.record):
        count += 1
        label, found = check(doc, method, path, status, body, content_type)
        for key, reason in found:
            entry = failures.setdefault((label, key), [reason, []])
            if len(entry[1]) < EXAMPLES:
                entry[1].append("%s %s %d: %s" % (method, excerpt(path, PATH_EXCERPT), status,
                                                  excerpt(body)))
    n = args.first
    if not failures:
        print("ok %d - %d responses match the OpenAPI document" % (n, count))
        return 0
    for (label, _), (reason, examples) in failures.items():
        print("not ok %d - %s: %s" % (n, label, reason))
        for ex in examples:
            print("#   %s" % ex)
        n += 1
    return 1


if __name__ == "__main__":
    sys.exit(main())
