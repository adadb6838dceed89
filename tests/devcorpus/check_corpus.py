#!/usr/bin/env python3
"""Validate the hand-annotated development corpus (stdlib only).

Usage: python3 tests/devcorpus/check_corpus.py [--strict]

Checks docs/*.txt, gold.jsonl and confounders.jsonl for internal consistency
and prints counts.  --strict also fails on uncovered number words
(by default they are only listed as warnings).  Exit status 1 on any error.
"""

import collections
import itertools
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DOC_DIR = os.path.join(HERE, "docs")

INDICATORS = {"deaths", "injured", "displaced", "famine_exposure", "food_insecurity", "aid_worker_casualties"}
QUALIFIERS = {"exact", "at_least", "more_than", "at_most", "fewer_than", "approx", "range", "vague"}
MEASURES = {"cumulative", "period", "rate", "snapshot"}
POPULATIONS = {
    None,
    "children",
    "women",
    "civilians",
    "aid workers",
    "un personnel",
    "unrwa staff",
    "journalists",
    "health workers",
    "hostages",
    "dependents",
    "soldiers",
    "internally displaced persons",
    "refugees",
}
UNITS = {"person", "household", "family"}
AID_OUTCOMES = {"killed", "injured", "kidnapped", "detained"}
DISPLACED_OUTCOMES = {"displaced", "evacuated", "sheltering", "refugees", "homeless"}
OUTCOMES = {
    "deaths": {"killed"},
    "injured": {"injured"},
    "displaced": DISPLACED_OUTCOMES,
    "famine_exposure": {None},
    "food_insecurity": {None},
    "aid_worker_casualties": AID_OUTCOMES,
}
STATUSES = {"reported", "projected"}
# Who counted a figure. Keep this list short: add a name only when no existing one fits.
ORIGINATORS = {
    None,
    # UN system and international bodies
    "United Nations",
    "UN OCHA",
    "IOM DTM",
    "UNHCR",
    "UNICEF",
    "WHO",
    "WFP",
    "IPC",
    "FEWS NET",
    "FSNAU",
    "Cadre Harmonise",
    "OHCHR",
    "UNMISS",
    "UNRWA",
    "IFRC",
    "ICRC",
    "MSF",
    "Aid Worker Security Database",
    "Lebanese Red Cross",
    "Syrian Arab Red Crescent",
    "Protection Cluster",
    "Emergency Lawyers",
    "Ghent University",
    # national and local authorities, "<Country> <body>"
    "Afghanistan de facto authorities",
    "Bangladesh authorities",
    "Afghanistan local authorities",
    "Afghanistan health authorities",
    "DR Congo provincial authorities",
    "DR Congo local authorities",
    "Dominican Republic local authorities",
    "Haiti National Police",
    "Ethiopia local authorities",
    "Gaza Ministry of Health",
    "India ASDMA",
    "Israel authorities",
    "Israel military",
    "Lebanon Ministry of Health",
    "Lebanon government",
    "Lebanon authorities",
    "Lebanon National News Agency",
    "Lebanon Civil Defence",
    "Libya eastern authorities",
    "Myanmar de facto authorities",
    "Mozambique INGD",
    "Nigeria Borno state government",
    "Pakistan NDMA",
    "Pakistan provincial authorities",
    "Pakistan army",
    "Philippines NDRRMC",
    "Philippines DSWD",
    "Russia regional authorities",
    "Rwanda authorities",
    "Somalia police",
    "Sudan Ministry of Health",
    "Sudan local authorities",
    "Turkey AFAD",
    "Turkey government",
    "Turkey provincial authorities",
    "Ukraine regional authorities",
    "Ukraine prosecutor's office",
    "Yemen Houthi-run Ministry of Health",
    "Yemen government",
    "Yemen local authorities",
    # armed groups, hospitals and others quoted as the source of a count
    "Al-Awda Hospital",
    "Arakan Army",
    "Hamas",
}
WHYS = {
    "population_total",
    "troops",
    "money",
    "date",
    "year",
    "age",
    "duration",
    "area",
    "hostages_held",
    "prisoners_released",
    "page_count",
    "phone_number",
    "returnees",
    "missing",
    "combined_casualties",
    "earlier_value",
    "other_quantity",
}
VAGUE = {
    "a few": (2, 9),
    "several": (3, 9),
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (200, 999),
    "thousands": (2000, 9999),
    "tens of thousands": (20000, 99999),
    "hundreds of thousands": (200000, 999999),
    "millions": (2000000, 9999999),
}
GOLD_KEYS = {
    "doc",
    "context",
    "figure",
    "indicator",
    "value",
    "low",
    "high",
    "qualifier",
    "outcome",
    "measure",
    "population",
    "unit",
    "headline",
    "originator",
    "status",
}
CONF_KEYS = {"doc", "context", "figure", "why"}
NAME_RE = re.compile(r"^([a-z]+)_(\d{2})_([a-z]+)\.txt$")
NUMBER_WORDS = re.compile(
    r"\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|"
    r"thousands?|millions?|billions?|dozens?|scores|half|quarter|lakh|"
    r"several|few)\b",
    re.I,
)

errors = []
warnings = []


def err(msg):
    errors.append(msg)


def load_jsonl(name):
    rows = []
    path = os.path.join(HERE, name)
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rows.append((i, json.loads(line)))
            except ValueError as e:
                err("%s:%d: bad JSON (%s)" % (name, i, e))
    return rows


def locate(docs, row, where):
    """Return the absolute (start, end) span of the figure, or None."""
    doc, ctx, fig = row.get("doc"), row.get("context"), row.get("figure")
    if doc not in docs:
        err(f"{where}: unknown doc {doc!r}")
        return None
    if not isinstance(ctx, str) or not isinstance(fig, str) or not ctx or not fig:
        err(f"{where}: context/figure must be non-empty strings")
        return None
    text = docs[doc]
    n = text.count(ctx)
    if n != 1:
        err("%s: context occurs %d times in %s: %r" % (where, n, doc, ctx))
        return None
    k = ctx.find(fig)
    if k < 0:
        err(f"{where}: figure {fig!r} not in context {ctx!r}")
        return None
    start = text.find(ctx) + k
    end = start + len(fig)
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if before.isalnum() or after.isalnum():
        err(f"{where}: first occurrence of figure {fig!r} in context is inside a longer token: {ctx!r}")
    return (start, end)


def check_bounds(where, r):
    q, v, lo, hi = r["qualifier"], r["value"], r["low"], r["high"]
    for name, x in (("value", v), ("low", lo), ("high", hi)):
        if x is not None and (isinstance(x, bool) or not isinstance(x, (int, float))):
            err(f"{where}: {name} must be a number or null")
            return
    if v is None or v <= 0:
        err(f"{where}: value must be positive")
        return
    ok = True
    if q == "exact":
        ok = lo == v and hi == v
    elif q in ("at_least", "more_than"):
        ok = lo == v and hi is None
    elif q in ("at_most", "fewer_than"):
        ok = lo is None and hi == v
    elif q == "approx":
        ok = lo is None and hi in (None, v)
    elif q == "range":
        ok = lo == v and hi is not None and hi > v
    elif q == "vague":
        key = r["figure"].lower()
        if key not in VAGUE:
            err("{}: vague figure {!r} is not a known vague word".format(where, r["figure"]))
            return
        ok = (lo, hi) == VAGUE[key] and v == lo
    if not ok:
        err(f"{where}: value/low/high {v!r}/{lo!r}/{hi!r} inconsistent with qualifier {q}")


def main():
    strict = "--strict" in sys.argv
    docs = {}
    for name in sorted(os.listdir(DOC_DIR)):
        if not name.endswith(".txt"):
            continue
        if not NAME_RE.match(name):
            err(f"bad doc file name {name}")
        with open(os.path.join(DOC_DIR, name), encoding="utf-8") as fh:
            text = fh.read()
        docs[name] = text
        lines = text.split("\n")
        if len(lines) < 3 or not lines[0].strip() or lines[1].strip():
            err(f"{name}: first line must be a headline followed by a blank line")
        words = len(text.split())
        if not 120 <= words <= 450:
            err("%s: %d words (want 120-450)" % (name, words))

    gold = load_jsonl("gold.jsonl")
    conf = load_jsonl("confounders.jsonl")
    spans = collections.defaultdict(list)  # doc -> [(start, end, label)]
    headlines = {}  # (doc, indicator, outcome) -> where: at most one headline each

    for i, r in gold:
        where = "gold.jsonl:%d" % i
        if set(r) != GOLD_KEYS:
            err(f"{where}: keys {sorted(set(r) ^ GOLD_KEYS)}")
            continue
        if r["indicator"] not in INDICATORS:
            err("{}: bad indicator {!r}".format(where, r["indicator"]))
            continue
        if r["qualifier"] not in QUALIFIERS:
            err("{}: bad qualifier {!r}".format(where, r["qualifier"]))
            continue
        if r["measure"] not in MEASURES:
            err("{}: bad measure {!r}".format(where, r["measure"]))
        if r["population"] not in POPULATIONS:
            err("{}: bad population {!r}".format(where, r["population"]))
        if r["unit"] not in UNITS:
            err("{}: bad unit {!r}".format(where, r["unit"]))
        if r["outcome"] not in OUTCOMES[r["indicator"]]:
            err("{}: outcome {!r} does not fit {}".format(where, r["outcome"], r["indicator"]))
        if not isinstance(r["headline"], bool):
            err("{}: headline must be true or false, not {!r}".format(where, r["headline"]))
        elif r["headline"]:
            key = (r["doc"], r["indicator"], r["outcome"])
            if key in headlines:
                err("{}: second headline for {} (first at {})".format(where, "/".join(map(str, key)), headlines[key]))
            headlines[key] = where
        if r["originator"] not in ORIGINATORS:
            err("{}: unknown originator {!r} (canonical names are listed in check_corpus.py)".format(where, r["originator"]))
        if r["status"] not in STATUSES:
            err("{}: bad status {!r}".format(where, r["status"]))
        check_bounds(where, r)
        sp = locate(docs, r, where)
        if sp:
            spans[r["doc"]].append((*sp, "gold " + where))

    for i, r in conf:
        where = "confounders.jsonl:%d" % i
        if set(r) != CONF_KEYS:
            err(f"{where}: keys {sorted(set(r) ^ CONF_KEYS)}")
            continue
        if r["why"] not in WHYS:
            err("{}: bad why {!r}".format(where, r["why"]))
        sp = locate(docs, r, where)
        if sp:
            spans[r["doc"]].append((*sp, "conf " + where))

    # overlapping annotations and uncovered numbers
    for name, text in docs.items():
        ss = sorted(spans[name])
        for a, b in itertools.pairwise(ss):
            if b[0] < a[1]:
                err(f"{name}: overlapping figures {text[a[0] : a[1]]!r} ({a[2]}) and {text[b[0] : b[1]]!r} ({b[2]})")
        covered = [False] * len(text)
        for s, e, _ in ss:
            for k in range(s, e):
                covered[k] = True
        for m in re.finditer(r"\d+", text):
            if m.start() > 0 and text[m.start() - 1].isalpha():
                continue  # part of a name such as M23
            if not all(covered[m.start() : m.end()]):
                err(
                    "{}: number {!r} not annotated: ...{}...".format(
                        name, m.group(), text[max(0, m.start() - 40) : m.end() + 30].replace("\n", " ")
                    )
                )
        for m in NUMBER_WORDS.finditer(text):
            if not any(covered[m.start() : m.end()]):
                warnings.append(
                    "{}: number word {!r} not annotated: ...{}...".format(
                        name, m.group(), text[max(0, m.start() - 40) : m.end() + 30].replace("\n", " ")
                    )
                )

    gold_per_doc = collections.Counter(r.get("doc") for _, r in gold)
    conf_per_doc = collections.Counter(r.get("doc") for _, r in conf)
    for name in docs:
        if gold_per_doc[name] < 1:
            err(f"{name}: no gold figure")
        if conf_per_doc[name] < 3:
            err("%s: only %d confounders (want >= 3)" % (name, conf_per_doc[name]))
    whys = collections.Counter(r.get("why") for _, r in conf)
    for w in sorted(WHYS):
        if whys[w] < 2:
            err("confounder kind %s used %d times (want >= 2)" % (w, whys[w]))

    def crisis(n):
        return n.split("_")[0]

    per = collections.defaultdict(lambda: [0, 0, 0])
    for name in docs:
        per[crisis(name)][0] += 1
        per[crisis(name)][1] += gold_per_doc[name]
        per[crisis(name)][2] += conf_per_doc[name]

    print("documents:   %d" % len(docs))
    print("gold figures: %d" % len(gold))
    print("confounders: %d" % len(conf))
    print("\nper crisis (docs / gold / confounders):")
    for c in sorted(per):
        print("  %-12s %3d %4d %4d" % ((c, *tuple(per[c]))))
    for field in ("indicator", "outcome", "qualifier", "measure", "population", "unit", "headline", "status", "originator"):
        cnt = collections.Counter(r.get(field) for _, r in gold)
        print(f"\ngold by {field}:")
        for k, v in cnt.most_common():
            print("  %-30s %d" % (k, v))
    print("\nconfounders by why:")
    for k, v in whys.most_common():
        print("  %-30s %d" % (k, v))

    if warnings:
        print("\n%d warning(s):" % len(warnings))
        for w in warnings:
            print("  " + w)
    if errors or (strict and warnings):
        print("\n%d error(s):" % len(errors))
        for e in errors:
            print("  " + e)
        print("FAILED")
        return 1
    print("\nOK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
