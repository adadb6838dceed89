"""Realistic synthetic stores for scale tests: any number of figures, on SQLite or PostgreSQL, in minutes.

    .venv/bin/python bench/store_generator.py --size 1000000 --db sqlite:////tmp/big.sqlite
    .venv/bin/python bench/store_generator.py --size 1000000 --db postgresql://user@host/db

The store is made through the store's own schema (store.migrate), then filled in bulk: one
executemany per 5,000 documents on SQLite (journal off while building, the file moved into place
when complete), COPY on PostgreSQL (one transaction per 5,000 documents). The target must be
empty: an existing SQLite file or a PostgreSQL database with documents is refused.

What a store holds (a fixed seed: the same size gives the same store on either database):
20 figures per document; 6 indicators with their outcomes (killed, injured, displaced,
evacuated, sheltering, refugees, kidnapped); 40 countries; 200 outlets; 13 originators, a few
stating most figures and one in ten figures naming none; publication dates over 2019-2025 with
reference dates up to 9 days earlier; qualifiers, measures, bounds and quotes as reports word them;
the identity fields (outcome, headline, scope, originator, status: a third of the non-headline
figures are parts, one in twenty food-security figures a projection). Every record is unreviewed.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]

GENERATOR_VERSION = 3  # 3: location_iso3 and, for the gazetteer's countries, admin1 (issue 16)
"""Part of cached stores' names: a change to what is generated must move it."""
PER_DOC = 20
BATCH_DOCUMENTS = 5000
SEED = 20250525
INDICATORS = ("deaths", "injured", "displaced", "famine_exposure", "food_insecurity", "aid_worker_casualties")
OUTCOMES = {
    "deaths": "killed",
    "injured": "injured",
    "displaced": "displaced",
    "famine_exposure": None,
    "food_insecurity": None,
    "aid_worker_casualties": "killed",
}
LOCATIONS = (
    "Afghanistan", "Burkina Faso", "Cameroon", "Central African Republic", "Chad", "Colombia",
    "Democratic Republic of the Congo", "Ethiopia", "Haiti", "Iraq", "Lebanon", "Libya", "Mali", "Mozambique",
    "Myanmar", "Niger", "Nigeria", "Pakistan", "Palestine", "Somalia", "South Sudan", "Sudan", "Syria", "Ukraine",
    "Venezuela", "Yemen", "Bangladesh", "Burundi", "Eritrea", "Kenya", "Uganda", "Tanzania", "Rwanda", "Zimbabwe",
    "Malawi", "Madagascar", "Guatemala", "Honduras", "Philippines", "Worldwide",
)  # fmt: skip
OUTLETS = ("Reuters", "AFP", "OCHA", "Al Jazeera", "AP", "UNHCR", "IOM", "WFP")
QUALIFIERS = ("exact", "at_least", "more_than", "approx", "at_most", "range", "vague")
QUALIFIER_P = (0.45, 0.2, 0.1, 0.12, 0.05, 0.05, 0.03)
MEASURES = ("cumulative", "period", "snapshot", "rate")
MEASURE_P = (0.5, 0.2, 0.25, 0.05)
WORDS = {
    "exact": "",
    "at_least": "At least",
    "more_than": "More than",
    "approx": "About",
    "at_most": "Up to",
    "range": "Between",
    "vague": "Dozens of",
}
# Who counted a figure: a few originators state most figures (as ministries and UN agencies do),
# and one figure in ten names none, so that the charts' grouping by originator meets its fallback.
ORIGINATORS = (
    "Ministry of Health", "UN OCHA", "IOM DTM", "UNHCR", "WFP", "IPC", "National Disaster Agency", "UNICEF", "WHO",
    "ACLED", "Red Cross", "Civil Defence", "",
)  # fmt: skip
ORIGINATOR_P = (0.2, 0.15, 0.1, 0.1, 0.08, 0.07, 0.07, 0.05, 0.04, 0.02, 0.01, 0.01, 0.1)
KIND_OUTCOMES = {
    "displaced": ("displaced", "evacuated", "sheltering", "refugees"),
    "aid_worker_casualties": ("killed", "injured", "kidnapped"),
}
START_DAY = np.datetime64("2019-01-01")


class GeneratorRefused(ValueError):
    """The target store is not empty, or not a database this generator writes."""


ISO3 = dict(zip(LOCATIONS[:-1], (
    "AFG", "BFA", "CMR", "CAF", "TCD", "COL", "COD", "ETH", "HTI", "IRQ", "LBN", "LBY", "MLI", "MOZ", "MMR", "NER", "NGA",
    "PAK", "PSE", "SOM", "SSD", "SDN", "SYR", "UKR", "VEN", "YEM", "BGD", "BDI", "ERI", "KEN", "UGA", "TZA", "RWA", "ZWE",
    "MWI", "MDG", "GTM", "HND", "PHL",
), strict=True))  # fmt: skip
"""The locations' ISO 3166-1 alpha-3 codes (Worldwide has none)."""


def identity(rng: np.random.Generator, indicators: list[str], measures: list[str]) -> list[tuple]:
    """Outcome, headline, scope, originator and status of one document's figures.

    Drawn from their own generator, so that every other column is the same as in stores made
    before the identity fields existed (benchmarks compare code from before and after them).
    The first figure of each indicator and outcome is the document's headline total; a third of the
    others are parts; one in twenty food-security or famine figures is a projection.
    """
    rows, seen = [], set()
    for indicator, measure in zip(indicators, measures, strict=True):
        outcomes = KIND_OUTCOMES.get(indicator)
        outcome = outcomes[int(rng.integers(0, len(outcomes)))] if outcomes else OUTCOMES[indicator]
        headline = (indicator, outcome) not in seen and measure != "rate"
        seen.add((indicator, outcome))
        scope = "total" if headline or rng.random() > 0.33 else "part"
        originator = ORIGINATORS[int(rng.choice(len(ORIGINATORS), p=ORIGINATOR_P))] or None
        projected = indicator in ("food_insecurity", "famine_exposure") and rng.random() < 0.05
        rows.append((outcome, headline, scope, originator, "projected" if projected else "reported"))
    return rows


def _gazetteer_areas() -> tuple:
    """The gazetteer's areas, or none when the code on the path predates it (a --before checkout)."""
    try:
        from extractors.gazetteer import gazetteer
    except ImportError:
        return ()
    return tuple(gazetteer().areas)


def batches(size: int, seed: int = SEED) -> Iterator[tuple[list[dict], list[dict]]]:
    """(document rows, record rows) per BATCH_DOCUMENTS documents, `size` records in all."""
    rng = np.random.default_rng(seed)
    identity_rng = np.random.default_rng(seed + 1)
    area_rng = np.random.default_rng(seed + 2)  # its own generator: every other column as in version 2
    areas: dict[str, list] = {}
    for area in _gazetteer_areas():
        if area.level == 1:
            areas.setdefault(area.iso3, []).append(area)
    sources = [f"{name} {i:03d}" for i, name in enumerate(np.resize(OUTLETS, 200))]
    documents = (size + PER_DOC - 1) // PER_DOC
    for first in range(0, documents, BATCH_DOCUMENTS):
        count = min(BATCH_DOCUMENTS, documents - first)
        doc_rows, record_rows = [], []
        doc_source = rng.integers(0, len(sources), count)
        doc_location = rng.integers(0, len(LOCATIONS), count)
        doc_day = rng.integers(0, 7 * 365, count)
        for k in range(count):
            number = first + k
            n = min(PER_DOC, size - number * PER_DOC)
            doc_id = f"{number:064x}"
            source, location = sources[doc_source[k]], LOCATIONS[doc_location[k]]
            iso3 = ISO3.get(location)
            published = str(START_DAY + int(doc_day[k]))
            indicators = rng.integers(0, len(INDICATORS), n)
            qualifiers = rng.choice(len(QUALIFIERS), n, p=QUALIFIER_P)
            measures = rng.choice(len(MEASURES), n, p=MEASURE_P)
            values = np.round(np.exp(rng.uniform(2, 14, n)))
            lags = rng.integers(0, 10, n)
            quotes, offsets, position = [], [], 0
            for j in range(n):
                qualifier = QUALIFIERS[qualifiers[j]]
                raw = f"{int(values[j]):,}"
                prefix = (WORDS[qualifier] + " ") if WORDS[qualifier] else ""
                quote = f"{prefix}{raw} people were affected in {location} as of {published}, according to the {source} office."
                offsets.append((position, position + len(prefix), position + len(prefix) + len(raw)))
                quotes.append(quote)
                position += len(quote) + 1
            doc_rows.append({
                "doc_id": doc_id, "origin": f"bench://{number}", "doc": f"bench-{number}.txt", "title": f"Situation report {number}",
                "publisher": source, "url": f"https://example.org/report/{number}", "published": published,
                "kind": "summary" if number % 2 else "report", "source": source, "content_type": "text/plain", "page_map": "[]",
                "text": "\n".join(quotes), "ingested_at": "2025-01-01T00:00:00+00:00", "version": 1, "superseded_at": None,
            })  # fmt: skip
            kinds = identity(identity_rng, [INDICATORS[i] for i in indicators], [MEASURES[m] for m in measures])
            for j in range(n):
                indicator, qualifier, measure = INDICATORS[indicators[j]], QUALIFIERS[qualifiers[j]], MEASURES[measures[j]]
                value = float(values[j])
                low = None if qualifier in ("approx", "at_most", "fewer_than") else value
                high = (
                    value * 1.3
                    if qualifier in ("range", "vague")
                    else (None if qualifier in ("at_least", "more_than", "approx") else value)
                )
                quote_start, char_start, char_end = offsets[j]
                reference = str(START_DAY + int(doc_day[k]) - int(lags[j]))
                outcome, headline, scope, originator, status = kinds[j]
                area = areas[iso3][area_rng.integers(len(areas[iso3]))] if iso3 in areas and area_rng.random() < 0.5 else None
                record_rows.append({
                    "record_id": f"{number:012x}{j:08x}", "doc": f"bench-{number}.txt", "indicator": indicator, "outcome": outcome,
                    "value": value, "low": low, "high": high, "qualifier": qualifier,
                    "unit": "person / day" if measure == "rate" else "person", "raw_value": f"{int(value):,}", "raw_unit": "people",
                    "measure": measure, "population": None, "location": location, "attribution": f"the {source} office",
                    "quote": quotes[j], "char_start": char_start, "char_end": char_end, "source": source,
                    "url": f"https://example.org/report/{number}", "published": published, "reference_date": reference,
                    "extractor_version": "bench", "location_iso3": iso3, "place": location, "raw_qualifier": WORDS[qualifier].lower(),
                    "unit_factor": 1.0, "quote_start": quote_start, "title": f"Situation report {number}",
                    "doc_kind": "summary" if number % 2 else "report", "doc_id": doc_id, "page": None, "review_status": "unreviewed",
                    "superseded": False, "headline": headline, "scope": scope, "originator": originator, "status": status,
                    "admin1": area.name if area else None, "admin1_code": (area.pcode or None) if area else None,
                    "admin2": None, "admin2_code": None, "admin1_iso": (area.code or None) if area else None, "admin2_iso": None,
                })  # fmt: skip
        yield doc_rows, record_rows


def _present(columns: list[str], row: dict) -> list[str]:
    """The generated columns this store's schema has (older schemas lack the newer ones), in its order."""
    return [name for name in columns if name in row]


def _write_sqlite(path: Path, size: int) -> None:
    from store import create_store_engine, migrate

    if path.exists():
        raise GeneratorRefused(f"{path} exists: remove it, or give another path.")
    building = path.with_suffix(".building")
    building.unlink(missing_ok=True)
    engine = create_store_engine(f"sqlite:///{building}")
    migrate(engine)
    engine.dispose()
    connection = sqlite3.connect(building)
    connection.execute("PRAGMA journal_mode = OFF")
    connection.execute("PRAGMA synchronous = OFF")
    schema = {table: [row[1] for row in connection.execute(f"PRAGMA table_info({table})")] for table in ("documents", "records")}
    for doc_rows, record_rows in batches(size):
        for table, rows in (("documents", doc_rows), ("records", record_rows)):
            columns = _present(schema[table], rows[0])
            statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            connection.executemany(statement, [tuple(row.get(name) for name in columns) for row in rows])
        connection.commit()
    connection.execute("PRAGMA journal_mode = DELETE")
    connection.close()
    os.replace(building, path)


def _write_postgresql(url: str, size: int) -> None:
    import sqlalchemy as sa

    from store import create_store_engine, migrate

    engine = create_store_engine(url)
    migrate(engine)
    with engine.connect() as connection:
        if connection.execute(sa.text("SELECT COUNT(*) FROM documents")).scalar_one():
            raise GeneratorRefused("The PostgreSQL store already has documents: give an empty database.")
        schema = {
            table: list(
                connection.execute(
                    sa.text(
                        "SELECT column_name FROM information_schema.columns WHERE table_name = :t AND table_schema = current_schema() "
                        "ORDER BY ordinal_position"
                    ),
                    {"t": table},
                ).scalars()
            )
            for table in ("documents", "records")
        }
    raw = engine.raw_connection()
    try:
        for doc_rows, record_rows in batches(size):
            cursor = raw.cursor()
            for table, rows in (("documents", doc_rows), ("records", record_rows)):
                columns = _present(schema[table], rows[0])
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(tuple(row.get(name) for name in columns))
            raw.commit()
        cursor = raw.cursor()
        cursor.execute("ANALYZE documents")
        cursor.execute("ANALYZE records")
        raw.commit()
    finally:
        raw.close()
        engine.dispose()


def generate(url: str, size: int) -> None:
    """Fill the empty store at `url` (SQLite or PostgreSQL) with `size` synthetic current records."""
    from store.connect import normalize_url, sqlite_path

    url = normalize_url(url)
    path = sqlite_path(url)
    if path is not None:
        _write_sqlite(Path(path), size)
    elif url.startswith("postgresql"):
        _write_postgresql(url, size)
    else:
        raise GeneratorRefused(f"Not a SQLite or PostgreSQL URL: {url!r}.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="records to generate (default 1,000,000)")
    parser.add_argument("--db", required=True, help="an empty store: sqlite:///PATH (a new file) or a PostgreSQL URL")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        generate(args.db, args.size)
    except GeneratorRefused as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{args.size:,} records in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
