#!/usr/bin/env python3
"""Validate the hand-annotated development corpus (stdlib only).

Usage: python3 tests/devcorpus/check_corpus.py [--strict] [--lang en|fr|es|ar]

Checks docs/*.txt, gold.jsonl and confounders.jsonl for internal consistency
and prints counts, for the English corpus (this folder) and for each other
language's corpus (fr/, es/, ar/: the same layout); --lang checks one only.
--strict also fails on uncovered number words (by default they are only
listed as warnings).  Exit status 1 on any error.
"""

import collections
import itertools
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.abspath(__file__))
LANGS = ("en", "fr", "es", "ar")
HERE = ROOT  # the corpus being checked: ROOT for English, ROOT/<lang> for the others
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
    "R4V",
    "RRMP",
    "AHADI-RD Congo",
    "Tearfund",
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
    "Niger Civil Protection",
    "Chad authorities",
    "DR Congo CMP",
    "Colombia UNGRD",
    "Colombia government",
    "Nicaragua government",
    "Mexico government",
    "Mexico Guerrero prosecutor",
    "Valencia CID",
    "Peru INDECI",
    "El Salvador Civil Protection",
    "Guatemala CONRED",
    "Honduras COPECO",
    "Lebanon Disaster Risk Management Unit",
    "Syria Ministry of Health",
    "Syria Civil Defence",
    "AANES Health Authority",
    "Yemen JMR",
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
# Vague words per language: the interval a reader gives them (value = low).  French
# "dizaines", Spanish "decenas" and Arabic "عشرات" are tens, not dozens: 20-99.
VAGUE_BY_LANG = {
    "en": VAGUE,
    "fr": {
        "quelques": (2, 9),
        "plusieurs": (3, 9),
        "dizaines": (20, 99),
        "centaines": (200, 999),
        "milliers": (2000, 9999),
        "dizaines de milliers": (20000, 99999),
        "centaines de milliers": (200000, 999999),
        "millions": (2000000, 9999999),
    },
    "es": {
        "algunos": (2, 9),
        "algunas": (2, 9),
        "varios": (3, 9),
        "varias": (3, 9),
        "decenas": (20, 99),
        "cientos": (200, 999),
        "centenares": (200, 999),
        "miles": (2000, 9999),
        "decenas de miles": (20000, 99999),
        "cientos de miles": (200000, 999999),
        "millones": (2000000, 9999999),
    },
    "ar": {
        "عدة": (3, 9),
        "عشرات": (20, 99),
        "مئات": (200, 999),
        "آلاف": (2000, 9999),
        "عشرات الآلاف": (20000, 99999),
        "مئات الآلاف": (200000, 999999),
        "ملايين": (2000000, 9999999),
    },
}
# Confounder kinds each language's corpus must use at least twice: all of them in English; in
# the others the ones the issue names and the commonest in their reports.
REQUIRED_WHYS = {
    "en": WHYS,
    "fr": {"population_total", "money", "date", "year", "age", "phone_number", "other_quantity", "duration", "missing"},
}
REQUIRED_WHYS["es"] = REQUIRED_WHYS["ar"] = REQUIRED_WHYS["fr"]
NAME_RE = re.compile(r"^([a-z]+)_(\d{2})_([a-z]+)\.txt$")
NUMBER_WORDS = re.compile(
    r"\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|"
    r"thousands?|millions?|billions?|dozens?|scores|half|quarter|lakh|"
    r"several|few)\b",
    re.I,
)
# Arabic words must not be preceded by a letter (a clitic such as و "and" or ب "with" is
# part of the word), so these use lookarounds instead of \b.
NUMBER_WORDS_BY_LANG = {
    "en": NUMBER_WORDS,
    "fr": re.compile(
        r"\b(deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingt|"
        r"trente|quarante|cinquante|soixante|cent|cents|mille|millions?|milliers?|centaines?|dizaines?|"
        r"plusieurs|quelques|moitié|quart|tiers)\b",
        re.I,
    ),
    "es": re.compile(
        r"\b(dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|trece|catorce|quince|veinte|"
        r"treinta|cuarenta|cincuenta|cien|cientos|centenares|mil|miles|millones|millón|decenas|"
        r"varios|varias|algunos|algunas|mitad|cuarto|tercio)\b",
        re.I,
    ),
    "ar": re.compile(
        r"(?<![\u0621-\u064a])(اثنان|اثنين|ثلاثة|أربعة|خمسة|ستة|سبعة|ثمانية|تسعة|عشرة|عشرين|ثلاثين|أربعين|"
        r"خمسين|مئة|مائة|ألف|ألفا|آلاف|مليون|ملايين|عشرات|مئات|عدة|نصف|ربع|ثلث)(?![\u0621-\u064a])"
    ),
}
# Number formats per language: thousands separators and the decimal mark.  Arabic reports
# write ٬ (U+066C) and ٫ (U+066B) with Arabic-Indic digits, or "," and "." with Latin ones.
THOUSANDS = {"en": ",", "fr": " \u00a0\u202f.", "es": ".\u00a0 ", "ar": ",\u066c"}
DECIMAL = {"en": ".", "fr": ",", "es": ",", "ar": ".\u066b"}
SCALES = {
    "en": {"million": 10**6, "thousand": 10**3},
    "fr": {"million": 10**6, "millions": 10**6, "mille": 10**3, "milliard": 10**9},
    "es": {"millón": 10**6, "millones": 10**6, "mil": 10**3},
    "ar": {"مليون": 10**6, "ملايين": 10**6, "ألف": 10**3, "ألفا": 10**3, "آلاف": 10**3},
}
ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
PLAIN_NUMBER = re.compile(r"^(?P<digits>\d[\d\s,.\u00a0\u202f\u066b\u066c]*?)(?:\s(?P<scale>[^\d\s]\S*))?$")


def parse_plain(figure, lang):
    """The value of a figure that is digits with an optional scale word ("2,5 millions", "١٬٢٥٠"), else None."""
    m = PLAIN_NUMBER.match(figure.translate(ARABIC_INDIC))
    if not m:
        return None
    scale = 1
    if m.group("scale"):
        scale = SCALES[lang].get(m.group("scale").lower())
        if scale is None:
            return None
    digits = m.group("digits")
    if "." in THOUSANDS[lang] and "," in DECIMAL[lang] and digits.count(".") == 1 and scale > 1 and "," not in digits:
        return None  # "1.5 millones" is ambiguous in Spanish text: leave it to the annotator
    if lang == "ar" and scale == 1 and re.search(r"\.\d{3}$", digits):
        return None  # "718.998": some Arabic outlets group thousands with dots; leave it to the annotator
    if lang == "es" and scale == 1 and re.search(r",\d{3}$", digits):
        return None  # "50,021": Mexican and Central American outlets group thousands with commas
    whole, frac = digits, ""
    for mark in DECIMAL[lang]:
        if mark in digits and mark not in THOUSANDS[lang]:
            whole, _, frac = digits.rpartition(mark)
            break
    for sep in THOUSANDS[lang] + " ":
        whole = whole.replace(sep, "")
    if not whole.isdigit() or (frac and not frac.isdigit()):
        return None
    return (int(whole) + (int(frac) / 10 ** len(frac) if frac else 0)) * scale


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


def check_bounds(where, r, lang="en"):
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
        vague = VAGUE_BY_LANG[lang]
        if key not in vague:
            err("{}: vague figure {!r} is not a known vague word".format(where, r["figure"]))
            return
        ok = (lo, hi) == vague[key] and v == lo
    if not ok:
        err(f"{where}: value/low/high {v!r}/{lo!r}/{hi!r} inconsistent with qualifier {q}")
    check_value_reads(where, r, lang)


def check_value_reads(where, r, lang):
    """A figure written as digits (and a scale word) must be read as its value.

    Households and families are converted to persons (5.0 or 5.6 each) and rates to a day,
    so only person counts that are not rates are compared.
    """
    if lang == "en" or r["unit"] != "person" or r["measure"] == "rate" or r["qualifier"] == "vague":
        return
    read = parse_plain(r["figure"], lang)
    if read is not None and abs(read - r["value"]) > 0.5:
        err("{}: figure {!r} reads as {:g}, not value {!r}".format(where, r["figure"], read, r["value"]))


def main():
    strict = "--strict" in sys.argv
    langs = [sys.argv[sys.argv.index("--lang") + 1]] if "--lang" in sys.argv else LANGS
    failed = 0
    for lang in langs:
        print(f"\n=== {lang} ===")
        failed |= check(lang, strict)
    return failed


def check(lang, strict):
    """Validate one language's corpus and print its counts; 1 on any error, else 0."""
    global HERE, DOC_DIR
    HERE = ROOT if lang == "en" else os.path.join(ROOT, lang)
    DOC_DIR = os.path.join(HERE, "docs")
    errors.clear()
    warnings.clear()
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
        check_bounds(where, r, lang)
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
        for m in NUMBER_WORDS_BY_LANG[lang].finditer(text):
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
    for w in sorted(REQUIRED_WHYS[lang]):
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
