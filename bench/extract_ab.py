"""A/B extraction speed: this tree against another checkout, interleaved on one corpus.

    git worktree add /tmp/base 03bc63e          # the code before a change (any commit)
    .venv/bin/python bench/extract_ab.py /tmp/base
    .venv/bin/python bench/extract_ab.py /tmp/base --size-mb 2 --rounds 7

Each round reads the whole corpus once with the other tree's `extractors` and once with this
one's, each in a fresh process (so neither inherits the other's caches), alternating which goes
first. A shared machine's speed drifts within minutes; interleaving puts both under the same drift,
and the median of the per-round ratios is what to compare with a budget. Times are the child's
process CPU seconds for extract() reading the corpus a second time: the first, untimed, compiles
what is compiled on first use (as extract_bench.py's median of runs in one process leaves it out).
That one-time cost of a process is reported apart: the first read's extra time. The corpus is
bench/extract_bench.py's synthetic corpus (same seed, same size).
For a measure that does not drift at all, count instructions with valgrind's callgrind instead
(see the README's speed paragraph).

The exit status is 0, or 1 when the median ratio exceeds --budget (default 1.15: 15% slower).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import extract_bench  # noqa: E402

CHILD = r"""
import gc, json, sys, time
sys.path.insert(0, sys.argv[1])
from extractors import extract
documents = json.load(open(sys.argv[2], encoding="utf-8"))
cpu = []
for _ in range(2):  # the first read compiles what is compiled on first use
    gc.collect()
    started, records = time.process_time(), 0
    for name, text in documents:
        records += len(extract(text, meta={"doc": name}))
    cpu.append(time.process_time() - started)
print(json.dumps({"first": cpu[0], "cpu": cpu[1], "records": records}))
"""


def run_tree(tree: Path, corpus: Path) -> dict:
    """One timed read of the corpus by `tree`'s extractors, in a fresh process, after an untimed one."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(tree), str(corpus)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{tree}: the extractor failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("other", type=Path, help="the other checkout (a folder holding extractors/)")
    parser.add_argument("--size-mb", type=float, default=4.0, help="size of the synthetic corpus in MB (default 4)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds, each timing both trees once (default 5)")
    parser.add_argument("--seed", type=int, default=2025, help="seed of the corpus generator (default 2025)")
    parser.add_argument(
        "--corpus-from",
        type=Path,
        help="recombine the corpus from this checkout's development documents (default: this tree's; give the other "
        "checkout to compare on the text the old code was benchmarked on, without the documents written since)",
    )
    parser.add_argument("--budget", type=float, default=1.15, help="largest acceptable median ratio this/other (default 1.15)")
    args = parser.parse_args(argv)
    if not (args.other / "extractors" / "__init__.py").is_file():
        parser.error(f"{args.other} holds no extractors package: give a checkout of this repository")
    folder = (args.corpus_from or REPO) / "tests" / "devcorpus" / "docs"
    sources = {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.txt"))}
    if not sources:
        parser.error(f"no development documents in {folder}")
    documents = extract_bench.synthetic_corpus(args.size_mb, args.seed, sources)
    size = extract_bench.megabytes(documents)
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus.json"
        corpus.write_text(json.dumps(documents), encoding="utf-8")
        print(f"{len(documents):,} documents, {size:.2f} MB recombined from {len(sources)} in {folder}")
        print(f"this tree {REPO}, other {args.other}")
        print(f"{'round':>5}  {'other s':>8}  {'this s':>8}  {'this/other':>10}")
        ratios, timings = [], {"other": [], "this": []}
        for number in range(args.rounds):
            order = [("other", args.other), ("this", REPO)]
            if number % 2:
                order.reverse()
            result = {name: run_tree(tree, corpus) for name, tree in order}
            for name in timings:
                timings[name].append(result[name])
            ratios.append(result["this"]["cpu"] / result["other"]["cpu"])
            print(
                f"{number + 1:>5}  {result['other']['cpu']:>8.2f}  {result['this']['cpu']:>8.2f}  {ratios[-1]:>10.3f}", flush=True
            )
    median = statistics.median(ratios)
    for name in ("other", "this"):
        cpu = statistics.median(run["cpu"] for run in timings[name])
        once = statistics.median(run["first"] - run["cpu"] for run in timings[name])
        print(
            f"{name:>5}: {size / cpu:.3f} MB/s (median CPU {cpu:.2f} s; first read {once:+.2f} s), {timings[name][-1]['records']:,} records"
        )
    verdict = "within" if median <= args.budget else "OVER"
    print(
        f"median ratio this/other {median:.3f} ({(median - 1) * 100:+.1f}%): {verdict} the budget of {(args.budget - 1) * 100:+.0f}%"
    )
    return 0 if median <= args.budget else 1


if __name__ == "__main__":
    sys.exit(main())
