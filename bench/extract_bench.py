"""Extraction benchmark: speed and accuracy of `extractors.extract` against a quantulum3 baseline.

Run it with `make bench` or `.venv/bin/python bench/extract_bench.py` (add `--quick` for a smoke
test, `--help` for every option). It prints:

1. the synthetic corpus: about 20 MB of report-like text recombined, with a fixed seed, from the
   sentences of tests/devcorpus/docs (digits replaced by random digits of the same length, place
   names swapped, filler paragraphs added), cached under bench/.cache/;
2. the throughput of extract() on that corpus after a warm-up, median of 3 runs, in one process and
   one thread; speeds use the process's CPU time, so other work on the machine does not skew them;
3. the throughput of the baseline, quantulum3 quantities + indicator keywords in the same sentence
   (see KeywordBaseline), measured on a fixed subset only (it is slow) and extrapolated;
4. a control: extract() on figure-free text (the generator's filler paragraphs only), the cost
   per byte without the cost per figure;
5. precision / recall / F1 of both on the development corpus (extractors.evaluation.score);
6. a Markdown table, the speed ratio and the targets (>= 5 MB/s, >= 50x quantulum3);
7. throughput, precision and recall per language: each development corpus of tests/devcorpus/<lang>/
   (or --languages-root) read whole, repeated to about 1 MB for the timing, its language detected
   as extract() does when no sidecar states it (`--languages-only` prints this part alone).

MB = 10**6 bytes of UTF-8 text. The exit status is always 0; missed targets print "TARGET MISSED".
"""

from __future__ import annotations

import argparse
import bisect
import calendar
import cProfile
import hashlib
import itertools
import json
import pstats
import random
import re
import statistics
import sys
import time
import tomllib
import warnings
from collections import namedtuple
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors import extract  # noqa: E402
from extractors.evaluation import load_gold, score  # noqa: E402

DEVCORPUS = ROOT / "tests" / "devcorpus"
DATA = ROOT / "extractors" / "data"
CACHE = ROOT / "bench" / ".cache"
GENERATOR_VERSION = 1  # bump when the generator changes, to invalidate the cache
MB = 1_000_000
TARGET_MB_PER_S, TARGET_RATIO = 5.0, 50.0

EXAMPLES = """\
examples:
  .venv/bin/python bench/extract_bench.py                  full run: 20 MB, median of 3 runs
  .venv/bin/python bench/extract_bench.py --quick          smoke test: 2 MB, 1 run, 100 KB baseline
  .venv/bin/python bench/extract_bench.py --size-mb 50 --runs 5
  .venv/bin/python bench/extract_bench.py --profile        cProfile extract() on 2 MB, top 15 functions
  .venv/bin/python bench/extract_bench.py --languages-only --runs 3   throughput, precision, recall per language
"""

# ---------------------------------------------------------------- synthetic corpus

FIRST_NAMES = ["Amina", "Omar", "Fatima", "Jean", "Olena", "Ahmed", "Layla", "Samuel", "Grace", "Nadia", "Pierre"]
LAST_NAMES = ["Yusuf", "Haddad", "Mbeki", "Kovalenko", "Joseph", "Osman", "Al-Masri", "Nkurunziza", "Ibrahim"]
AGENCIES = ["OCHA", "UNHCR", "WFP", "UNICEF", "IOM", "WHO", "the ICRC", "MSF", "the Norwegian Refugee Council"]
WIRES = ["Reuters", "AFP", "AP", "Al Jazeera"]
MONTHS = list(calendar.month_name)[1:]
FILLER = [
    "{agency} said access to {place} remained severely restricted, with convoys delayed at checkpoints for hours.",
    "The humanitarian response plan is only {n} per cent funded, {agency} warned, urging donors to release pledges.",
    "Local markets in {place} reopened briefly, but prices of flour and fuel have more than doubled since {month}.",
    "{name}, a spokesperson for {agency}, told reporters in Geneva that the situation was deteriorating by the day.",
    "Teams delivered {n} trucks of supplies to {place} this week, far below what is needed.",
    "Negotiations on a ceasefire resumed on {month} {day}, mediators said, without a breakthrough.",
    '"We are doing what we can, but the needs are overwhelming," said {name}, who coordinates the response in {place}.',
    "{agency} called on all parties to respect international humanitarian law and to protect civilians.",
]
NUMBER = re.compile(r"\d[\d,.]*\d|\d")
SENTENCE_SPLIT = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“'(]?[A-Z0-9])")
DEMONYM = re.compile(r"(ans|ese|is|an)$")  # "Gazans", "Sudanese" are not swapped (unless a country name)


def _vary_number(token: str, rng: random.Random) -> str:
    """Random digits, same length and separators: 2,913 -> 7,480. Years stay plausible years."""
    if len(token) == 4 and token[:2] in ("19", "20"):
        return str(rng.randint(2000, 2025))
    return "".join(
        (rng.choice("123456789") if i == 0 and ch != "0" else rng.choice("0123456789")) if ch.isdigit() else ch
        for i, ch in enumerate(token)
    )


class SourcePool:
    """What the generator recombines: headlines, prose sentences, bullet lines, section headers, places."""

    def __init__(self, documents: dict[str, str]) -> None:
        self.headlines, self.sentences, self.bullets, self.headers = [], [], [], ["SITUATION OVERVIEW"]
        for text in documents.values():
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            self.headlines.append(lines[0])
            for line in lines[1:]:
                if line.startswith(("-", "*", "•")):
                    self.bullets.append(line)
                elif line.isupper() and len(line) < 60:
                    self.headers.append(line)
                else:
                    self.sentences.extend(s for s in SENTENCE_SPLIT.split(line) if len(s) > 20)
        countries = tomllib.loads((DATA / "en" / "places.toml").read_text(encoding="utf-8")).values()
        self.countries = [sorted({c["name"], *(p for p in c["places"] if not DEMONYM.search(p))}) for c in countries]
        self.country_of = {place: names for names in self.countries for place in names}
        alternatives = "|".join(map(re.escape, sorted(self.country_of, key=len, reverse=True)))
        self.place_pattern = re.compile(r"\b(?:" + alternatives + r")\b")

    def vary(self, text: str, rng: random.Random) -> str:
        """New figures, and places swapped for places of the same country."""
        text = NUMBER.sub(lambda m: _vary_number(m.group(), rng), text)
        return self.place_pattern.sub(lambda m: rng.choice(self.country_of[m.group()]), text)

    def filler(self, rng: random.Random) -> str:
        fields = {
            "agency": rng.choice(AGENCIES),
            "place": rng.choice(rng.choice(self.countries)),
            "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            "month": rng.choice(MONTHS),
            "day": rng.randint(1, 28),
            "n": rng.randint(2, 90),
        }
        return " ".join(rng.choice(FILLER).format(**fields) for _ in range(rng.randint(2, 4)))

    def document(self, rng: random.Random) -> str:
        """One report of 2-20 KB: headline, dateline, prose paragraphs, bullet blocks and filler."""
        target, place = rng.randint(2_000, 20_000), rng.choice(rng.choice(self.countries))
        dateline = f"{place.upper()}, {rng.choice(MONTHS)} {rng.randint(1, 28)} ({rng.choice(WIRES)}) - "
        parts = [self.vary(rng.choice(self.headlines), rng), dateline + self.vary(rng.choice(self.sentences), rng)]
        size = sum(len(p.encode()) + 2 for p in parts)
        while size < target:
            roll = rng.random()
            if roll < 0.25:
                block = self.filler(rng)
            elif roll < 0.4 and self.bullets:
                bullets = [self.vary(rng.choice(self.bullets), rng) for _ in range(rng.randint(2, 5))]
                block = "\n".join([rng.choice(self.headers), *bullets])
            else:
                block = " ".join(self.vary(rng.choice(self.sentences), rng) for _ in range(rng.randint(1, 4)))
            if size + len(block.encode()) + 2 > 20_000:
                break
            parts.append(block)
            size += len(block.encode()) + 2
        return "\n\n".join(parts) + "\n"


def devcorpus_documents() -> dict[str, str]:
    """The development corpus as it is now (it is still being written)."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((DEVCORPUS / "docs").glob("*.txt"))}


def synthetic_corpus(size_mb: float, seed: int, sources: dict[str, str]) -> list[tuple[str, str]]:
    """(name, text) documents totalling at least `size_mb` MB, cached. Document i depends only on seed and i."""
    source_hash = hashlib.sha256(json.dumps(sources, sort_keys=True).encode()).hexdigest()[:12]
    cache_file = CACHE / f"corpus-v{GENERATOR_VERSION}-seed{seed}-{size_mb:g}mb-{source_hash}.jsonl"
    if cache_file.exists():
        return [tuple(json.loads(line)) for line in cache_file.read_text(encoding="utf-8").splitlines()]
    pool, documents, total = SourcePool(sources), [], 0
    while total < size_mb * MB:
        text = pool.document(random.Random(f"{seed}:{len(documents)}"))
        documents.append((f"synthetic_{len(documents):05d}.txt", text))
        total += len(text.encode())
    CACHE.mkdir(parents=True, exist_ok=True)
    cache_file.write_text("".join(json.dumps(doc, ensure_ascii=False) + "\n" for doc in documents), encoding="utf-8")
    return documents


def figure_free_corpus(size_mb: float, seed: int, sources: dict[str, str]) -> list[tuple[str, str]]:
    """A control corpus of the filler paragraphs only (no figure of people): the cost per byte of
    reading text that holds nothing, without the cost per figure that dominates the main corpus."""
    pool, documents, total = SourcePool(sources), [], 0
    while total < size_mb * MB:
        rng = random.Random(f"{seed}:filler:{len(documents)}")
        text = "\n\n".join(pool.filler(rng) for _ in range(rng.randint(8, 60))) + "\n"
        documents.append((f"filler_{len(documents):05d}.txt", text))
        total += len(text.encode())
    return documents


def megabytes(documents: list[tuple[str, str]]) -> float:
    return sum(len(text.encode()) for _, text in documents) / MB


def prefix(documents: list[tuple[str, str]], size_mb: float) -> list[tuple[str, str]]:
    """The first documents of the corpus, just enough for `size_mb` MB."""
    sizes = itertools.accumulate(len(text.encode()) for _, text in documents)
    count = next((i + 1 for i, total in enumerate(sizes) if total >= size_mb * MB), len(documents))
    return documents[:count]


# ---------------------------------------------------------------- quantulum3 baseline


# What extractors.evaluation.score() reads of a record.
BaselineRecord = namedtuple(
    "BaselineRecord", "doc indicator value char_start char_end qualifier measure", defaults=("exact", None)
)


def _phrase_pattern(phrases: list[str]) -> str:
    """Whole-word alternation of phrases; a space stands for any run of whitespace."""
    alternatives = sorted({r"\s+".join(map(re.escape, p.split())) for p in phrases if p.strip()}, key=len, reverse=True)
    return r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)"


class KeywordBaseline:
    """quantulum3 quantities + the trigger phrases of indicators.toml, matched in the same sentence.

    quantulum3 is fed one line (paragraph) at a time: its parse time grows faster than linearly with
    the text (a whole 18 KB document takes ~7x longer than its lines), so this is the fair way to use it.
    A dimensionless quantity (a count: not money, %, km...) gets one record per indicator one of
    whose outcomes' before/after/nouns phrases occurs anywhere in its sentence (a sentence ends at
    a newline, or at . ! ? before a capital or digit). When an aid-worker noun (nouns.toml [aid])
    follows the quantity within two words, the outcome counts for aid_worker_casualties instead.
    """

    def __init__(self) -> None:
        with warnings.catch_warnings():  # "Classifier dependencies not installed": not needed here
            warnings.simplefilter("ignore")
            from quantulum3 import parser
        self.parse = parser.parse
        vocabulary = tomllib.loads((DATA / "indicators.toml").read_text(encoding="utf-8"))
        self.outcomes = {
            name: re.compile(_phrase_pattern(spec.get("before", []) + spec.get("after", []) + spec.get("nouns", [])), re.I)
            for name, spec in vocabulary["outcomes"].items()
        }
        self.plain, self.aid = {}, {}
        for indicator, spec in vocabulary["indicators"].items():
            for outcome in spec["outcomes"]:
                (self.aid if spec.get("population") == "aid" else self.plain)[outcome] = indicator
        aid_nouns = tomllib.loads((DATA / "en" / "nouns.toml").read_text(encoding="utf-8"))["aid"].values()
        self.aid_noun = re.compile(r"\s+(?:[\w'-]+\s+){0,2}?" + _phrase_pattern([n for ns in aid_nouns for n in ns]), re.I)
        self.parse("Warm-up: 3 people.")  # the first call loads quantulum3's unit tables (seconds)

    def extract(self, text: str, doc: str) -> list[BaselineRecord]:
        boundaries = [0, *(m.end() for m in re.finditer(r"\n|" + SENTENCE_SPLIT.pattern, text)), len(text)]
        records, line_start = [], 0
        for line in text.splitlines(keepends=True):
            for quantity in self.parse(line) if line.strip() else []:
                if quantity.unit.entity.name != "dimensionless":
                    continue
                start, end = line_start + quantity.span[0], line_start + quantity.span[1]
                index = bisect.bisect_right(boundaries, start) - 1
                sentence = text[boundaries[index] : boundaries[index + 1]]
                aid = bool(self.aid_noun.match(text[end : end + 80].replace(".", "")))
                indicators = {
                    self.aid[outcome] if aid and outcome in self.aid else self.plain.get(outcome)
                    for outcome, pattern in self.outcomes.items()
                    if pattern.search(sentence)
                }
                records += [BaselineRecord(doc, i, float(quantity.value), start, end) for i in sorted(indicators - {None})]
            line_start += len(line)
        return records


# ---------------------------------------------------------------- measuring


def seconds_for(documents: list[tuple[str, str]], run) -> tuple[float, float]:
    """(CPU seconds, wall seconds) to call `run(text, name)` on every document."""
    cpu, wall = time.process_time(), time.perf_counter()
    for name, text in documents:
        run(text, name)
    return time.process_time() - cpu, time.perf_counter() - wall


def timing_note(cpu: float, wall: float) -> str:
    busy = " - the machine was busy, CPU time is the measure" if wall > 1.1 * cpu else ""
    return f"{cpu:.2f} s CPU, {wall:.2f} s wall{busy}"


def ours(text: str, name: str) -> list:
    return extract(text, meta={"doc": name})


def _usable(line: str, documents: dict[str, str]) -> bool:
    try:
        row = json.loads(line)
        return row["context"] in documents.get(row["doc"], "") and row["figure"] in row["context"]
    except (json.JSONDecodeError, KeyError, TypeError):
        return False


def devcorpus_gold(documents: dict[str, str]) -> tuple[list, int]:
    """Gold figures, skipping rows whose document or context is not (yet) in the corpus."""
    lines = [line for line in (DEVCORPUS / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    kept = [line for line in lines if _usable(line, documents)]
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / "gold-present.jsonl").write_text("".join(line + "\n" for line in kept), encoding="utf-8")
    return load_gold(CACHE / "gold-present.jsonl", documents), len(lines) - len(kept)


def language_table(root: Path, runs: int) -> None:
    """Throughput, precision and recall of extract() on each language's development corpus under `root`."""
    folders = sorted(path.parent for path in root.glob("*/gold.jsonl") if len(path.parent.name) == 2)
    print(f"\nper language: the development corpora of {root} (each repeated to about 1 MB for the timing)\n")
    print("| language | documents | gold figures | MB/s | precision | recall | F1 |\n|---|---:|---:|---:|---:|---:|---:|")
    for folder in folders:
        documents = {path.name: path.read_text(encoding="utf-8") for path in sorted((folder / "docs").glob("*.txt"))}
        timed = list(documents.items()) * max(1, round(MB / max(1, sum(len(t.encode()) for t in documents.values()))))
        ours(*timed[0][::-1])  # warm-up: loads the language's vocabulary and patterns
        cpu = statistics.median(seconds_for(timed, ours)[0] for _ in range(runs))
        gold = load_gold(folder / "gold.jsonl", documents)
        result = score([record for name, text in documents.items() for record in ours(text, name)], gold)
        print(
            f"| {folder.name} | {len(documents)} | {len(gold)} | {megabytes(timed) / cpu:.3f} | "
            f"{result.precision:.3f} | {result.recall:.3f} | {result.f1:.3f} |"
        )


def profile(documents: list[tuple[str, str]]) -> None:
    ours(documents[0][1], documents[0][0])  # warm-up: loading the vocabulary is not profiled
    profiler = cProfile.Profile()
    profiler.runcall(seconds_for, documents, ours)
    for order in ("cumulative", "tottime"):
        print(f"\n## top 15 functions by {order} time, extract() on {megabytes(documents):.2f} MB")
        pstats.Stats(profiler).strip_dirs().sort_stats(order).print_stats(15)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smoke test: 2 MB corpus, 1 run, 100 KB for quantulum3")
    parser.add_argument("--size-mb", type=float, help="size of the synthetic corpus in MB (default 20; 2 with --quick)")
    parser.add_argument("--runs", type=int, help="timed runs of extract(); the median is reported (default 3; 1 with --quick)")
    parser.add_argument("--baseline-kb", type=int, help="KB timed with quantulum3 (default 1000; 100 with --quick)")
    parser.add_argument("--seed", type=int, default=2025, help="seed of the corpus generator (default 2025)")
    parser.add_argument("--profile", action="store_true", help="only cProfile extract() on a 2 MB sample (or --size-mb)")
    parser.add_argument("--languages-root", type=Path, default=DEVCORPUS, help="folder of <lang>/docs and <lang>/gold.jsonl")
    parser.add_argument("--languages-only", action="store_true", help="only the per-language table")
    args = parser.parse_args(argv)
    size_mb = args.size_mb or (2.0 if args.quick or args.profile else 20.0)
    runs = args.runs or (1 if args.quick else 3)
    baseline_kb = args.baseline_kb or (100 if args.quick else 1000)

    print(f"# extraction benchmark (one process, one thread; Python {sys.version.split()[0]}; speeds use process CPU time)")
    if args.languages_only:
        language_table(args.languages_root, runs)
        return 0
    sources, started = devcorpus_documents(), time.perf_counter()
    corpus = synthetic_corpus(size_mb, args.seed, sources)
    print(
        f"synthetic corpus: {megabytes(corpus):.1f} MB, {len(corpus)} documents of 2-20 KB (seed {args.seed}, "
        f"recombined from {len(sources)} devcorpus documents; {time.perf_counter() - started:.1f} s to generate or load)"
    )
    if args.profile:
        profile(corpus)
        return 0

    ours(corpus[0][1], corpus[0][0])  # warm-up: loads the vocabulary, fills caches
    cpu, wall = (statistics.median(times) for times in zip(*(seconds_for(corpus, ours) for _ in range(runs)), strict=True))
    ours_speed = (megabytes(corpus) / cpu, len(corpus) / cpu)
    print(f"extract(): {runs} timed run(s) over the whole corpus after a warm-up, median {timing_note(cpu, wall)}")

    control = figure_free_corpus(min(size_mb, 5.0), args.seed, sources)
    control_cpu, control_wall = seconds_for(control, ours)
    print(
        f"control: extract() on {megabytes(control):.1f} MB of figure-free filler paragraphs (no figure of people), "
        f"{timing_note(control_cpu, control_wall)}: {megabytes(control) / control_cpu:.2f} MB/s"
    )

    baseline = KeywordBaseline()
    subset = prefix(corpus, baseline_kb / 1000)
    base_cpu, base_wall = seconds_for(subset, baseline.extract)
    base_speed = (megabytes(subset) / base_cpu, len(subset) / base_cpu)
    print(
        f"quantulum3 baseline: timed once on the first {megabytes(subset):.2f} MB ({len(subset)} documents) only, "
        f"{timing_note(base_cpu, base_wall)}; its MB/s and docs/s are EXTRAPOLATED from that subset (loading excluded). "
        "Keywords are matched in the quantity's sentence."
    )

    gold, skipped = devcorpus_gold(sources)
    scores = [score([r for name, text in sources.items() for r in run(text, name)], gold) for run in (ours, baseline.extract)]
    note = f"; {skipped} gold rows skipped (document or context not in the corpus yet)" if skipped else ""
    print(f"accuracy: development corpus, {len(sources)} documents, {len(gold)} gold figures{note}\n")

    print("| system | MB/s | docs/s | precision | recall | F1 |\n|---|---:|---:|---:|---:|---:|")
    for name, (mb_s, docs_s), result in zip(
        ("extractors.extract", "quantulum3 + keywords (extrapolated)"), (ours_speed, base_speed), scores, strict=True
    ):
        print(f"| {name} | {mb_s:.3f} | {docs_s:.2f} | {result.precision:.3f} | {result.recall:.3f} | {result.f1:.3f} |")
    ratio = ours_speed[0] / base_speed[0]
    print(f"\nspeed ratio (ours / quantulum3, MB/s): {ratio:.1f}x")
    for label, value, target, unit in (
        ("throughput on one core", ours_speed[0], TARGET_MB_PER_S, " MB/s"),
        ("speed ratio to quantulum3", ratio, TARGET_RATIO, "x"),
    ):
        print(f"{'target met' if value >= target else 'TARGET MISSED'}: {label} {value:.2f}{unit} (target >= {target:g}{unit})")
    language_table(args.languages_root, runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
