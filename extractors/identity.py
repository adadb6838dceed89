"""A figure's identity: who counted it, whether it was counted or projected, whether it is the
whole toll or a part of it, and which figure is the one an analyst would cite (the headline).

Per figure, while the record is made (engine._record): `originator_of(attribution, location)`
and `status_of(sentence)`. Per document, once its records are read: `identify(records, title)`
sets `headline` and `scope`, since which figure is the total depends on the others.

The cues are data (data/en/identity.toml, data/en/originators.toml), so that a missed phrasing is a
line added there.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

from .credits import credited
from .datafiles import LANGUAGE, language_dir, load_toml, word_lists
from .frozen import field_setter
from .language import known_languages
from .record import IndicatorRecord
from .vocabulary import longest_first
from .word_start import NOT_IN_WORD

_CREDITS = word_lists("credits")
MONTHS = "|".join(dict.fromkeys(name for names in word_lists("dates")["months"] for name in names))  # in lower-cased text
# Characters of the quote around a figure where its own cues are: a long sentence states
# several figures, and a cue at its other end belongs to another one.
CUE_BEFORE, CUE_AFTER = 80, 90
PART_BEFORE, PART_AFTER = 30, 30
# "Of the 128 deaths, 119 were in ...": the second figure is a part of the first.
OF_THE_TOTAL = re.compile(rf"o{NOT_IN_WORD}f\s+(?:the|these|those|all)\s+[\d][\d,.]*\b[^.;]*[,;]\s*$")  # in lower-cased text
# A key-figures line: "Fatalities: 128 direct", "Deaths: 453 in total", "- 57,575 killed".
KEY_LINE = re.compile(r"\s*(?:[A-Z][\w ()/-]{0,40}:|[-*•·▪–—])\s*")
KEY_LINE_REACH = 20  # the figure must start within this many characters of the line's label
LEAD = 2500  # characters of a document's key figures and lead, where an event's toll is first stated
SINCE = re.compile(rf"s{NOT_IN_WORD}ince\b")  # in lower-cased text
STOCK_MEASURES = frozenset({"cumulative", "snapshot"})  # a running total, or how many are (displaced) now


def _phrase_pattern(phrases: Iterable[str], *, ignore_case: bool = True) -> re.Pattern[str]:
    """Any of the phrases as whole words, longest first, possessive or not ("Nepal's"); spaces match any run of spaces.
    A tree of shared prefixes (vocabulary.longest_first): an alternation of every phrase cost 6% of extract().
    The word boundary before a phrase is tested after its first character (see longest_first)."""
    phrases = {" ".join(phrase.split()) for phrase in phrases} - {""}
    alternatives = longest_first(phrases, not_after=r"[\w'’-]").replace("\\ ", r"\s+") if phrases else r"(?!x)x"
    return re.compile(rf"{alternatives}(?:['’]s)?(?![\w'’-])", re.IGNORECASE if ignore_case else 0)


def _needles(phrases: Iterable[str]) -> tuple[str, ...]:
    """Words such that a text holding one of `phrases` holds one of them: a word of each phrase,
    the longest, unless another word of it already holds a needle ("in total" has "total")."""
    needles: list[str] = []
    listed = [words for phrase in phrases if (words := phrase.split())]  # a blank phrase matches nothing
    for words in sorted(listed, key=lambda words: (len(words), -max(map(len, words)))):
        if not any(needle in word for word in words for needle in needles):
            needles.append(max(words, key=len))
    return tuple(needle for needle in needles if not any(other != needle and other in needle for other in needles))


class _Phrases(NamedTuple):
    """Phrases as whole words (see _phrase_pattern), searched in lower-cased text behind a test in C:
    a text holding none of `needles` holds no phrase. Most sentences and windows around a figure
    hold none, and the test (a substring search per needle) costs a fraction of the regex's search."""

    pattern: re.Pattern[str]
    needles: tuple[str, ...]

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text) if any(map(text.__contains__, self.needles)) else None


def _lowered_phrases(phrases: list[str]) -> _Phrases:
    return _Phrases(_phrase_pattern(phrases, ignore_case=False), _needles(phrases))


def _load(name: str) -> dict:
    return load_toml(language_dir() / name)


@dataclasses.dataclass(frozen=True)
class _Cues:
    projected: _Phrases
    future_window: re.Pattern[str]
    window_words: tuple[str, ...]  # a future window names one of these ...
    window_dates: tuple[str, ...]  # ... and one of these
    past: re.Pattern[str]
    total: _Phrases
    part_before: re.Pattern[str]
    part_after: re.Pattern[str]
    incident: _Phrases
    sub_area: re.Pattern[str]
    subgroups: frozenset[str]
    whole_areas: frozenset[str]
    event: re.Pattern[str]
    of_the_total: re.Pattern[str]  # "of the 128 deaths, 119 ...": see OF_THE_TOTAL
    part_clause: re.Pattern[str] | None  # marks that end the reach of a part word before a figure
    since: re.Pattern[str]  # a running total counted since a date: see SINCE


def _identity_data(lang: str) -> dict:
    """data/<lang>/identity.toml, each table's lists falling back to English's where the language
    gives none (the canonical populations and places of [scope] are the same in every language)."""
    data = _load("identity.toml")
    path = language_dir(lang) / "identity.toml"
    if lang == LANGUAGE or not path.is_file():
        return data
    own = load_toml(path)
    return {section: {**lists, **own.get(section, {})} for section, lists in data.items()}


def _words(phrases: Iterable[str]) -> str:
    """An alternation of phrases, longest first, a phrase's spaces matching any run of spaces."""
    return "|".join(r"\s+".join(map(re.escape, phrase.split())) for phrase in sorted(set(phrases), key=len, reverse=True))


@functools.cache
def _cues(lang: str = LANGUAGE) -> _Cues:
    data = _identity_data(lang)
    status, scope = data["status"], data["scope"]
    windows = "|".join(map(re.escape, status["future_windows"]))
    if lang == LANGUAGE:
        months, opener = MONTHS, r"(?:the\s+end\s+of\s+)?"
        sub_area_before, of_the_total, since = rf"i{NOT_IN_WORD}n", OF_THE_TOTAL, SINCE
    else:
        months = "|".join(dict.fromkeys(name for names in word_lists("dates", lang)["months"] for name in names))
        opener = rf"(?:(?:{_words(status['window_openers'])})\s+)?" if status.get("window_openers") else ""
        sub_area_before = rf"(?<![\w'’-])(?:{_words(scope['sub_area_before'])})"
        of_the_total = re.compile(rf"(?<![\w'’-])(?:{_words(scope['of_the_total'])})\s+[\d][\d,.\s]*\b[^.;]*[,;،؛]\s*$")
        since = re.compile(rf"(?<![\w'’-])(?:{_words(scope['since'])})(?!\w)")
    return _Cues(
        # Searched in lower-cased text: a third faster than IGNORECASE.
        projected=_lowered_phrases(status["projected"]),
        future_window=re.compile(rf"(?<!\w)(?:{windows})\s+{opener}(?:(?:{months})(?!\w)|20\d\d\b)")
        if lang != LANGUAGE
        else re.compile(rf"\b(?:{windows})\s+(?:the\s+end\s+of\s+)?(?:(?:{MONTHS})\b|20\d\d\b)"),
        window_words=_needles(status["future_windows"]),
        window_dates=_needles([*months.split("|"), "20"]),
        past=_phrase_pattern(status["past_markers"], ignore_case=False),
        total=_lowered_phrases(scope["total"]),
        part_before=_phrase_pattern(scope["part_before"], ignore_case=False),
        part_after=_phrase_pattern(scope["part_after"], ignore_case=False),
        incident=_lowered_phrases(scope["incident"]),
        # "in" then up to three words (a name, "the worst-hit") then the kind of area.
        sub_area=re.compile(rf"{sub_area_before}\s+(?:[\w'’.-]+\s+){{0,3}}?{longest_first(scope['sub_area_nouns'])}(?![\w'’-])"),
        subgroups=frozenset(scope["subgroup_populations"]),
        whole_areas=frozenset(scope["whole_areas"]),
        event=_phrase_pattern(data["event"]["kinds"]),
        of_the_total=of_the_total,
        since=since,
        part_clause=re.compile("|".join(map(re.escape, scope["part_clause_marks"]))) if scope.get("part_clause_marks") else None,
    )


@functools.cache
def _one_phrase(phrase: str, ignore_case: bool) -> re.Pattern[str]:
    return _phrase_pattern([phrase], ignore_case=ignore_case)


class _Name(NamedTuple):
    """A phrase of a table of names (data/en/originators.toml), compiled on first use: a process
    compiling each of the hundreds of phrases cost ~150 M instructions, and most are never tried."""

    word: str  # the phrase's first word, case-folded: the phrase is found only in a text that holds it
    phrase: str
    ignore_case: bool
    name: str  # the canonical name, body or country it stands for
    others: tuple[str, ...] = ()  # its other words, case-folded, which the text must hold too

    def find(self, text: str, *, whole: bool = False) -> re.Match[str] | None:
        """The phrase in `text` (all of `text` when `whole`)."""
        pattern = _one_phrase(self.phrase, self.ignore_case)
        return pattern.fullmatch(text) if whole else pattern.search(text)


class _Names(NamedTuple):
    rows: list[_Name]  # in the order they are tried
    words: list[str]  # each row's `word`


def _names(rows: list[_Name]) -> _Names:
    return _Names(rows, [row.word for row in rows])


def _first_name(names: _Names, text: str, *, whole: bool = False) -> tuple[re.Match[str], str] | None:
    """The first of `names` found in `text`, with where. Only the rows whose first word `text`
    holds are searched, and those are picked by a substring test in C: a loop in Python over
    every row cost ~2% of extract()."""
    folded = text.casefold()
    for row in itertools.compress(names.rows, map(folded.__contains__, names.words)):
        # A phrase whose other words are not in the text either is neither compiled nor searched.
        if all(map(folded.__contains__, row.others)) and (found := row.find(text, whole=whole)):
            return found, row.name
    return None


@dataclasses.dataclass(frozen=True)
class _Originators:
    bodies: _Names  # most specific (longest) first
    national: _Names  # a body's name, to be prefixed by a country
    countries: _Names
    overrides: dict[str, str]
    short_names: dict[str, str]  # country name -> as written in "<Country> <body>"
    anaphora: re.Pattern[str]  # a credit that refers back, at the end of an attribution: "(later) the ministry", "he"
    report: re.Pattern[str]  # a body's name then a report word, at a title's word boundary
    credited_title: re.Pattern[str]  # "..., IPC Says", "...: IOM", "(IOM DTM, 4 April 2025)"
    counts: dict[str, frozenset[str]]  # body -> the indicators it counts, when it counts only some
    family: dict[str, str]  # indicator -> its family, whose figures continue a count
    elision: re.Pattern[str] | None = None  # articles elided onto a name, dropped before a look-up ("l'", "d'")


def _with_other_languages(data: dict) -> dict:
    """English's originators with the names every other language's originators.toml gives the
    same bodies: an attribution is written in its document's language ("le ministère de la Santé")."""
    merged = {**data, **{section: {name: list(phrases) for name, phrases in data.get(section, {}).items()} for section in NAMED}}
    for lang in known_languages():
        path = language_dir(lang) / "originators.toml"
        if lang == LANGUAGE or not path.is_file():
            continue
        for section, names in load_toml(path).items():
            if section in NAMED:
                for name, phrases in names.items():
                    merged[section].setdefault(name, []).extend(phrases)
    return merged


NAMED = ("bodies", "acronyms", "national", "countries")  # the tables another language may name bodies in


def _in_language(data: dict, lang: str) -> dict:
    """The tables as a text in `lang` is read with them: without the names that are common words
    of `lang` (its [not_names]: "un" is an article in French and Spanish, not the UN), with its
    own credits that refer back ([anaphora]) and its report words added to English's."""
    path = language_dir(lang) / "originators.toml"
    own = load_toml(path) if path.is_file() else {}
    dropped = {" ".join(phrase.split()).casefold() for phrase in own.get("not_names", {}).get("phrases", [])}
    data = {
        **data,
        **{
            section: {
                name: [p for p in phrases if " ".join(p.split()).casefold() not in dropped]
                for name, phrases in data[section].items()
            }
            for section in NAMED
            if section in data
        },
    }
    if "anaphora" in own:
        data["anaphora"] = own["anaphora"]
    if "reports" in own:
        data["reports"] = {"words": [*data["reports"]["words"], *own["reports"]["words"]]}
    return data


@functools.cache
def _originators(lang: str = LANGUAGE) -> _Originators:
    data = _with_other_languages(_load("originators.toml"))
    if lang != LANGUAGE:
        data = _in_language(data, lang)

    def table(section: dict[str, list[str]], *, ignore_case: bool = True) -> list[tuple[_Name, int]]:
        return [
            (
                _Name(words[0].casefold(), " ".join(words), ignore_case, name, tuple(word.casefold() for word in words[1:])),
                len(phrase),
            )
            for name, phrases in section.items()
            for phrase in phrases
            if (words := phrase.split())  # an empty phrase names nothing
        ]

    def by_length(rows: list[tuple[_Name, int]]) -> _Names:
        return _names([row for row, _ in sorted(rows, key=lambda row: -row[1])])

    bodies = table(data["bodies"]) + table(data.get("acronyms", {}), ignore_case=False)
    names = {" ".join(phrase.split()) for phrases in data["bodies"].values() for phrase in phrases}
    words = longest_first({" ".join(word.split()) for word in data["reports"]["words"]}).replace("\\ ", r"\s+")
    who = longest_first(names).replace("\\ ", r"[\s-]+")
    elisions = word_lists("credits", lang).get("elisions", []) if lang != LANGUAGE else []
    return _Originators(
        elision=re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, elisions))})", re.IGNORECASE) if elisions else None,
        bodies=by_length(bodies),
        national=by_length(table(data["national"])),
        countries=by_length(table(data["countries"])),
        overrides=dict(data.get("country_overrides", {})),
        short_names=dict(data.get("short_names", {})),
        anaphora=re.compile(rf"(?:^|\s)(?:{longest_first(data['anaphora']['phrases'])})$", re.IGNORECASE),
        counts={name: frozenset(indicators) for name, indicators in data.get("counts", {}).items()},
        family={indicator: family for family, indicators in data["families"].items() for indicator in indicators},
        report=re.compile(
            rf"(?<![\w'’-])(?P<who>{who})(?:['’]s)?"
            rf"\s+(?:[A-Z][\w-]*\s+)?{words}(?![\w'’-])",
            re.IGNORECASE,
        ),
        credited_title=re.compile(
            rf"(?:[,:;]|\bas)\s+(?P<said>[^,:;]{{2,60}}?)\s+(?:{'|'.join(_CREDITS['title_saying'])})\s*$"
            r"|:\s*(?P<colon>[^,:;()]{2,40}?)\s*$"
            r"|\((?P<bracket>[^(),]{2,40}),[^()]*\)\s*$",
            re.IGNORECASE,
        ),
    )


@functools.lru_cache(maxsize=4096)
def originator_of(attribution: str | None, location: str | None = None, lang: str = LANGUAGE) -> str | None:
    """The canonical name of who counted a figure, from the record's attribution; None when the
    attribution names nobody this vocabulary knows (a vague "officials" of an unknown country,
    or a misread subject).

    >>> originator_of("the Ministry of Health in Gaza"), originator_of("the UN humanitarian office")
    ('Gaza Ministry of Health', 'UN OCHA')
    >>> originator_of("the health ministry", "Sudan"), originator_of("the health ministry")
    ('Sudan Ministry of Health', None)
    """
    if not attribution:
        return None
    table = _originators(lang)
    if table.elision is not None and table.elision.search(attribution):
        # "l'Organisation ...": the name without its article, unless the name holds one ("... de l'ONU").
        return _originator(table, attribution, location, lang) or _originator(
            table, table.elision.sub("", attribution), location, lang
        )
    return _originator(table, attribution, location, lang)


def _originator(table: _Originators, attribution: str, location: str | None, lang: str) -> str | None:
    if found := _first_name(table.bodies, attribution):
        return found[1]
    national = _first_name(table.national, attribution)
    if national is None and lang != LANGUAGE and (found := _first_name(table.countries, attribution)):
        # "le ministère libanais de la Santé": the country's adjective inside the body's name.
        without = attribution[: found[0].start()] + " " + attribution[found[0].end() :]
        if national := _first_name(table.national, without):
            return _national(table, national[1], found[1])
    if national:
        country = found[1] if (found := _first_name(table.countries, attribution)) else location
        if not country or country == "Worldwide":
            return None
        return _national(table, national[1], country)
    return None


def _national(table: _Originators, body: str, country: str) -> str:
    """A national body's canonical name: "Sudan Ministry of Health"."""
    name = f"{table.short_names.get(country, country)} {body}"
    return table.overrides.get(name, name)


def _body_of(text: str, *, whole: bool = False, lang: str = LANGUAGE) -> str | None:
    """The agency (a [bodies] name, not a national body) that `text` names (is, when `whole`), or None."""
    found = _first_name(_originators(lang).bodies, text, whole=whole)
    return found[1] if found else None


def _named_first(text: str, lang: str = LANGUAGE) -> str | None:
    """The agency whose name `text` opens with (its longest name found in `text` must start it)."""
    found = _first_name(_originators(lang).bodies, text)
    return found[1] if found and found[0].start() == 0 else None


def document_counter(
    title: str | None, publisher: str | None = None, country: str | None = None, lang: str = LANGUAGE
) -> tuple[str | None, bool]:
    """Who counted the uncredited figures of a document, and whether of all of them (True) or of
    its title's and lead's only (False). A body's own report is its own: the agency that
    publishes it, or that its title names as its author ("IOM DTM Flash Report", "NDRRMC
    Situational Report No. 9", "(IOM DTM, 4 April 2025)"). A title that credits a body ("...,
    IPC Says", "...: IOM") tells who counted the figures the lead restates. An outlet (a
    publisher that is no agency) counts nothing. In a language whose credits.toml says
    `title_opening_credit`, a title may open with the body it quotes ("وزارة الصحة في غزة: ...",
    "INDECI: ...", "Rapport de l'OIM : ..."): the story is that body's statement, all of it; and its
    end may credit one as a sentence does ("..., selon le ministère de la Santé").

    >>> document_counter("DRC: IOM DTM Flash Report - Displacement In Fizi (7 March 2025)"), document_counter("Floods kill 12", "Reuters")
    (('IOM DTM', True), (None, False))
    >>> document_counter("Gaza Death Toll Rises To 7,028, Health Ministry Says", None, "Palestine")
    ('Gaza Ministry of Health', False)
    """
    if publisher and (body := _body_of(publisher, lang=lang)):
        return body, True
    if not title:
        return None, False
    table = _originators(lang)
    if lang != LANGUAGE and (found := _title_credit(title, country, lang)):
        return found
    credit = table.credited_title.search(title)
    if credit is not None:
        who = credit.group("said") or credit.group("colon") or credit.group("bracket")
        if len(who.split()) <= 6 and (name := originator_of(who, country, lang)):
            return name, credit.group("bracket") is not None
    report = table.report.search(title)
    return (_body_of(report.group("who"), lang=lang), True) if report else (None, False)


TITLE_OPENING = re.compile(r"\s*(?P<who>[^:\n]{2,60}?)\s*:\s")  # "منظمة الهجرة الدولية: ...", "INDECI: ..."
TITLE_CLAUSE = re.compile(r"[^,،;:]*$")  # a title's last clause: "..., selon l'ONU"


def _title_credit(title: str, country: str | None, lang: str) -> tuple[str, bool] | None:
    """The body a title in `lang` opens with (all the document's), or credits in its last clause (its lead's)."""
    opening = TITLE_OPENING.match(title) if word_lists("credits", lang).get("title_opening_credit") else None
    if opening and len(opening.group("who").split()) <= 6 and (name := originator_of(opening.group("who"), country, lang)):
        return name, True
    clause = TITLE_CLAUSE.search(title)
    who = credited(clause.group(), lang) if clause else None
    if who and (name := originator_of(who, country, lang)):
        return name, False
    return None


PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
ITEM_START = re.compile(r"\n(?=[-*•▪–][ \t])")  # a list's item is a fact of its own: a credit does not carry past it
# A line that credits the block under it: a heading "FOOD SECURITY (IPC, projection for May)",
# or a live blog's entry "07:30 IOM: nearly 900,000 internally displaced".
HEADING_CREDIT = re.compile(
    r"^(?:[^\n(\d]{0,60}\((?P<bracket>[^()\n,]{2,40})[,)][^\n]{0,60}$"
    r"|(?:\d{1,2}[:.]\d\d(?:\s*GMT)?\s*[-–—]?\s*)?(?P<colon>[A-Z][^:\n]{1,40}):\s)",
    re.MULTILINE,
)
BRACKET_CREDIT = re.compile(r"\(([^()\n,]{2,60})[,)]")  # "(UNHCR)", "(IOM, October 2023)"


def _bracket_credit(record: IndicatorRecord, lang: str = LANGUAGE) -> str | None:
    """The body credited in brackets after a figure on its line: "9,000 (UNHCR)". A label
    ("IPC Phase 5") is no credit: the brackets must hold just the body's name."""
    at = max(0, record.char_end - record.quote_start)
    line_end = record.quote.find("\n", at)
    match = BRACKET_CREDIT.search(record.quote, at, len(record.quote) if line_end < 0 else line_end)
    if match is None:
        return None
    return _body_of(match.group(1).strip(), whole=True, lang=lang)


_set_originator = field_setter(IndicatorRecord, "originator")


def infer_originators(
    records: Sequence[IndicatorRecord],
    text: str,
    title: str | None,
    publisher: str | None = None,
    country: str | None = None,
    lang: str = LANGUAGE,
) -> Sequence[IndicatorRecord]:
    """The records with `originator` set as a reader infers it, where their sentence credits nobody.

    A credit (the record's attribution) carries to the following figures of its paragraph
    that continue its count (see [families]), not past a list's item, until another credit is stated; a
    credit that refers back ("the ministry said", "he said") names the body credited last. A body
    in brackets after a figure credits its line only; a heading's credit its block (HEADING_CREDIT).
    A figure with no credit before it is the document's counter's (see document_counter), or
    nobody's. `text` is the document's text, in the records' offsets.
    `lang` is the language the document is read in. The records must be new, as for identify()."""
    if not records:
        return records
    table = _originators(lang)
    counter, whole = document_counter(title, publisher, country, lang)
    breaks = [match.start() for match in PARAGRAPH_BREAK.finditer(text)]
    lead_end = breaks[1] if len(breaks) > 1 else len(text)  # the title, a blank line, then the lead
    # A counter of one thing (see [counts]) that the lead names counts the document's figures of it.
    first = _first_sentence(text, breaks[0] if breaks else 0)
    lead_counter = None if whole else _body_of(first, lang=lang)
    if lead_counter not in table.counts:
        lead_counter = None
    if not counter and (issuer := ISSUER.match(first)) and (body := _named_first(issuer.group("who"), lang)):
        # A press release opens with its issuer: "GENEVA, 14 March 2025 - The IFRC is appalled..."
        counter, whole, last_named = body, True, body
    headings = _heading_credits(text, country, lang)
    paragraph, last_named, block = -1, counter or lead_counter, None
    carried: dict[str, str | None] = {}  # family -> the body its last credit in the paragraph names
    items = [match.start() for match in ITEM_START.finditer(text)]
    item = -1
    for record in records:
        here = bisect.bisect(breaks, record.char_start)
        if here != paragraph:
            paragraph, carried, block = here, {}, None
        if (this_item := bisect.bisect(items, record.char_start)) != item:
            item, carried = this_item, {}
        while headings and headings[0][0] <= record.char_start:
            at, body = headings.pop(0)
            if bisect.bisect(breaks, at) == paragraph:
                block, carried = body, {}
        family = table.family.get(record.indicator, record.indicator)
        name = record.originator
        stated = record.attribution is not None
        if stated and name is None and table.anaphora.search(record.attribution.strip()):
            name = carried.get(family) or last_named
        elif not stated and (bracket := _bracket_credit(record, lang)) is not None:
            _set_originator(record, bracket)  # the credit of its own line only
            continue
        if stated:
            carried[family] = name  # a credit that names nobody known ends the one before it
            last_named = name or last_named
        elif family in carried:
            name = carried[family]
        elif block and _counts(table, block, record.indicator):
            name = block
        elif counter and (whole or record.char_start < lead_end) and _counts(table, counter, record.indicator):
            name = counter
        elif lead_counter and _counts(table, lead_counter, record.indicator):
            name = lead_counter
        if name != record.originator:
            _set_originator(record, name)
    return records


# A lead that opens, after its dateline, with a body's name that it does not credit ("said"): the
# body issued the document ("GENEVA, 14 March 2025 - The IFRC is appalled by...").
_NAME_JOINERS = "|".join(_CREDITS["name_joiners"])
ISSUER = re.compile(
    r"[A-Z][A-Z/ '.-]+,[^-–—\n]{0,40}\s[-–—]+\s+(?:The\s+)?"
    rf"(?P<who>(?:[A-Z][\w'’.-]*|{_NAME_JOINERS})(?:\s+(?:[A-Z][\w'’.-]*|{_NAME_JOINERS}))*)"
    rf"(?!\s+(?:{'|'.join(_CREDITS['issuer_not_before'])})\b)"
)
LABEL = re.compile(r"\([^()]*\)")  # "(IPC Phase 3+)", "(IOM, October 2023)": a label or a line's own credit


def _first_sentence(text: str, start: int) -> str:
    """The lead's first sentence (from `start`, a paragraph break), without its labels in brackets."""
    start = len(text) - len(text[start:].lstrip())
    end = text.find("\n", start)
    line = text[start : end if end >= 0 else len(text)][:600]
    stop = re.search(r"(?<=[a-z)])\.\s", line)
    return LABEL.sub("", line[: stop.start() if stop else len(line)])


NEWLINE = re.compile(r"\n")


def _line_matches(
    pattern: re.Pattern[str], text: str, may_match: Callable[[str, int], bool] = lambda text, start: True
) -> Iterator[re.Match[str]]:
    """pattern.finditer(text) for a pattern that opens with ^ (MULTILINE) and matches no empty
    string, tried at each line's start only (finditer tries every character: ~1.5% of extract()),
    and only where `may_match(text, start)`, a cheap test that is true wherever it can match."""
    end = 0
    for start in itertools.chain((0,), map(re.Match.end, NEWLINE.finditer(text))):
        if start >= end and may_match(text, start) and (match := pattern.match(text, start)) is not None:
            end = match.end()
            yield match


def _may_be_heading(text: str, start: int) -> bool:
    """Whether HEADING_CREDIT can match at `start`: its bracket needs a "(" within 61 characters;
    its credit line opens with a digit (a time) or with A-Z, then has its ":" within 42."""
    first = text[start : start + 1]
    return "(" in text[start : start + 61] or first.isdigit() or ("A" <= first <= "Z" and ":" in text[start : start + 42])


def _heading_credits(text: str, country: str | None, lang: str = LANGUAGE) -> list[tuple[int, str]]:
    """(offset, body) of each line that credits the block under it (see HEADING_CREDIT)."""
    credits = []
    for match in _line_matches(HEADING_CREDIT, text, _may_be_heading):
        if (who := match.group("bracket")) is not None:
            body = _body_of(who.strip(), whole=True, lang=lang)
        else:
            who = match.group("colon")
            body = originator_of(who, country, lang) if len(who.split()) <= 4 else None
        if body:
            credits.append((match.start(), body))
    return credits


def _counts(table: _Originators, body: str, indicator: str) -> bool:
    counted = table.counts.get(body)
    return counted is None or indicator in counted


@functools.lru_cache(maxsize=1024)  # a sentence's figures ask in turn
def status_of(sentence: str, lang: str = LANGUAGE) -> str:
    """ "projected" when the sentence states what is expected ("could rise to", "by September"
    with nothing told in the past tense), else "reported".

    >>> status_of("Up to 2 million people could face famine by September."), status_of("By March, 12 had died.")
    ('projected', 'reported')
    """
    cues, lowered = _cues(lang), sentence.lower()
    if cues.projected.search(lowered):
        return "projected"
    if (
        any(map(lowered.__contains__, cues.window_words))
        and any(map(lowered.__contains__, cues.window_dates))
        and cues.future_window.search(lowered)
        and not cues.past.search(lowered)
    ):
        return "projected"
    return "reported"


class _Figure(NamedTuple):
    """What identify() reads of one record, once."""

    around: str  # the quote around the figure (see CUE_BEFORE), lower-cased
    stated_total: bool  # "in total", "death toll", "since the war began", or a key-figures line
    part: int  # WHOLE, WINDOW, PART or PART_OF: see _part


def _figure(record: IndicatorRecord, cues: _Cues, event: bool, title: str = "") -> _Figure:
    quote = record.quote
    at = max(0, min(len(quote), record.char_start - record.quote_start))
    end = at + (record.char_end - record.char_start)
    around = quote[max(0, at - CUE_BEFORE) : end + CUE_AFTER].lower()
    total_cue = cues.total.search(around) is not None
    stated_total = total_cue or _is_key_line(quote[quote.rfind("\n", 0, at) + 1 : at])
    # The place the title names is what the document is about: its toll there is no part of another.
    titled = bool(record.place) and record.place.lower() in title
    part = _part(record, quote, at, end, around, total_cue, cues, event, titled)
    return _Figure(around, stated_total, part)


WHOLE, WINDOW, PART, PART_OF = 0, 1, 2, 3  # how much a figure says it is a part of the toll (see _part)


def _part(
    record: IndicatorRecord,
    quote: str,
    at: int,
    end: int,
    around: str,
    total_cue: bool,
    cues: _Cues,
    event: bool,
    titled: bool = False,
) -> int:
    """PART for a subgroup ("12 children"), a sub-area named in the sentence ("in Khan Younis"),
    PART_OF for a part of a figure just stated ("including 40", "of the 128 deaths, 119", "13 of the dead"), an area of a kind
    that is part of a country ("in Jajarkot district") or one incident ("in a single strike");
    WINDOW for a figure of one day or window of a crisis (not a one-off event), which is the
    toll only when the document states no running total; else WHOLE.
    The figure is quote[at:end]; `around` is the lower-cased quote around it (see _figure)."""
    if record.population in cues.subgroups:
        return PART
    if (
        record.place
        and record.place != record.location
        and record.place not in cues.whole_areas
        and record.place in record.quote
        and not titled
    ):
        return PART
    before = quote[max(0, at - CUE_BEFORE) : at].lower()  # made only for the figures that get this far
    after = quote[end : end + PART_AFTER].lower()
    near = before[-PART_BEFORE:]
    if cues.part_clause is not None:
        near = cues.part_clause.split(near)[-1]  # "بينهم أطفال ونساء، و 2778 جريحا": a new clause, no part
    if (
        cues.part_before.search(near)
        or cues.of_the_total.search(before)
        or cues.part_after.match(after.lstrip())
    ):
        return PART_OF
    if (cues.incident.search(around) and not (event and record.char_start < LEAD)) or (
        cues.sub_area.search(around) and not titled
    ):
        return PART
    return WINDOW if not event and record.measure not in STOCK_MEASURES and not total_cue else WHOLE


ELSEWHERE_OUTCOMES = frozenset({"killed", "injured", "displaced", "evacuated"})  # no headline in another country
RESTATED = 0.1  # a body's figure within this fraction of a heading's restates it


def _restates(heading: IndicatorRecord, record: IndicatorRecord) -> bool:
    if _is_heading(record) or record.measure == "rate":
        return False
    if heading.qualifier == "vague":
        return True
    return abs(record.value - heading.value) <= RESTATED * heading.value


def _is_heading(record: IndicatorRecord) -> bool:
    """Whether the figure is in a title, a heading or a key-figures line: a "sentence" that
    does not end as one does."""
    return not record.quote.rstrip().endswith((".", "!", "?", '"', "”", "’", "'", ")"))


def _is_key_line(line: str) -> bool:
    """Whether `line` (a line's text before a figure) is a label or a bullet the figure follows closely."""
    match = KEY_LINE.match(line)
    return match is not None and len(line) <= match.end() + KEY_LINE_REACH


def _rank(record: IndicatorRecord, figure: _Figure, event: bool, since: re.Pattern[str] = SINCE) -> tuple:
    """The sort key of a headline candidate, highest first. A figure in words ("thousands")
    gives way to a counted one.

    A one-off event's total is stated once and restated: the key figures (an infobox, a
    bullet) and the lead come first, and later figures are its parts or other events'
    tolls, so the first stated total wins. A crisis's toll grows: the running total of the
    latest date wins, then the largest ("since the war began" states one as well as a
    cumulative measure does: the engine reads "since 7 October" as a period)."""
    counted = record.qualifier != "vague"
    if event:
        return (figure.stated_total, counted, -record.char_start)
    return (
        record.measure in STOCK_MEASURES or figure.stated_total,
        counted,
        _as_of(record, figure.around, since),
        record.value,
        -record.char_start,
    )


def _as_of(record: IndicatorRecord, around: str, since: re.Pattern[str] = SINCE) -> str:
    """The date a running total is counted to. The engine dates "since 7 October 2023" to its
    start, which would rank a toll counted since then below any other; such a total is as of
    the document's publication."""
    if since.search(around):
        return record.published or ""
    return record.reference_date or record.published or ""


def is_event(title: str, lang: str = LANGUAGE) -> bool:
    """Whether a document's title (or first line) names a one-off event: an earthquake, a flood..."""
    return bool(_cues(lang).event.search(title))


_set_headline = field_setter(IndicatorRecord, "headline")
_set_scope = field_setter(IndicatorRecord, "scope")


def identify(
    records: Sequence[IndicatorRecord], title: str, country: str | None = None, lang: str = LANGUAGE
) -> list[IndicatorRecord]:
    """The records with `headline` and `scope` set, from each other and the document's title.

    The records must be new, made by extract() for this document and held by nobody else yet:
    their two fields are set in place (frozen.field_setter).

    In each group of records of one indicator, outcome and location, at most one headline:
    the best-ranked (see _rank) of the reported figures that are not a part of the toll (see
    _part), or, when a crisis's document states no running total, of its figures of a day or
    an incident window ("a massacre kills 115"). A figure is a part when it says so, or when
    it is smaller than the headline without stating a total; a group whose figures are all
    parts has no headline. `country` is the document's main country: in a crisis's document,
    the people killed, injured or displaced in another one (the Israelis killed, in a Lebanon
    story) are background, not its headline (refugees from another country are its refugees;
    a one-off event, a hurricane, may strike several countries).
    """
    if not records:
        return []
    cues, event = _cues(lang), is_event(title, lang)
    lowered_title = title.lower()
    figures = [_figure(record, cues, event, lowered_title) for record in records]
    groups: dict[tuple[str, str | None, str | None], list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        groups[(record.indicator, record.outcome, record.location)].append(index)
    headlines: set[int] = set()
    scopes = ["total" if figure.part == WHOLE else "part" for figure in figures]
    for (_, outcome, location), members in groups.items():
        if not event and country and location and location != country and outcome in ELSEWHERE_OUTCOMES:
            continue
        # A rate (so many a day) is no toll, and a projection no count.
        reported = [i for i in members if records[i].status == "reported" and records[i].measure != "rate"]
        candidates = [i for i in reported if figures[i].part == WHOLE]
        if event:
            # Further down, an event's article tells of its parts (a county, a tornado) and of
            # other events; a figure there is its toll only when it says it is a total.
            candidates = [i for i in candidates if records[i].char_start < LEAD or figures[i].stated_total]
        window = not candidates
        if window:
            candidates = [i for i in reported if figures[i].part == WINDOW]
        if not candidates:
            # Parts of a figure of another group: "5.7 million face hunger, including 5,600 in
            # famine", "of whom 160,000 are staying in collective centres": the group's own total.
            candidates = [i for i in reported if figures[i].part == PART_OF]
        if not candidates:
            continue
        best = max(candidates, key=lambda i: _rank(records[i], figures[i], event, cues.since))
        if _is_heading(records[best]):
            # A title, a heading or a key-figures line restated by a sentence of the body ("Nearly
            # 7 Million" as "6.9 million", "Millions" as "9.5 million"): the body's figure is the
            # one cited, with its date and credit.
            best = next((i for i in members if i != best and _restates(records[best], records[i])), best)
        headlines.add(best)
        scopes[best] = "total"
        for i in members:
            if event and i != best and records[i].value < records[best].value and not figures[i].stated_total:
                scopes[i] = "part"
            elif window and figures[i].part == WINDOW and records[i].value >= records[best].value:
                scopes[i] = "total"  # the same toll, restated
    for index, record in enumerate(records):
        _set_headline(record, index in headlines)
        _set_scope(record, scopes[index])
    return list(records)
