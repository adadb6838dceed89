"""Table-driven tests: phrases as reports write them, and the record each must give.

Three tables, by where a row comes from:
  REPORT_PHRASES  wording seen in real reports (news, sitreps, IPC, DTM), and confounders
                  that must give no record at all;
  BUGS_CAUGHT     failure modes of other extractors (IDETECT, quantulum3, CQE) and bugs
                  this engine had: each row's id says what it guards;
  KNOWN_GAPS      wording the engine gets wrong today, as strict xfails. A row goes here
                  only after it was run and seen failing; when the engine is fixed the
                  xfail turns into a failure, and the row moves to BUGS_CAUGHT.

A row states the record's indicator, value, qualifier, low and high (all always checked),
the figure as written (checked against raw_value and the text span), and optionally any
of population, outcome, measure, unit, raw_unit, unit_factor, location (ISO3),
attribution and reference_date. A row whose indicator is None must give no record.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import pytest

from extractors import INDICATORS, QUALIFIERS, IndicatorRecord, extract


class _Any:
    """Marks an optional field the row does not check."""

    def __repr__(self) -> str:
        return "ANY"


ANY: Any = _Any()


class Phrase(NamedTuple):
    text: str
    indicator: str | None  # None: the text must give no record
    value: float | None = None
    qualifier: str | None = None
    low: float | None = None
    high: float | None = None
    figure: str | None = None  # the figure as written: raw_value, and text[char_start:char_end]
    population: Any = ANY
    outcome: Any = ANY
    measure: Any = ANY
    unit: Any = ANY
    raw_unit: Any = ANY
    unit_factor: Any = ANY
    location: Any = ANY  # ISO3 code
    attribution: Any = ANY
    reference_date: Any = ANY
    published: str | None = None  # meta["published"] given to extract()


P = Phrase
NO_RECORD = None
DAY = "person / day"

GAZA_TOLL = "Israeli strikes have killed at least 57,575 Palestinians, the Gaza health ministry said."
UN_STAFF = "The war has killed at least 195 U.N. personnel and 172 of their dependents."
KILLED_WOUNDED = "The attack killed 30 people and wounded 70."
KILLED_WOUNDED_QUALIFIED = "At least 12 people were killed and 40 wounded."
KILLED_INJURED_DOZENS = "The strike killed 12 people and injured dozens."
HAITI_SUBSETS = "Gang members killed at least 115 people, including 10 women, in the town of Pont-Sonde."
HEADLINE = "12 killed, 40 injured in strike on school in Gaza"
SUBSET_AFTER = "The strike killed 30 people, including 12 children."
SUBSET_INSIDE = "30 people, including 12 children, were killed."

# fmt: off
REPORT_PHRASES: list[Phrase] = [
    # -- the examples ---------------------------------------------------------------
    P(GAZA_TOLL, "deaths", 57575, "at_least", 57575, None, "57,575",
      population=None, outcome="killed", attribution="the Gaza health ministry", location="PSE", raw_unit="Palestinians"),
    P("The fighting has displaced people, forcing more than 160,000 people to flee.", "displaced", 160000, "more_than", 160000,
      None, "160,000", outcome="displaced"),
    P("In Gaza, 500,000 people face famine.", "famine_exposure", 500000, "exact", 500000, 500000, "500,000",
      outcome=None, measure="snapshot", location="PSE"),
    P(UN_STAFF, "aid_worker_casualties", 195, "at_least", 195, None, "195",
      population="un personnel", outcome="killed", unit="person"),
    P(UN_STAFF, "deaths", 172, "exact", 172, 172, "172", population="dependents", outcome="killed"),
    P(KILLED_WOUNDED, "deaths", 30, "exact", 30, 30, "30", outcome="killed"),
    P(KILLED_WOUNDED, "injured", 70, "exact", 70, 70, "70", outcome="injured"),
    # -- digits, separators and scales ---------------------------------------------------------
    P("Strikes have killed 57 575 people since October.", "deaths", 57575, "exact", 57575, 57575, "57 575", measure="cumulative"),
    P("The war has displaced 2.1 million people.", "displaced", 2_100_000, "exact", 2_100_000, 2_100_000, "2.1 million"),
    P("The fighting has displaced 1.5m people in Sudan.", "displaced", 1_500_000, "exact", 1_500_000, 1_500_000, "1.5m",
      location="SDN"),
    P("The floods have displaced 1.5 mln people.", "displaced", 1_500_000, "exact", 1_500_000, 1_500_000, "1.5 mln"),
    P("The floods displaced 3 lakh people.", "displaced", 300_000, "exact", 300_000, 300_000, "3 lakh"),
    P("More than 1m people have been displaced.", "displaced", 1_000_000, "more_than", 1_000_000, None, "1m"),
    P("10k people have been displaced.", "displaced", 10_000, "exact", 10_000, 10_000, "10k"),
    P("Tens of thousands of people have fled Rafah.", "displaced", 20_000, "vague", 20_000, 99_999, "Tens of thousands",
      location="PSE"),
    P("Half a million people have been displaced.", "displaced", 500_000, "exact", 500_000, 500_000, "Half a million"),
    P("A quarter of a million people have fled their homes.", "displaced", 250_000, "exact", 250_000, 250_000,
      "A quarter of a million"),
    # -- number words ---------------------------------------------------------------------------
    P("The strike killed two hundred and forty people.", "deaths", 240, "exact", 240, 240, "two hundred and forty"),
    P("The strike killed a dozen people.", "deaths", 12, "exact", 12, 12, "a dozen"),
    P("The strike killed nine people.", "deaths", 9, "exact", 9, 9, "nine"),
    P("Thirteen people were killed in Khan Younis.", "deaths", 13, "exact", 13, 13, "Thirteen", location="PSE"),
    P("The strikes killed twenty-five people.", "deaths", 25, "exact", 25, 25, "twenty-five"),
    P("One million people have fled.", "displaced", 1_000_000, "exact", 1_000_000, 1_000_000, "One million"),
    # -- ranges ---------------------------------------------------------------------------------
    P("Between 30 and 40 people were killed.", "deaths", 30, "range", 30, 40, "30 and 40"),
    P("The strike killed between 30 and 40 people.", "deaths", 30, "range", 30, 40, "30 and 40"),
    P("The strike killed 30-40 people.", "deaths", 30, "range", 30, 40, "30-40"),
    P("The strike killed 30 to 40 people.", "deaths", 30, "range", 30, 40, "30 to 40"),
    # -- vague quantities: value is the low end of the documented interval ----------------------
    P("Dozens of people were killed.", "deaths", 24, "vague", 24, 99, "Dozens"),
    P("Hundreds of people were injured.", "injured", 200, "vague", 200, 999, "Hundreds"),
    P("Thousands of people have fled El Fasher.", "displaced", 2000, "vague", 2000, 9999, "Thousands", location="SDN"),
    P("Several people were killed.", "deaths", 3, "vague", 3, 9, "Several"),
    P("Scores of people were killed.", "deaths", 40, "vague", 40, 99, "Scores"),
    P("Hundreds of thousands of people face famine.", "famine_exposure", 200_000, "vague", 200_000, 999_999,
      "Hundreds of thousands"),
    # -- percentages of a stated base --------------------------------------------------------------
    P("80 per cent of the 2.1 million residents have been displaced.", "displaced", 1_680_000, "exact", 1_680_000, 1_680_000,
      "80 per cent of the 2.1 million"),
    P("Over 90 percent of the 2.1 million residents have been displaced.", "displaced", 1_890_000, "more_than", 1_890_000,
      None, "90 percent of the 2.1 million"),
    # -- every qualifier word ---------------------------------------------------------------------
    P("At least 12 people were killed in Rafah.", "deaths", 12, "at_least", 12, None, "12", location="PSE"),
    P("More than 100 people were killed.", "deaths", 100, "more_than", 100, None, "100"),
    P("The strikes killed over 100 people.", "deaths", 100, "more_than", 100, None, "100"),
    P("Upwards of 5,000 people have fled.", "displaced", 5000, "more_than", 5000, None, "5,000"),
    P("160,000+ people have fled.", "displaced", 160_000, "more_than", 160_000, None, "160,000"),
    P("Up to 300 people were killed.", "deaths", 300, "at_most", None, 300, "300"),
    P("As many as 300 people were killed.", "deaths", 300, "at_most", None, 300, "300"),
    P("Fewer than 20 people were injured.", "injured", 20, "fewer_than", None, 20, "20"),
    P("Less than 20 people were injured.", "injured", 20, "fewer_than", None, 20, "20"),
    P("Under 20 people were injured.", "injured", 20, "fewer_than", None, 20, "20"),
    P("About 400 people were killed.", "deaths", 400, "approx", None, None, "400"),
    P("Around 400 people were killed.", "deaths", 400, "approx", None, None, "400"),
    P("The strike killed some 400 people.", "deaths", 400, "approx", None, None, "400"),
    P("Roughly 400 people were killed.", "deaths", 400, "approx", None, None, "400"),
    P("An estimated 400 people were killed.", "deaths", 400, "approx", None, None, "400"),
    P("Nearly 400 people were killed.", "deaths", 400, "approx", None, 400, "400"),
    P("Almost 400 people were killed.", "deaths", 400, "approx", None, 400, "400"),
    P("Close to 400 people were killed.", "deaths", 400, "approx", None, 400, "400"),
    P("Nearly half a million people face famine.", "famine_exposure", 500_000, "approx", None, 500_000, "half a million"),
    # -- units: households and families, rates ----------------------------------------------------
    P("The fighting has displaced 500 families in Gaza.", "displaced", 2800, "exact", 2800, 2800, "500",
      raw_unit="families", unit_factor=5.6, unit="person", location="PSE"),
    P("The fighting has displaced 500 families in Sudan.", "displaced", 2500, "exact", 2500, 2500, "500",
      raw_unit="families", unit_factor=5.0, unit="person", location="SDN"),
    P("Some 2,000 households fled Khan Younis.", "displaced", 11_200, "approx", None, None, "2,000",
      raw_unit="households", unit_factor=5.6, location="PSE"),
    P("The strikes kill 100 people each day.", "deaths", 100, "exact", 100, 100, "100", unit=DAY, measure="rate"),
    P("The strikes kill 100 people a day.", "deaths", 100, "exact", 100, 100, "100", unit=DAY, measure="rate"),
    P("About 100 people are killed daily.", "deaths", 100, "approx", None, None, "100", unit=DAY, measure="rate"),
    P("The fighting displaced 700 people per week.", "displaced", 100, "exact", 100, 100, "700", unit=DAY, measure="rate"),
    # -- measures ------------------------------------------------------------------------------------
    P("The death toll has risen to 7,028.", "deaths", 7028, "exact", 7028, 7028, "7,028", measure="cumulative", outcome="killed"),
    P("In the past 24 hours, 12 people were killed.", "deaths", 12, "exact", 12, 12, "12", measure="period"),
    P("1.7 million people are internally displaced.", "displaced", 1_700_000, "exact", 1_700_000, 1_700_000, "1.7 million",
      measure="snapshot"),
    # -- populations and aid workers -----------------------------------------------------------------
    P("The strike killed 12 children.", "deaths", 12, "exact", 12, 12, "12", population="children"),
    P("The strike killed five journalists.", "deaths", 5, "exact", 5, 5, "five", population="journalists"),
    P("Gunmen kidnapped three aid workers in Darfur.", "aid_worker_casualties", 3, "exact", 3, 3, "three",
      population="aid workers", outcome="kidnapped", location="SDN"),
    P("Soldiers detained 14 UNRWA staff.", "aid_worker_casualties", 14, "exact", 14, 14, "14",
      population="unrwa staff", outcome="detained"),
    P("At least 25.6 million people face acute hunger in Sudan.", "food_insecurity", 25_600_000, "at_least", 25_600_000, None,
      "25.6 million", outcome=None, location="SDN"),
    P("More than 755,000 people face catastrophic hunger.", "famine_exposure", 755_000, "more_than", 755_000, None, "755,000"),
    # -- attribution ----------------------------------------------------------------------------------
    P("The strike killed 12 people, according to the Gaza health ministry.", "deaths", 12, "exact", 12, 12, "12",
      attribution="the Gaza health ministry", location="PSE"),
    P("The strike killed 12 people, the UN said.", "deaths", 12, "exact", 12, 12, "12", attribution="the UN"),
    P("Hamas reports that the strike killed 12 people.", "deaths", 12, "exact", 12, 12, "12", attribution="Hamas"),
    # -- location -------------------------------------------------------------------------------------
    P("The strike in Rafah killed 12 people.", "deaths", 12, "exact", 12, 12, "12", location="PSE"),
    P("Fighting in El Fasher killed 12 people.", "deaths", 12, "exact", 12, 12, "12", location="SDN"),
    P("Clashes in Darfur displaced 12,000 people.", "displaced", 12_000, "exact", 12_000, 12_000, "12,000", location="SDN"),
    # -- reference date ---------------------------------------------------------------------------------
    P("As of 3 May, the war had killed 52,000 people.", "deaths", 52_000, "exact", 52_000, 52_000, "52,000",
      reference_date="2025-05-03", published="2025-05-10"),
    P("As of May 3, 12,000 people had been displaced.", "displaced", 12_000, "exact", 12_000, 12_000, "12,000",
      reference_date="2025-05-03", published="2025-05-10"),
    # -- several figures in one sentence ------------------------------------------------------------------
    P(KILLED_WOUNDED_QUALIFIED, "deaths", 12, "at_least", 12, None, "12"),
    P(KILLED_WOUNDED_QUALIFIED, "injured", 40, "exact", 40, 40, "40"),
    P(KILLED_INJURED_DOZENS, "deaths", 12, "exact", 12, 12, "12"),
    P(KILLED_INJURED_DOZENS, "injured", 24, "vague", 24, 99, "dozens"),
    P(HAITI_SUBSETS, "deaths", 115, "at_least", 115, None, "115", location="HTI"),
    P(HAITI_SUBSETS, "deaths", 10, "exact", 10, 10, "10", population="women"),
    P(HEADLINE, "deaths", 12, "exact", 12, 12, "12", location="PSE"),
    P(HEADLINE, "injured", 40, "exact", 40, 40, "40", location="PSE"),
    P(SUBSET_AFTER, "deaths", 30, "exact", 30, 30, "30", population=None),
    P(SUBSET_INSIDE, "deaths", 30, "exact", 30, 30, "30", population=None),
    # -- confounders: no record at all -----------------------------------------------------------------------
    P("Israeli strikes have killed people across Gaza, home to its 2.2 million residents.", NO_RECORD),
    P("Nearly all of Gaza's 2.1 million people have been displaced.", NO_RECORD),
    P("Israel deployed 20,000 troops to Rafah, where people were killed.", NO_RECORD),
    P("Some 20,000 troops were deployed to areas where people have been displaced.", NO_RECORD),
    P("The UN appealed for $4.1 billion to help people displaced by the war.", NO_RECORD),
    P("The appeal seeks 500 million dollars for displaced people.", NO_RECORD),
    P("Fighting that began in April 2015 has displaced people across Yemen.", NO_RECORD),
    P("On 7 October, militants killed people in Israel.", NO_RECORD),
    P("A 7-year-old was killed in the strike.", NO_RECORD),
    P("Children under 5 were among those killed.", NO_RECORD),
    P("A 60-day ceasefire was agreed, but people are still being killed.", NO_RECORD),
    P("Aid has not entered for 60 days while people are killed.", NO_RECORD),
    P("Israel has displaced people from 80% of the territory.", NO_RECORD),
    P("Evacuation orders have displaced people from 80 per cent of the Gaza Strip.", NO_RECORD),
    P("Hamas still holds 50 hostages seized in the attack in which people were killed.", NO_RECORD),
    P("Israel released 90 prisoners after the killing.", NO_RECORD),
    P("The report, which runs to 120 pages, says people were killed.", NO_RECORD),
    P("For information on the displaced, call +249 912 345 678.", NO_RECORD),
    P("Some 90% of Gazans have been displaced.", NO_RECORD),
]

BUGS_CAUGHT = [
    # -- failure modes of other extractors ------------------------------------------------------
    pytest.param(
        P("Fighting has displaced 2.1 million people in Sudan.", "displaced", 2_100_000, "exact", 2_100_000, 2_100_000,
          "2.1 million"),
        id="idetect-lost-the-scale-of-2.1-million",
    ),
    pytest.param(
        P("More than 160,000 people have fled the fighting.", "displaced", 160_000, "more_than", 160_000, None, "160,000"),
        id="idetect-dropped-more-than",
    ),
    pytest.param(
        P("At least 195 U.N. personnel have been killed in Gaza.", "aid_worker_casualties", 195, "at_least", 195, None, "195",
          unit="person", raw_unit="U.N. personnel", population="un personnel", location="PSE"),
        id="quantulum3-read-195-UN-personnel-as-atomic-mass-units",
    ),
    pytest.param(
        P("The earthquake in April 2015 killed 9,000 people.", "deaths", 9000, "exact", 9000, 9000, "9,000"),
        id="quantulum3-read-April-2015-as-a-count",
    ),
    pytest.param(
        P("Israeli strikes killed at least 73 people overnight.", "deaths", 73, "at_least", 73, None, "73"),
        id="cqe-turned-at-least-73-into-strictly-more-than-73",
    ),
    # -- this engine: guards written into its code, and bugs seen failing here and fixed since ----
    pytest.param(
        P("Between 1 and 1.5 million people have been displaced.", "displaced", 1_000_000, "range", 1_000_000, 1_500_000,
          "1 and 1.5 million"),
        id="scale-written-once-applies-to-both-ends-of-a-range",
    ),
    pytest.param(
        P("Fighting in 2023-2024 displaced 12,000 people.", "displaced", 12_000, "exact", 12_000, 12_000, "12,000"),
        id="a-span-of-years-is-not-a-range-of-people",
    ),
    pytest.param(
        P("The death toll rose from 7,000 to 7,028.", "deaths", 7028, "exact", 7028, 7028, "7,028", measure="cumulative"),
        id="rose-from-X-to-Y-is-a-change-not-a-range-and-X-is-no-record",
    ),
    pytest.param(
        P("A Covid-19 outbreak killed 30 people.", "deaths", 30, "exact", 30, 30, "30"),
        id="Covid-19-is-a-name-not-a-count",
    ),
    pytest.param(
        P("F-16 strikes killed 30 people.", "deaths", 30, "exact", 30, 30, "30"),
        id="F-16-is-a-name-not-a-count",
    ),
    pytest.param(
        P("The 5th strike killed 30 people at 10am.", "deaths", 30, "exact", 30, 30, "30"),
        id="ordinals-and-clock-times-are-not-counts",
    ),
    pytest.param(
        P("A 60-day ceasefire was agreed after fighting killed 30 people.", "deaths", 30, "exact", 30, 30, "30"),
        id="60-day-compound-modifier-is-not-a-count",
    ),
    pytest.param(
        P("Households average 5.6 persons, and 500 families were displaced.", "displaced", 2500, "exact", 2500, 2500, "500",
          raw_unit="families", unit_factor=5.0),
        id="household-size-5.6-is-not-a-count-and-default-size-is-5",
    ),
    pytest.param(
        P("Call +249 912 345 678 for help; 30 people were killed.", "deaths", 30, "exact", 30, 30, "30"),
        id="phone-number-groups-are-not-counts",
    ),
    pytest.param(
        P(SUBSET_AFTER, "deaths", 12, "exact", 12, 12, "12", population="children", outcome="killed"),
        id="subset-after-including-inherits-the-trigger",
    ),
    pytest.param(
        P(SUBSET_INSIDE, "deaths", 12, "exact", 12, 12, "12", population="children"),
        id="subset-inside-the-subject-inherits-the-trigger",
    ),
    pytest.param(
        P("1.9 million people, or 90 per cent of the population, have been displaced.", "displaced", 1_900_000, "exact",
          1_900_000, 1_900_000, "1.9 million"),
        id="apposition-with-a-bare-percentage-keeps-the-figure",
    ),
    pytest.param(
        P("The strike killed 12 members of one family.", "deaths", 12, "exact", 12, 12, "12", unit_factor=1.0),
        id="members-of-one-family-are-not-converted-by-household-size",
    ),
    pytest.param(
        P("Another 16 people were seriously wounded.", "injured", 16, "exact", 16, 16, "16"),
        id="an-adverb-between-auxiliary-and-trigger",
    ),
    pytest.param(
        P("Flooding has forced 1.2 mln people from their homes.", "displaced", 1_200_000, "exact", 1_200_000, 1_200_000,
          "1.2 mln"),
        id="forced-N-people-from-their-homes",
    ),
    # -- bugs of this engine, fixed: each was a strict xfail in KNOWN_GAPS -------------------------
    pytest.param(
        P("The strike killed 30 people, 12 of them children.", "deaths", 30, "exact", 30, 30, "30", population=None),
        id="the-parent-of-N-of-them-keeps-its-own-figure",
    ),
    pytest.param(
        P("The strike killed 30 people, 12 of them children.", "deaths", 12, "exact", 12, 12, "12",
          population="children", outcome="killed"),
        id="N-of-them-children-subset",
    ),
    pytest.param(P("Nine in ten of the population have been displaced.", NO_RECORD), id="the-ten-of-nine-in-ten-is-a-ratio"),
    pytest.param(P("Nine out of ten people were displaced.", NO_RECORD), id="the-ten-of-nine-out-of-ten-is-a-ratio"),
    pytest.param(
        P("The strike killed 3 infants and 2 girls.", "deaths", 2, "exact", 2, 2, "2", population="children"),
        id="girls-are-children-and-share-the-verb",
    ),
    pytest.param(
        P("Over 60,000 people have been killed, of whom 18,000 were children.", "deaths", 60_000, "more_than", 60_000, None,
          "60,000", population=None),
        id="the-parent-of-a-subset-keeps-its-own-noun",
    ),
    pytest.param(
        P("The strike killed 12 civilians.", "deaths", 12, "exact", 12, 12, "12", raw_unit="civilians"),
        id="raw-unit-keeps-the-sentence-full-stop",
    ),
    pytest.param(
        P("Half of the 2 million people in Gaza have been displaced.", "displaced", 1_000_000, "exact", 1_000_000, 1_000_000,
          "Half of the 2 million"),
        id="half-of-the-2-million-gives-the-whole-base",
    ),
    pytest.param(
        P("The fighting displaces 700 people per week.", "displaced", 100, "exact", 100, 100, "700", unit=DAY, measure="rate"),
        id="present-tense-displaces-is-no-trigger",
    ),
    pytest.param(
        P("UNRWA said 212 of its staff had been killed.", "aid_worker_casualties", 212, "exact", 212, 212, "212",
          population="unrwa staff", outcome="killed"),
        id="its-staff-of-a-named-agency-has-no-population",
    ),
    pytest.param(
        P("The strike killed 3 infants and 2 girls.", "deaths", 3, "exact", 3, 3, "3", population="children"),
        id="infants-are-children",
    ),
    pytest.param(
        P("Some 1.9 million people – about 90 per cent of the population – have been displaced.", "displaced", 1_900_000,
          "approx", None, None, "1.9 million"),
        id="apposition-between-dashes-loses-the-figure",
    ),
    pytest.param(
        P("Two-thirds of the 2.1 million residents have been displaced.", "displaced", 1_400_000, "exact", 1_400_000,
          1_400_000, "Two-thirds of the 2.1 million"),
        id="fraction-word-of-a-stated-base",
    ),
    pytest.param(
        P("Over 60,000 people have been killed, of whom 18,000 were children.", "deaths", 18_000, "exact", 18_000, 18_000,
          "18,000", population="children"),
        id="of-whom-N-were-children-takes-the-parent-noun",
    ),
    pytest.param(
        P("Some 100 people are killed in Gaza every day.", "deaths", 100, "approx", None, None, "100",
          unit=DAY, measure="rate", location="PSE"),
        id="rate-after-a-place-phrase-is-missed",
    ),
]

KNOWN_GAPS: list = [
    # Empty today: every gap found so far is fixed and guarded in BUGS_CAUGHT. A new row goes
    # here as pytest.param(P(...), id=..., marks=pytest.mark.xfail(strict=True, raises=AssertionError, reason=...)).
]
# fmt: on


def describe(records: list[IndicatorRecord]) -> str:
    """One line per record, for assertion messages."""
    if not records:
        return "  no record"
    return "\n".join(
        f"  {r.indicator} value={r.value} qualifier={r.qualifier} low={r.low} high={r.high} raw_value={r.raw_value!r} "
        f"raw_unit={r.raw_unit!r} population={r.population} outcome={r.outcome} measure={r.measure} unit={r.unit!r}"
        for r in records
    )


def _row(param: Any) -> Phrase:
    return param.values[0] if hasattr(param, "values") else param


def _id(row: Phrase) -> str:
    label = row.indicator or "no-record"
    if row.figure:
        label += f"[{row.figure}]"
    text = row.text if len(row.text) <= 60 else row.text[:57] + "..."
    return f"{label}: {text}"


def _same(expected: Any, found: Any) -> bool:
    if isinstance(expected, (int, float)) and isinstance(found, (int, float)):
        return math.isclose(expected, found, rel_tol=1e-9, abs_tol=1e-9)
    return expected == found


OPTIONAL_FIELDS = {
    "population": "population",
    "outcome": "outcome",
    "measure": "measure",
    "unit": "unit",
    "raw_unit": "raw_unit",
    "unit_factor": "unit_factor",
    "location": "location_iso3",
    "attribution": "attribution",
    "reference_date": "reference_date",
}


def _extract(row: Phrase) -> list[IndicatorRecord]:
    return extract(row.text, meta={"published": row.published} if row.published else None)


def check_phrase(row: Phrase) -> None:
    records = _extract(row)
    if row.indicator is None:
        assert records == [], f"{row.text!r} must give no record, got:\n{describe(records)}"
        return
    found = [r for r in records if r.raw_value == row.figure]
    assert len(found) == 1, f"{row.text!r}: expected one record of figure {row.figure!r}, got:\n{describe(records)}"
    record = found[0]
    assert row.text[record.char_start : record.char_end] == record.raw_value
    expected = (row.indicator, row.value, row.qualifier, row.low, row.high)
    got = (record.indicator, record.value, record.qualifier, record.low, record.high)
    assert all(map(_same, expected, got)), f"{row.text!r}: (indicator, value, qualifier, low, high) {got} != {expected}"
    for name, field in OPTIONAL_FIELDS.items():
        want = getattr(row, name)
        if want is not ANY:
            assert _same(want, getattr(record, field)), f"{row.text!r}: {field} is {getattr(record, field)!r}, not {want!r}"


@pytest.mark.parametrize("row", REPORT_PHRASES, ids=_id)
def test_report_phrase(row: Phrase) -> None:
    check_phrase(row)


@pytest.mark.parametrize("row", BUGS_CAUGHT)
def test_bug_caught(row: Phrase) -> None:
    check_phrase(row)


if KNOWN_GAPS:  # over no rows, pytest would report a skip, which CI must not have

    @pytest.mark.parametrize("row", KNOWN_GAPS)
    def test_known_gap(row: Phrase) -> None:
        check_phrase(row)


def _figures_by_text() -> dict[str, tuple[Phrase, list[str]]]:
    """Every passing text with record rows, and all the figures the tables expect from it."""
    gap_texts = {_row(param).text for param in KNOWN_GAPS}
    grouped: dict[str, tuple[Phrase, list[str]]] = {}
    for row in [*REPORT_PHRASES, *map(_row, BUGS_CAUGHT)]:
        if row.indicator is None or row.text in gap_texts:
            continue
        _, figures = grouped.setdefault(row.text, (row, []))
        if row.figure not in figures:
            figures.append(row.figure)
    return grouped


FIGURES_BY_TEXT = _figures_by_text()


@pytest.mark.parametrize("text", list(FIGURES_BY_TEXT), ids=lambda text: text[:60])
def test_no_record_beyond_the_expected_figures(text: str) -> None:
    """A text gives records for the figures its rows name, and for nothing else (no year, code or age)."""
    row, figures = FIGURES_BY_TEXT[text]
    records = _extract(row)
    assert sorted(r.raw_value for r in records) == sorted(figures), describe(records)


def test_tables_are_well_formed() -> None:
    """Guards the tables themselves: sizes, vocabulary, and the interval convention of each qualifier."""
    assert len(REPORT_PHRASES) >= 60
    rows = [*REPORT_PHRASES, *map(_row, BUGS_CAUGHT), *map(_row, KNOWN_GAPS)]
    for row in rows:
        if row.indicator is None:
            assert row.value is None and row.figure is None, row
            continue
        assert row.indicator in INDICATORS and row.qualifier in QUALIFIERS, row
        assert row.figure and row.figure in row.text, row
        if row.qualifier == "exact":
            assert row.low == row.value == row.high, row
        elif row.qualifier in ("at_least", "more_than"):
            assert (row.low, row.high) == (row.value, None), row
        elif row.qualifier in ("at_most", "fewer_than"):
            assert (row.low, row.high) == (None, row.value), row
        elif row.qualifier == "approx":
            assert row.low is None and row.high in (None, row.value), row
        else:
            assert row.low == row.value and row.high is not None and row.high > row.value, row
    keys = [(row.text, row.figure) for row in rows]
    assert len(keys) == len(set(keys)), "a row is listed twice"
