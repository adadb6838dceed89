"""Areas below the country: which first- and second-level area a place name is in.

data/gazetteer.toml lists, per country (ISO 3166-1 alpha-3), its areas with their codes and
every name that points to one (with its OCHA p-code and ISO 3166-2 code): other spellings, other scripts, and the towns and camps inside
it. A record keeps the country (`location`) and gains the area of the place it names; the
dashboard's location filter finds an area, or a region of areas, by any of its names.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

from .datafiles import DATA_DIR, load_toml
from .errors import VocabularyError

GAZETTEER_FILE = DATA_DIR / "gazetteer.toml"


@dataclass(frozen=True)
class Area:
    """A first- or second-level area of a country."""

    iso3: str
    level: int  # 1 or 2
    name: str
    code: str  # ISO 3166-2 code, "" where it lists none
    pcode: str  # OCHA p-code (common operational datasets), "" where OCHA's table has none
    parent: str | None  # the level-1 area of a level-2 one
    names: tuple[str, ...]  # its name first, then every other name that points to it


@dataclass(frozen=True)
class Region:
    """Level-1 areas a name groups ("Darfur": its five states)."""

    iso3: str
    name: str
    names: tuple[str, ...]
    areas: tuple[str, ...]


@dataclass(frozen=True)
class Admin:
    """The areas a record is in: names, OCHA p-codes (`*_code`) and ISO 3166-2 codes (None when unknown)."""

    admin1: str | None = None
    admin1_code: str | None = None
    admin2: str | None = None
    admin2_code: str | None = None
    admin1_iso: str | None = None
    admin2_iso: str | None = None


NO_ADMIN = Admin()


@dataclass(frozen=True)
class Gazetteer:
    areas: tuple[Area, ...]
    regions: tuple[Region, ...]
    by_name: dict[tuple[str, str], Area]  # (iso3, name as written) -> area

    def admin_of(self, iso3: str | None, place: str | None) -> Admin:
        """The areas of a place name in a country; NO_ADMIN when it names the country or an unknown place."""
        area = self.by_name.get((iso3 or "", place or ""))
        if area is None:
            return NO_ADMIN
        if area.level == 1:
            return Admin(area.name, area.pcode or None, admin1_iso=area.code or None)
        parent = self.by_name[(area.iso3, area.parent or "")]
        return Admin(parent.name, parent.pcode or None, area.name, area.pcode or None, parent.code or None, area.code or None)


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise VocabularyError(f"{GAZETTEER_FILE}: {where} must be a list of names; fix the file")
    return tuple(value)


def _area(entry: dict) -> Area:
    try:
        iso3, level, name, code = entry["iso3"], int(entry["level"]), entry["name"], entry.get("code", "")
    except (KeyError, TypeError, ValueError) as error:
        raise VocabularyError(f"{GAZETTEER_FILE}: area {entry!r} lacks iso3, level or name ({error}); fix the file") from error
    if not isinstance(code, str) or not isinstance(entry.get("pcode", ""), str):
        raise VocabularyError(f"{GAZETTEER_FILE}: area {name!r}: code and pcode must be text; fix the file")
    if level not in (1, 2) or (level == 2) != bool(entry.get("parent")):
        raise VocabularyError(f"{GAZETTEER_FILE}: area {name!r}: level must be 1, or 2 with a parent; fix the file")
    names = tuple(dict.fromkeys((name, *_strings(entry.get("names", []), f"names of {name!r}"))))
    return Area(iso3, level, name, code, entry.get("pcode", ""), entry.get("parent"), names)


def parse_gazetteer(tables: dict) -> Gazetteer:
    """The gazetteer of a data file's tables; a VocabularyError when a name points to two areas or a parent is missing."""
    areas = tuple(_area(entry) for entry in tables.get("area", []))
    by_name: dict[tuple[str, str], Area] = {}
    for area in areas:
        for name in area.names:
            other = by_name.setdefault((area.iso3, name), area)
            if other is not area:
                raise VocabularyError(
                    f"{GAZETTEER_FILE}: {name!r} names both {other.name!r} and {area.name!r} in {area.iso3}; keep it in one"
                )
    for area in areas:
        parent = by_name.get((area.iso3, area.parent or ""))
        if area.level == 2 and (parent is None or parent.level != 1):
            raise VocabularyError(f"{GAZETTEER_FILE}: the parent of {area.name!r}, {area.parent!r}, is not a level-1 area")
    regions = tuple(
        Region(
            entry["iso3"],
            entry["name"],
            tuple(dict.fromkeys((entry["name"], *_strings(entry.get("names", []), f"names of {entry['name']!r}")))),
            _strings(entry["areas"], f"areas of {entry['name']!r}"),
        )
        for entry in tables.get("region", [])
    )
    for region in regions:
        missing = [name for name in region.areas if by_name.get((region.iso3, name)) is None]
        if missing:
            raise VocabularyError(f"{GAZETTEER_FILE}: region {region.name!r} names unknown areas {missing}")
    return Gazetteer(areas, regions, by_name)


@functools.cache
def gazetteer() -> Gazetteer:
    """The gazetteer shipped with the extractor (data/gazetteer.toml)."""
    return parse_gazetteer(load_toml(GAZETTEER_FILE))


ADMIN_FIELDS = tuple(field.name for field in dataclasses.fields(Admin))


def admin_fields(iso3: str | None, place: str | None) -> dict[str, str | None]:
    """A record's admin1, admin1_code, admin2, admin2_code, admin1_iso and admin2_iso for the place it names."""
    admin = gazetteer().admin_of(iso3, place)
    return {name: getattr(admin, name) for name in ADMIN_FIELDS}
