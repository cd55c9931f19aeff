#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Parses and checks a Prometheus text exposition (format 0.0.4).

    prom_parse.py < METRICS_TEXT > SAMPLES_JSON

Checks the syntax of every line (metric and label names, label value
escapes, values), that each family's HELP and TYPE come at most once and
before its samples, that a family's samples are not interleaved with
another's, that no series appears twice, and for every histogram series:
its buckets' le bounds increase, their counts never decrease (cumulative),
+Inf is there and equals _count, and _sum is there.

Prints {"types": {family: type}, "samples": [{"name", "labels", "value"}]}
and exits 0, or prints the problems on stderr and exits 1.
"""

import json
import math
import re
import sys

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r"[a-zA-Z_][a-zA-Z0-9_]*"
SAMPLE = re.compile(r"^(%s)(?:\{(.*)\})? (\S+)(?: (-?\d+))?$" % NAME)
LABEL_PAIR = re.compile(r'(%s)="((?:[^"\\\n]|\\[\\"n])*)"' % LABEL)
TYPES = ("counter", "gauge", "histogram", "summary", "untyped")
SUFFIXES = {"histogram": ("_bucket", "_sum", "_count"), "summary": ("_sum", "_count")}


def parse_labels(text, problems, n):
    labels = {}
    pos = 0
    while pos < len(text):
        m = LABEL_PAIR.match(text, pos)
        if not m:
            problems.append("line %d: bad labels {%s}" % (n, text))
            return labels
        name = m.group(1)
        if name in labels:
            problems.append("line %d: label %s twice" % (n, name))
        value = re.sub(r'\\(.)', lambda e: "\n" if e.group(1) == "n" else e.group(1), m.group(2))
        labels[name] = value
        pos = m.end()
        if pos < len(text):
            if text[pos] != ",":
                problems.append("line %d: bad labels {%s}" % (n, text))
                return labels
            pos += 1
    return labels


def parse_value(text):
    if text in ("+Inf", "Inf"):
        return math.inf
    if text == "-Inf":
        return -math.inf
    if text == "NaN":
        return math.nan
    if not re.match(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$", text):
        raise ValueError(text)
    return float(text)


def family_of(name, types):
    """The family a sample belongs to: itself, or a histogram's/summary's."""
    for fam, t in types.items():
        for suffix in SUFFIXES.get(t, ()):
            if name == fam + suffix:
                return fam
    return name


def check_histograms(samples, types, problems):
    series = {}
    for s in samples:
        fam = family_of(s["name"], types)
        if types.get(fam) != "histogram":
            continue
        labels = {k: v for k, v in s["labels"].items() if k != "le"}
        key = (fam, tuple(sorted(labels.items())))
        entry = series.setdefault(key, {"buckets": [], "sum": None, "count": None})
        if s["name"] == fam + "_bucket":
            if "le" not in s["labels"]:
                problems.append("%s: a bucket without le" % fam)
                continue
            entry["buckets"].append((parse_value(s["labels"]["le"]), s["value"]))
        elif s["name"] == fam + "_sum":
            entry["sum"] = s["value"]
        elif s["name"] == fam + "_count":
            entry["count"] = s["value"]
    for (fam, labels), e in series.items():
        where = "%s%s" % (fam, dict(labels))
        bounds = [b for b, _ in e["buckets"]]
        counts = [c for _, c in e["buckets"]]
        if bounds != sorted(bounds) or len(set(bounds)) != len(bounds):
            problems.append("%s: le bounds do not increase" % where)
        if any(b > a for a, b in zip(counts[1:], counts)):
            problems.append("%s: bucket counts decrease (not cumulative)" % where)
        if not bounds or bounds[-1] != math.inf:
            problems.append("%s: no +Inf bucket" % where)
        elif e["count"] is None or counts[-1] != e["count"]:
            problems.append("%s: +Inf bucket %s != _count %s" % (where, counts[-1], e["count"]))
        if e["sum"] is None:
            problems.append("%s: no _sum" % where)


def main():
    raw = sys.stdin.buffer.read()
    problems = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        print("the exposition is not UTF-8", file=sys.stderr)
        return 1
    if text and not text.endswith("\n"):
        problems.append("the last line does not end in LF")
    types, helps, samples, seen = {}, {}, [], set()
    done, current = set(), None
    for n, line in enumerate(text.split("\n")[:-1], 1):
        if not line.strip():
            continue
        if line.startswith("#"):
            m = re.match(r"^# (HELP|TYPE) (%s)(?: (.*))?$" % NAME, line)
            if not m:
                continue        # a plain comment
            kind, name, rest = m.group(1), m.group(2), m.group(3) or ""
            if kind == "TYPE":
                if rest not in TYPES:
                    problems.append("line %d: unknown type %r" % (n, rest))
                if name in types:
                    problems.append("line %d: TYPE of %s twice" % (n, name))
                if any(family_of(s["name"], {name: rest}) == name for s in samples):
                    problems.append("line %d: TYPE of %s after its samples" % (n, name))
                types[name] = rest
            else:
                if name in helps:
                    problems.append("line %d: HELP of %s twice" % (n, name))
                helps[name] = rest
            continue
        m = SAMPLE.match(line)
        if not m:
            problems.append("line %d: not a sample: %r" % (n, line))
            continue
        name, labels = m.group(1), parse_labels(m.group(2) or "", problems, n)
        try:
            value = parse_value(m.group(3))
        except ValueError:
            problems.append("line %d: bad value %r" % (n, m.group(3)))
            continue
        fam = family_of(name, types)
        if fam != current:
            if fam in done:
                problems.append("line %d: samples of %s are not together" % (n, fam))
            if current:
                done.add(current)
            current = fam
        key = (name, tuple(sorted(labels.items())))
        if key in seen:
            problems.append("line %d: series %s%s twice" % (n, name, labels))
        seen.add(key)
        if types.get(fam) == "counter" and value < 0:
            problems.append("line %d: a negative counter" % n)
        samples.append({"name": name, "labels": labels, "value": value})
    check_histograms(samples, types, problems)
    if problems:
        for p in problems[:20]:
            print(p, file=sys.stderr)
        return 1
    json.dump({"types": types, "samples": samples}, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
