"""Write OCHA's p-codes into extractors/data/gazetteer.toml, from OCHA's global p-codes table.

The table is the admin-1 and admin-2 p-code list of OCHA's common operational datasets
("Global P-Codes" on HDX, global_pcodes_adm_1_2.csv) as shipped in the source distribution of
OCHA's maintained package hdx-python-country (tests/fixtures/fixtures-download-global-pcodes-adm-1-2.csv):

    .venv/bin/pip download hdx-python-country==4.2.5 --no-deps --no-binary :all: -d /tmp/hdxpc
    tar xzf /tmp/hdxpc/hdx_python_country-4.2.5.tar.gz -C /tmp/hdxpc
    .venv/bin/python scripts/gazetteer_pcodes.py \
        /tmp/hdxpc/hdx_python_country-4.2.5/tests/fixtures/fixtures-download-global-pcodes-adm-1-2.csv

Each area of the gazetteer is matched to the row of its country and level (and, at level 2, its
parent's p-code) whose name is one of the area's names, compared without case or accents and
without the word "oblast"; OCHA_NAMES gives the few names OCHA spells otherwise. The area's line
gains (or has replaced) `pcode = "..."`; an area no row matches keeps none and is printed.
The script prints each country's COD version and "valid from" date for extractors/data/README.md.
"""

from __future__ import annotations

import csv
import re
import sys
import unicodedata
from pathlib import Path

GAZETTEER = Path(__file__).resolve().parents[1] / "extractors" / "data" / "gazetteer.toml"
COUNTRIES = ("PSE", "SDN", "UKR", "COD")

# (iso3, gazetteer name) -> OCHA's name, where no name of the area is OCHA's.
OCHA_NAMES = {
    ("PSE", "Gaza Governorate"): "Gaza",
    ("SDN", "Gezira"): "Aj Jazirah",
    ("UKR", "Kyiv Oblast"): "Kyivska",  # "Kyiv" without "Oblast" is the city
    ("SDN", "El Geneina"): "Ag Geneina",
}

AREA_LINE = re.compile(
    r"""
    (?P<head> \{ \s* iso3 \s* = \s* "(?P<iso3>[A-Z]{3})" \s* , \s* level \s* = \s* (?P<level>[12]) \s* ,
              \s* code \s* = \s* "[^"]*" \s* , )
    (?: \s* pcode \s* = \s* "[^"]*" \s* , )?          # a p-code written by an earlier run
    (?P<tail> [^}\n]*? \bname \s* = \s* "(?P<name>[^"]+)" [^}\n]* \} )
    """,
    re.VERBOSE,
)
NAMES = re.compile(r""" names \s* = \s* \[ (?P<list> [^\]]* ) \] """, re.VERBOSE)
QUOTED = re.compile(r""" "(?P<text>[^"]*)" """, re.VERBOSE)
PARENT = re.compile(r""" \bparent \s* = \s* "(?P<parent>[^"]+)" """, re.VERBOSE)
OBLAST = re.compile(r""" \s+ oblast \b """, re.VERBOSE | re.IGNORECASE)


def _key(name: str) -> str:
    plain = unicodedata.normalize("NFKD", OBLAST.sub("", name)).encode("ascii", "ignore").decode()
    return plain.casefold().replace("-", " ").strip()


def main(table: Path) -> int:
    with table.open(encoding="utf-8-sig", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["Location"] in COUNTRIES]
    index = {(row["Location"], row["Admin Level"], row["Parent P-Code"], _key(row["Name"])): row["P-Code"] for row in rows}
    pcodes: dict[tuple[str, str], str] = {}  # (iso3, gazetteer name) -> p-code
    missing: list[str] = []

    def fill(match: re.Match[str]) -> str:
        iso3, level, name = match["iso3"], match["level"], match["name"]
        names_match = NAMES.search(match["tail"])
        names = [name, *(QUOTED.findall(names_match["list"]) if names_match else [])]
        parent_match = PARENT.search(match["tail"])
        parent = pcodes.get((iso3, parent_match["parent"])) if parent_match else iso3
        wanted = [OCHA_NAMES[(iso3, name)]] if (iso3, name) in OCHA_NAMES else names
        found = next((index[key] for n in wanted if (key := (iso3, level, parent or "", _key(n))) in index), None)
        if found is None:
            missing.append(f"{iso3} {name}")
            return match["head"] + match["tail"]
        pcodes[(iso3, name)] = found
        return f'{match["head"]} pcode = "{found}",{match["tail"]}'

    text = GAZETTEER.read_text(encoding="utf-8")
    GAZETTEER.write_text(AREA_LINE.sub(fill, text), encoding="utf-8")
    for iso3 in COUNTRIES:
        versions = sorted({(row["Version"], row["Valid from date"]) for row in rows if row["Location"] == iso3})
        print(f"{iso3}: COD version and valid-from date {versions}")
    taken = [code for code in set(pcodes.values()) if list(pcodes.values()).count(code) > 1]
    print(f"p-codes written: {len(pcodes)}; areas without one: {missing or 'none'}; given twice: {taken or 'none'}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1])))
