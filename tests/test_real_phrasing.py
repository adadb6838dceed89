"""Recall on real phrasing (issue 13, item 1): families of wording that real reports use.

Each table is one family. The sentences are our own, written after the patterns seen in
real reports (Wikipedia disaster articles, OCHA, IFRC, IOM and WFP reports, news live
blogs); none is copied from them. A row reads like a row of test_phrases.py: the record's
indicator, value, qualifier, low and high, the figure as written, and optional fields.

Rows marked GUARD passed before this work: they keep a trap shut (a figure that must stay
vague, a risk that is not a death, a population that is not a displacement) or keep
wording that already worked from breaking while its family grows. Every other row failed
on the code before it.

Displaced records carry an outcome that says how people were displaced, so that users
can keep the kinds apart (the indicator stays `displaced`): displaced (fled, uprooted,
IDPs), evacuated, sheltering (in evacuation centres, camps, collective shelters),
refugees (crossed a border) and homeless.

A household figure restated in persons ("2,310 households (about 11,000 people)") gives
one record, of the persons: its value, span and raw_value are those of the persons
figure, and the households figure gives no record of its own (the quote keeps it).
"""

from __future__ import annotations

import pytest
from test_phrases import NO_RECORD, Phrase, _extract, check_phrase, describe

P = Phrase
GUARD = "guard"  # the id suffix of rows that passed before this work


GAP = "known gap"  # wording the engine still gets wrong: a strict xfail, moved out when fixed


def _rows(*rows: Phrase | tuple[Phrase, str]) -> list[object]:
    """Rows as pytest params, with a readable id; (row, GUARD) marks a guard, (row, GAP) a known gap."""
    params = []
    for item in rows:
        row, mark = (item, "") if isinstance(item, Phrase) else item
        label = row.indicator or "no-record"
        if row.figure:
            label += f"[{row.figure}]"
        text = row.text.replace("\n", " / ")
        text = text if len(text) <= 60 else text[:57] + "..."
        marks = [pytest.mark.xfail(strict=True, reason="known gap")] if mark == GAP else []
        params.append(pytest.param(row, id=f"{label}: {text}" + (f" ({mark})" if mark else ""), marks=marks))
    return params


HERAT = "The quake killed 508 people, 412 in Herat province and 96 in Badghis."
NEIGHBOUR = "Floods killed at least 80 people in one district and 12 in the neighbouring one."
KISUMU = "Six people died, including 4 in Kisumu and 2 in Busia."
NEPAL = "Landslides killed 61 people: 40 in Rasuwa, 15 in Sindhupalchok, 6 in Dolakha ..."
CAPITAL = "The storm injured 230 people, 150 in the capital and 80 in coastal towns."
WHOM = "The strikes killed 800 people, 310 of whom were children and 190 women."
OF_WHICH = "Some 450,000 people have been displaced, of which 120,000 in the capital."
AID_BLOCK = "Aid workers\n95 killed / 60 wounded / 40 kidnapped"
DEAD_INJURED_MISSING = "Floods left 40 dead, 120 injured and 300 missing."

# fmt: off
EVACUATED = _rows(
    P("Authorities evacuated 9,000 residents from low-lying villages before the storm.", "displaced", 9000, "exact",
      9000, 9000, "9,000", outcome="evacuated", raw_unit="residents"),
    P("About 4,500 people were evacuated from coastal districts on Friday.", "displaced", 4500, "approx", None, None,
      "4,500", outcome="evacuated"),
    P("More than 12,000 people were moved to safer places ahead of landfall.", "displaced", 12000, "more_than", 12000,
      None, "12,000", outcome="evacuated"),
    P("Rising water led to the evacuation of 3,700 villagers in the delta.", "displaced", 3700, "exact", 3700, 3700,
      "3,700", outcome="evacuated"),
    P("The flooding forced 640,000 people to evacuate.", "displaced", 640000, "exact", 640000, 640000, "640,000",
      outcome="evacuated"),
    P("Police carried out evacuations of nearly 6,000 people overnight.", "displaced", 6000, "approx", None, 6000,
      "6,000", outcome="evacuated"),
    P("By Sunday the number of evacuees had climbed to over 2,000.", "displaced", 2000, "more_than", 2000, None,
      "2,000", outcome="evacuated"),
    P("Around 800 people were forced to evacuate when the dam cracked.", "displaced", 800, "approx", None, None, "800",
      outcome="evacuated"),
    P("The shrinking lake forced 1,870 local residents to relocate.", "displaced", 1870, "exact", 1870, 1870, "1,870",
      outcome="displaced"),
    (P("The strike hit at 1400 local time, killing 3 people.", "deaths", 3, "exact", 3, 3, "3"), GUARD),
    P("The drought forced 2,900 herders to relocate.", "displaced", 2900, "exact", 2900, 2900, "2,900",
      outcome="displaced"),
)

SHELTERING = _rows(
    P("Some 26,000 people are staying in 140 evacuation centres.", "displaced", 26000, "approx", None, None, "26,000",
      outcome="sheltering", measure="snapshot"),
    P("An estimated 8,400 people have taken refuge in schools and churches.", "displaced", 8400, "approx", None, None,
      "8,400", outcome="sheltering"),
    P("Nearly 3,000 people are sheltering in collective centres in the city.", "displaced", 3000, "approx", None, 3000,
      "3,000", outcome="sheltering"),
    P("A total of 15,200 people remain in relief camps.", "displaced", 15200, "exact", 15200, 15200, "15,200",
      outcome="sheltering"),
    P("Schools across the province were sheltering 5,600 people on Sunday night.", "displaced", 5600, "exact", 5600,
      5600, "5,600", outcome="sheltering"),
    P("Some 9,000 people were displaced by the flooding and 3,000 remain in shelters.", "displaced", 3000, "exact",
      3000, 3000, "3,000", outcome="sheltering"),
    (P("Some 9,000 people were displaced by the flooding and 3,000 remain in shelters.", "displaced", 9000, "approx",
       None, None, "9,000", outcome="displaced"), GUARD),
    P("Around 2,200 people are sheltering with host families.", "displaced", 2200, "approx", None, None, "2,200",
      outcome="sheltering"),
    P("Roughly 640 families are staying with relatives in the town.", "displaced", 3200, "approx", None, None, "640",
      outcome="sheltering", raw_unit="families", unit_factor=5.0),
    P("The number of people in evacuation centres rose to 48,000.", "displaced", 48000, "exact", 48000, 48000,
      "48,000", outcome="sheltering"),
)

REFUGEES = _rows(
    P("Since mid-April, 31,000 people have crossed into Chad.", "displaced", 31000, "exact", 31000, 31000, "31,000",
      outcome="refugees"),
    P("Some 4,000 refugees arrived in Moldova on Monday.", "displaced", 4000, "approx", None, None, "4,000",
      outcome="refugees", population="refugees"),
    P("More than 2,500 people have entered the country since the weekend, border officials said.", "displaced", 2500,
      "more_than", 2500, None, "2,500", outcome="refugees"),
    P("About 700 Sudanese fled across the border into South Sudan overnight.", "displaced", 700, "approx", None, None,
      "700", outcome="refugees"),
    P("Uganda has received 90,000 refugees since January.", "displaced", 90000, "exact", 90000, 90000, "90,000",
      outcome="refugees"),
    P("More than 90,000 people have poured into neighbouring countries since the fighting began.", "displaced", 90000,
      "more_than", 90000, None, "90,000", outcome="refugees"),
    P("About 61,000 people have so far crossed from Ukraine into Romania.", "displaced", 61000, "approx", None, None,
      "61,000", outcome="refugees"),
    P("Border guards said 45,000 people entered from Ukraine on Tuesday.", "displaced", 45000, "exact", 45000, 45000,
      "45,000", outcome="refugees"),
    P("Around 300 people a day have been arriving in Burundi.", "displaced", 300, "approx", None, None, "300",
      outcome="refugees", unit="person / day"),
    P("At least 12,000 people have crossed east into Ethiopia.", "displaced", 12000, "at_least", 12000, None, "12,000",
      outcome="refugees"),
    P("An estimated 1,300 asylum seekers crossed the border on foot.", "displaced", 1300, "approx", None, None, "1,300",
      outcome="refugees"),
)

HOMELESS = _rows(
    P("The cyclone left 15,000 people homeless.", "displaced", 15000, "exact", 15000, 15000, "15,000",
      outcome="homeless"),
    P("Roughly 2,100 people lost their homes in the floods.", "displaced", 2100, "approx", None, None, "2,100",
      outcome="homeless"),
    P("The earthquake rendered 50,000 people homeless.", "displaced", 50000, "exact", 50000, 50000, "50,000",
      outcome="homeless"),
    P("Nearly 900 residents were made homeless by the landslide.", "displaced", 900, "approx", None, 900, "900",
      outcome="homeless"),
    P("About 350 people in the town of Greenfield, Ohio, lost their homes.", "displaced", 350, "approx", None, None,
      "350", outcome="homeless"),
    P("The storm left 2,000 people without homes.", "displaced", 2000, "exact", 2000, 2000, "2,000",
      outcome="homeless"),
    P("At least 6,500 people are now homeless after the fire.", "displaced", 6500, "at_least", 6500, None, "6,500",
      outcome="homeless"),
)

# Displacement that stays `displaced`, and people who were never displaced.
NOT_DISPLACED = _rows(
    (P("Fighting uprooted 12,000 people in a week.", "displaced", 12000, "exact", 12000, 12000, "12,000",
       outcome="displaced"), GUARD),
    (P("About 6,000 returnees went back to their villages.", NO_RECORD), GUARD),
    (P("The floods affected 280,000 people in nine provinces.", NO_RECORD), GUARD),
    (P("Some 40,000 people returned home after the water receded.", NO_RECORD), GUARD),
    (P("Evacuation orders were lifted for 12,000 residents.", NO_RECORD), GUARD),
    # People reached: a count of service, not of displacement.
    (P("Volunteers served hot meals to 4,100 evacuees at the stadium.", NO_RECORD), GUARD),
    (P("The floods destroyed 1,200 latrines in evacuation centres.", NO_RECORD), GUARD),
)

HOUSEHOLDS_IN_PERSONS = _rows(
    P("2,310 households (about 11,000 people) were displaced.", "displaced", 11000, "approx", None, None, "11,000",
      raw_unit="people", unit_factor=1.0, outcome="displaced"),
    (P("Some 1,500 families, or around 7,500 people, have fled their homes.", "displaced", 7500, "approx", None, None,
      "7,500", raw_unit="people", unit_factor=1.0), GUARD),
    (P("The floods displaced 4,200 people (about 850 households).", "displaced", 4200, "exact", 4200, 4200, "4,200",
      raw_unit="people", unit_factor=1.0), GUARD),
    # Two counts joined by "and" are two figures, households converted by the household size.
    (P("Fighting displaced 300 families and 2,000 people fled to the hills.", "displaced", 1500, "exact", 1500, 1500,
       "300", raw_unit="families", unit_factor=5.0), GUARD),
    (P("Fighting displaced 300 families and 2,000 people fled to the hills.", "displaced", 2000, "exact", 2000, 2000,
       "2,000"), GUARD),
)

DISTRIBUTED_LISTS = _rows(
    (P(HERAT, "deaths", 508, "exact", 508, 508, "508"), GUARD),
    (P(NEIGHBOUR, "deaths", 80, "at_least", 80, None, "80"), GUARD),
    (P(KISUMU, "deaths", 6, "exact", 6, 6, "Six"), GUARD),
    (P(KISUMU, "deaths", 4, "exact", 4, 4, "4"), GUARD),
    (P(NEPAL, "deaths", 61, "exact", 61, 61, "61"), GUARD),
    (P(NEPAL, "deaths", 40, "exact", 40, 40, "40"), GUARD),
    (P(CAPITAL, "injured", 230, "exact", 230, 230, "230"), GUARD),
    (P(CAPITAL, "injured", 150, "exact", 150, 150, "150"), GUARD),
    (P(HERAT, "deaths", 412, "exact", 412, 412, "412"), GUARD),
    P(HERAT, "deaths", 96, "exact", 96, 96, "96"),
    P(NEIGHBOUR, "deaths", 12, "exact", 12, 12, "12"),
    P(KISUMU, "deaths", 2, "exact", 2, 2, "2"),
    P(NEPAL, "deaths", 15, "exact", 15, 15, "15"),
    P(NEPAL, "deaths", 6, "exact", 6, 6, "6"),
    P(CAPITAL, "injured", 80, "exact", 80, 80, "80"),
)

# Witnesses after a toll take no trigger from it.
WITNESSES = "The blast killed at least 20 people and wounded dozens more, two medics and a trader told reporters."

DISTRIBUTED_LISTS += _rows(
    (P(WITNESSES, "deaths", 20, "at_least", 20, None, "20"), GUARD),
    (P(WITNESSES, "injured", 24, "vague", 24, 99, "dozens"), GUARD),
)

TABASCO = "At least 730 people, of which 410 in Tabasco, were evacuated."
SUBSETS = _rows(
    P(TABASCO, "displaced", 730, "at_least", 730, None, "730", outcome="evacuated"),
    P(TABASCO, "displaced", 410, "exact", 410, 410, "410", outcome="evacuated"),
    (P(WHOM, "deaths", 800, "exact", 800, 800, "800"), GUARD),
    P(WHOM, "deaths", 310, "exact", 310, 310, "310", population="children"),
    (P(OF_WHICH, "displaced", 450000, "approx", None, None, "450,000"), GUARD),
    P(WHOM, "deaths", 190, "exact", 190, 190, "190", population="women"),
    P(OF_WHICH, "displaced", 120000, "exact", 120000, 120000, "120,000"),
)

KEY_FIGURES = _rows(
    (P("Deaths: 96", "deaths", 96, "exact", 96, 96, "96"), GUARD),
    (P("Key figures\n12,400\npeople displaced", "displaced", 12400, "exact", 12400, 12400, "12,400"), GUARD),
    P(AID_BLOCK, "aid_worker_casualties", 95, "exact", 95, 95, "95", outcome="killed"),
    P(AID_BLOCK, "aid_worker_casualties", 60, "exact", 60, 60, "60", outcome="injured"),
    P(AID_BLOCK, "aid_worker_casualties", 40, "exact", 40, 40, "40", outcome="kidnapped"),
)

LABEL_LINES = "Key figures\n- Deaths\n1,204\n- Displaced\n35,000"
BAR_TABLE = "Killed | Injured | Missing\n96 | 210 | 14"
TAB_TABLE = "Province\tDeaths\tInjured\nHerat\t96\t210\nBadghis\t12\t40"
SPACED_TABLE = "District        Deaths    Displaced\nKunar           130       2,400\nNangarhar       45        11,000"
KEY_FIGURES += _rows(
    P(LABEL_LINES, "deaths", 1204, "exact", 1204, 1204, "1,204"),
    (P(LABEL_LINES, "displaced", 35000, "exact", 35000, 35000, "35,000"), GUARD),
    P(BAR_TABLE, "deaths", 96, "exact", 96, 96, "96", outcome="killed"),
    P(BAR_TABLE, "injured", 210, "exact", 210, 210, "210"),
    P(TAB_TABLE, "deaths", 96, "exact", 96, 96, "96"),
    P(TAB_TABLE, "injured", 210, "exact", 210, 210, "210"),
    P(TAB_TABLE, "deaths", 12, "exact", 12, 12, "12"),
    P(TAB_TABLE, "injured", 40, "exact", 40, 40, "40"),
    P(SPACED_TABLE, "deaths", 130, "exact", 130, 130, "130"),
    P(SPACED_TABLE, "displaced", 2400, "exact", 2400, 2400, "2,400"),
    P(SPACED_TABLE, "deaths", 45, "exact", 45, 45, "45"),
    P(SPACED_TABLE, "displaced", 11000, "exact", 11000, 11000, "11,000"),
    # A table whose header names no outcome gives nothing.
    (P("Year\tPopulation\n2020\t12,000", NO_RECORD), GUARD),
)

CHILDREN_BLOCK = "- Children: 40 killed, 112 injured"
KEY_FIGURES += _rows(
    P(CHILDREN_BLOCK, "deaths", 40, "exact", 40, 40, "40", population="children"),
    P(CHILDREN_BLOCK, "injured", 112, "exact", 112, 112, "112", population="children"),
    # A subject with a verb of its own is no heading.
    (P("Aid workers said 5 people were killed.", "deaths", 5, "exact", 5, 5, "5", population=None), GUARD),
)

# A tally line of aid workers under a paragraph (or a title) about them, not a heading of its own.
AID_TALLY = "Attacks on relief convoys rose again, the security database for aid workers said.\nEAST REGION\n41 killed / 17 wounded / 9 abducted"
AID_TALLY_TITLE = "Humanitarian Workers Under Fire In 2023\n\nNORTH\n12 killed / 4 detained"
PEOPLE_TALLY = "Shelling hit the market on Friday.\nTOTAL\n41 killed / 17 wounded"
# A key figure over its label, under the label of the figure before it.
OVER_LABELS = "KEY FIGURES\n2,310\npeople killed\n4,050\npeople injured"
# A label line with a time phrase after its trigger, over its figure.
LABEL_SINCE = "Civilians killed since 1 March 2024\n8,112\nWounded since the ceasefire broke down\n950"
KEY_FIGURES += _rows(
    P(AID_TALLY, "aid_worker_casualties", 41, "exact", 41, 41, "41", outcome="killed", population="aid workers"),
    P(AID_TALLY, "aid_worker_casualties", 17, "exact", 17, 17, "17", outcome="injured"),
    P(AID_TALLY, "aid_worker_casualties", 9, "exact", 9, 9, "9", outcome="kidnapped"),
    P(AID_TALLY_TITLE, "aid_worker_casualties", 12, "exact", 12, 12, "12", outcome="killed"),
    P(AID_TALLY_TITLE, "aid_worker_casualties", 4, "exact", 4, 4, "4", outcome="detained"),
    (P(PEOPLE_TALLY, "deaths", 41, "exact", 41, 41, "41", population=None), GUARD),
    (P(PEOPLE_TALLY, "injured", 17, "exact", 17, 17, "17"), GUARD),
    (P(OVER_LABELS, "deaths", 2310, "exact", 2310, 2310, "2,310"), GUARD),
    P(OVER_LABELS, "injured", 4050, "exact", 4050, 4050, "4,050"),
    P(LABEL_SINCE, "deaths", 8112, "exact", 8112, 8112, "8,112"),
    P(LABEL_SINCE, "injured", 950, "exact", 950, 950, "950"),
)

DIED = _rows(
    P("Health officials confirmed the 140 deaths among health workers.", "deaths", 140, "exact", 140, 140, "140",
      population="health workers"),
    (P("The killing of over 200 villagers drew condemnation.", "deaths", 200, "more_than", 200, None, "200"), GUARD),
    P("Rescuers recovered 37 bodies from the rubble.", "deaths", 37, "exact", 37, 37, "37"),
    P("The bodies of 14 migrants were pulled from the sea.", "deaths", 14, "exact", 14, 14, "14"),
    P("Twenty bodies were awaiting burial at the hospital.", "deaths", 20, "exact", 20, 20, "Twenty"),
    P("Two fishermen were found dead on the beach.", "deaths", 2, "exact", 2, 2, "Two"),
    (P("Eleven people were reported dead in the province.", "deaths", 11, "exact", 11, 11, "Eleven"), GUARD),
    (P("At least 23 people lost their lives in the landslide.", "deaths", 23, "at_least", 23, None, "23"), GUARD),
    (P("Nine residents were killed by the floodwaters.", "deaths", 9, "exact", 9, 9, "Nine"), GUARD),
    (P("One woman was killed when a wall collapsed.", "deaths", 1, "exact", 1, 1, "One"), GUARD),
    P("The heat wave claimed 1,400 lives across the region.", "deaths", 1400, "exact", 1400, 1400, "1,400"),
)

INJURED = _rows(
    P("Some 45 people were treated for injuries at local hospitals.", "injured", 45, "approx", None, None, "45"),
    P("At least 12 people sustained injuries when the roof collapsed.", "injured", 12, "at_least", 12, None, "12"),
    P("Two firefighters suffered minor injuries.", "injured", 2, "exact", 2, 2, "Two", raw_unit="firefighters"),
    (P("Another 18 people were hurt by flying debris.", "injured", 18, "exact", 18, 18, "18"), GUARD),
    # Illness is not injury: a count of patients in hospital is no injured figure.
    (P("Over 300 people were hospitalised with cholera.", NO_RECORD), GUARD),
)

# Risks are never deaths.
RISKS = _rows(
    P("Some 60,000 children are at imminent risk of death.", NO_RECORD),
    P("Up to 100,000 people could die without aid.", NO_RECORD),
    P("As many as 250,000 children may die of malnutrition this year.", NO_RECORD),
)

FOOD_BY_PHASE = _rows(
    (P("Some 18,500 people are under Crisis (IPC Phase 3) levels.", "food_insecurity", 18500, "approx", None, None,
       "18,500"), GUARD),
    P("About 1.2 million people are in IPC Phase 4.", "food_insecurity", 1200000, "approx", None, None, "1.2 million"),
    P("An estimated 480,000 people face Emergency (IPC 4) conditions.", "food_insecurity", 480000, "approx", None, None,
      "480,000"),
    P("Some 2.3 million people are in the emergency phase.", "food_insecurity", 2300000, "approx", None, None,
      "2.3 million"),
    P("Nearly 5.8 million people at IPC3+ levels need assistance.", "food_insecurity", 5800000, "approx", None,
      5800000, "5.8 million"),
    (P("Some 97,000 people are in IPC Phase 5 (Catastrophe).", "famine_exposure", 97000, "approx", None, None,
       "97,000"), GUARD),
    (P("About 300,000 people are at risk of famine.", "famine_exposure", 300000, "approx", None, None, "300,000"),
     GUARD),
)

NUMBERS = _rows(
    (P("Floods displaced 1.5 lakh people in Assam.", "displaced", 150000, "exact", 150000, 150000, "1.5 lakh"), GUARD),
    P("The war has displaced 3,4 millions of people.", "displaced", 3400000, "exact", 3400000, 3400000,
      "3,4 millions"),
    P("Officials said 2,6 million people had fled.", "displaced", 2600000, "exact", 2600000, 2600000, "2,6 million"),
    P("Floods have displaced a quarter-million people.", "displaced", 250000, "exact", 250000, 250000,
      "a quarter-million"),
    (P("Nearly 3 crore people face acute food insecurity.", "food_insecurity", 30000000, "approx", None, 30000000,
       "3 crore"), GUARD),
    # A decimal comma is read only before a scale word: "2, 6 million" is two numbers.
    (P("The clashes displaced 2,600 people.", "displaced", 2600, "exact", 2600, 2600, "2,600"), GUARD),
)

LIVE_BLOGS = _rows(
    (P("Death toll rises to at least 5,300", "deaths", 5300, "at_least", 5300, None, "5,300", measure="cumulative"),
     GUARD),
    (P("The toll is now at least 5,300.", "deaths", 5300, "at_least", 5300, None, "5,300", measure="cumulative"),
     GUARD),
)

LIVE_BLOGS += _rows(
    (P("LIVE: Quake death toll climbs past 12,000", "deaths", 12000, "more_than", 12000, None, "12,000",
       measure="cumulative"), GUARD),
    (P("Update 14:05 – Toll now 5,300, officials say", "deaths", 5300, "exact", 5300, 5300, "5,300",
       measure="cumulative"), GUARD),
    P("The number of confirmed deaths has now reached 2,140.", "deaths", 2140, "exact", 2140, 2140, "2,140",
      measure="cumulative"),
    P("14:05 GMT: At least 5,300 people now confirmed dead", "deaths", 5300, "at_least", 5300, None, "5,300",
      measure="cumulative"),
)

PRECISION_TRAPS = _rows(
    (P("Millions have fled the fighting.", "displaced", 2000000, "vague", 2000000, 9999999, "Millions"), GUARD),
    (P("Soldiers killed thousands in the assault.", "deaths", 2000, "vague", 2000, 9999, "thousands"), GUARD),
    (P("Over 300 people are missing after the storm.", NO_RECORD), GUARD),
    P("The roughly two million refugees registered in the territory depend on aid.", NO_RECORD),
    P("Nineteen people are missing and presumed dead after the ferry sank.", "deaths", 19, "exact", 19, 19,
      "Nineteen"),
    (P("Some 3,000 cattle were moved to relief camps on higher ground.", NO_RECORD), GUARD),
    (P("Four villages near the river had to be evacuated.", NO_RECORD), GUARD),
    (P("The overflowing river prompted the evacuation of six hotels.", NO_RECORD), GUARD),
    (P("The rain set off several landslides, at least one of which forced a family to evacuate.", NO_RECORD), GUARD),
    (P(DEAD_INJURED_MISSING, "deaths", 40, "exact", 40, 40, "40"), GUARD),
    (P(DEAD_INJURED_MISSING, "injured", 120, "exact", 120, 120, "120"), GUARD),
)
# A toll, a colon, then its parts by place; or a label that says how it is split ("by district").
QUAKE_PARTS = "- Officials report 2,140 deaths from the two tremors: 1,900 in Kanda district, 160 in Morel and 80 in Sava."
MOVED_PARTS = "- 900 households (about 4,500 people) were evacuated from low-lying wards: 2,600 from Ketu and 1,900 from Bari."
BY_DISTRICT = "- Deaths by district: Lower Tana 61, Garsen 14, Bura 3."
NO_PARTS = "The agency counted 12 deaths: officials in Kanda gave no breakdown, and 3 teams are searching."
DISTRIBUTED_LISTS += _rows(
    P(QUAKE_PARTS, "deaths", 2140, "exact", 2140, 2140, "2,140"),
    (P(QUAKE_PARTS, "deaths", 1900, "exact", 1900, 1900, "1,900"), GUARD),
    (P(QUAKE_PARTS, "deaths", 160, "exact", 160, 160, "160"), GUARD),
    (P(QUAKE_PARTS, "deaths", 80, "exact", 80, 80, "80"), GUARD),
    (P(MOVED_PARTS, "displaced", 4500, "approx", None, None, "4,500", outcome="evacuated"), GUARD),
    P(MOVED_PARTS, "displaced", 2600, "exact", 2600, 2600, "2,600", outcome="evacuated"),
    P(MOVED_PARTS, "displaced", 1900, "exact", 1900, 1900, "1,900", outcome="evacuated"),
    P(BY_DISTRICT, "deaths", 61, "exact", 61, 61, "61"),
    P(BY_DISTRICT, "deaths", 14, "exact", 14, 14, "14"),
    P(BY_DISTRICT, "deaths", 3, "exact", 3, 3, "3"),
    (P(NO_PARTS, "deaths", 12, "exact", 12, 12, "12"), GUARD),
)

# Shares, animals and the old value of a change are no counts of people.
PRECISION_TRAPS += _rows(
    P("More than two thirds of the dead were women and children.", NO_RECORD),
    P("The floods also drowned 230 livestock, including 14 elephants, which have died in the reserve.", NO_RECORD),
    P("The toll reached 512 on Sunday, up from 370 deaths reported on Friday.", "deaths", 512, "exact", 512, 512,
      "512"),
)

# Sites, camps and centres that host or hold their people; families that host them.
SHELTERING += _rows(
    P("- 4,870 people in 9 spontaneous sites", "displaced", 4870, "exact", 4870, 4870, "4,870", outcome="sheltering"),
    P("Some 12,300 residents are staying in tents near the stadium.", "displaced", 12300, "approx", None, None,
      "12,300", outcome="sheltering"),
    P("- Persons in collective sites: 7 420", "displaced", 7420, "exact", 7420, 7420, "7 420", outcome="sheltering"),
    P("- 5 accommodation centres are hosting 2,150 people in the south.", "displaced", 2150, "exact", 2150, 2150,
      "2,150", outcome="sheltering"),
    P("Another 900 are hosted in modular towns outside the city.", "displaced", 900, "exact", 900, 900, "900",
      outcome="sheltering"),
    P("- 18,600 people hosted by families", "displaced", 18600, "exact", 18600, 18600, "18,600", outcome="displaced"),
)

# A shelter with a place after it still hosts its people; a transit centre's count is no shelter count.
SHELTERING += _rows(
    P("Before the floods, the relief camps north of Sylhet hosted more than 48,000 people.", "displaced", 48000,
      "more_than", 48000, None, "48,000", outcome="sheltering"),
    (P("The Joda transit centre, built for 2,000 people, now hosts 6,300 people.", NO_RECORD), GUARD),
    (P("The hotel hosted 300 guests for the summit.", NO_RECORD), GUARD),
)

# "moved" evacuates the people it counts.
EVACUATED += _rows(
    P("Before the storm, the army moved about 4,100 people from the islands to safer areas.", "displaced", 4100,
      "approx", None, None, "4,100", outcome="evacuated"),
    P("- 3,020 families / 14,870 persons were moved out of flood-prone villages.", "displaced", 14870, "exact",
      14870, 14870, "14,870", outcome="evacuated"),
    (P("The company moved 40 trucks to the border.", NO_RECORD), GUARD),
)

# Parts of a toll said after it, and nouns that carry over a list.
DIVERS = "Divers have recovered 70 bodies; 22 of the victims were migrant workers."
SUBSET_TAIL = "- 23 injured people were flown to the capital, 6 of whom remain in intensive care."
AID_LIST = "In the region, 19 aid workers have been killed, 14 abducted and 7 injured since January."
RED_CROSS = "The Kenya Red Cross said one of its paramedics was killed and three were hurt in the blast."
SUBSETS += _rows(
    (P(SUBSET_TAIL, "injured", 23, "exact", 23, 23, "23"), GUARD),
    P(SUBSET_TAIL, "injured", 6, "exact", 6, 6, "6"),
    (P(DIVERS, "deaths", 70, "exact", 70, 70, "70"), GUARD),
    P(DIVERS, "deaths", 22, "exact", 22, 22, "22"),
    (P(AID_LIST, "aid_worker_casualties", 19, "exact", 19, 19, "19", outcome="killed"), GUARD),
    (P(AID_LIST, "aid_worker_casualties", 14, "exact", 14, 14, "14", outcome="kidnapped"), GUARD),
    P(AID_LIST, "aid_worker_casualties", 7, "exact", 7, 7, "7", outcome="injured"),
    P(RED_CROSS, "aid_worker_casualties", 1, "exact", 1, 1, "one", outcome="killed"),
    P(RED_CROSS, "aid_worker_casualties", 3, "exact", 3, 3, "three", outcome="injured"),
)

# A subset marker after a comma reaches back past a place or time phrase to its toll; after
# two tolls of different outcomes it is ambiguous and gives nothing.
SINCE_JUNE = "Landslides have killed more than 640 people since mid-June, including 210 children, officials said."
HAMLETS = "Police evacuated 7,300 residents from the hill hamlets, including 2,050 children."
TWO_TOLLS = "Shelling killed 85 people and wounded 240 in the city, the ministry said, among them 31 nurses."
SUBSETS += _rows(
    (P(SINCE_JUNE, "deaths", 640, "more_than", 640, None, "640"), GUARD),
    P(SINCE_JUNE, "deaths", 210, "exact", 210, 210, "210", population="children"),
    (P(HAMLETS, "displaced", 7300, "exact", 7300, 7300, "7,300", outcome="evacuated"), GUARD),
    P(HAMLETS, "displaced", 2050, "exact", 2050, 2050, "2,050", outcome="evacuated"),
    (P(TWO_TOLLS, "deaths", 85, "exact", 85, 85, "85"), GUARD),
    (P(TWO_TOLLS, "injured", 240, "exact", 240, 240, "240"), GUARD),
)

# A fronted partitive names the people and the outcome of the figure after it.
FRONTED = "Of the journalists killed since January, 41 were freelancers working for local outlets."
SUBSETS += _rows(
    P(FRONTED, "deaths", 41, "exact", 41, 41, "41"),
    P("- Of the people injured in the blast, 75 were treated at the district hospital.", "injured", 75, "exact", 75,
      75, "75"),
    P("The river rose fast, and three novice monks drowned near the temple.", "deaths", 3, "exact", 3, 3, "three"),
)

# "bringing ... to N": a running total of the count before it, with its noun when it names none.
BROUGHT = "Uganda received 61,000 new refugees this year, bringing the total refugee population in the country to 1.8 million."
HELD = "The rebels have detained 4 UN staff since March, bringing to 11 the number of UN personnel they hold."
SUBSETS += _rows(
    (P(BROUGHT, "displaced", 61000, "exact", 61000, 61000, "61,000", outcome="refugees"), GUARD),
    P(BROUGHT, "displaced", 1800000, "exact", 1800000, 1800000, "1.8 million", outcome="refugees"),
    (P(HELD, "aid_worker_casualties", 4, "exact", 4, 4, "4", outcome="detained"), GUARD),
    P(HELD, "aid_worker_casualties", 11, "exact", 11, 11, "11", outcome="detained"),
)

# Arrivals that crossed; a crossing total that is mostly returnees; people relocated onward.
MIXED = "- 410,000 people have crossed into Chad, including 95,000 Sudanese refugees; the rest are Chadian returnees."
REFUGEES += _rows(
    P("Over the past year some 62,000 new arrivals have crossed into Uganda.", "displaced", 62000, "approx", None,
      None, "62,000", outcome="refugees"),
    P(MIXED, "displaced", 95000, "exact", 95000, 95000, "95,000", outcome="refugees"),
)
NOT_DISPLACED += _rows(
    P("UNHCR relocated 1,450 people by bus to the new settlement this week.", NO_RECORD),
)

# A breakdown in brackets after a key figure; a source in brackets is none.
BRACKETED = "- DEATHS: 212 (170 confirmed, 42 pending verification)"
KEY_FIGURES += _rows(
    (P(BRACKETED, "deaths", 212, "exact", 212, 212, "212"), GUARD),
    P(BRACKETED, "deaths", 170, "exact", 170, 170, "170"),
    P(BRACKETED, "deaths", 42, "exact", 42, 42, "42"),
    (P("- 2.1 million internally displaced persons (DTM, round 12)", "displaced", 2100000, "exact", 2100000, 2100000,
       "2.1 million"), GUARD),
    P("- People who crossed into Rwanda via Rubavu: about 4 300 (UNHCR)", "displaced", 4300, "approx", None, None,
      "4 300", outcome="refugees"),
    P("14:05 GMT - Tens of thousands without homes", "displaced", 20000, "vague", 20000, 99999,
      "Tens of thousands", outcome="homeless"),
)

# Subset markers and brackets that are no parts of a toll: a figure restated in brackets, a gust
# or a building "including" after a toll, a subset of people affected.
RESTATED = "At least 30 people died while nearly 8 lakh (800,000) were affected by the floods."
GUSTS = "Two swimmers drowned off the pier, and strong gusts were reported, including one of 90 km/h near the port."
AFFECTED = "Ten people were killed in the north, while 41,000 people have been affected, of whom 18,000 are children."
BUILDINGS = "Officials evacuated 260 residents from 40 blocks of flats, including at least 9 that will be demolished."
PRECISION_TRAPS += _rows(
    (P(RESTATED, "deaths", 30, "at_least", 30, None, "30"), GUARD),
    (P(GUSTS, "deaths", 2, "exact", 2, 2, "Two"), GUARD),
    (P(AFFECTED, "deaths", 10, "exact", 10, 10, "Ten"), GUARD),
    (P(BUILDINGS, "displaced", 260, "exact", 260, 260, "260", outcome="evacuated"), GUARD),
)

# People whose homes collapsed are homeless; a toll whose place is a list of places.
HOMELESS += _rows(
    P("Some 3,400 families whose houses were destroyed are sleeping in the open.", "displaced", 17000, "approx",
      None, None, "3,400", outcome="homeless", unit="person"),
)
LIVE_BLOGS += _rows(
    P("The joint toll in Malawi and Mozambique has passed 1,200.", "deaths", 1200, "more_than", 1200, None, "1,200"),
)

# Wording still read wrong: strict xfails, to move into their family when the engine reads them.
KNOWN_GAPS = _rows(
    # A sentence with no trigger word is never read closely, so a shelter that holds people is not seen there.
    (P("The settlements in Adjumani already hold close to 200,000 South Sudanese.", "displaced", 200000, "approx",
       None, 200000, "200,000", outcome="sheltering"), GAP),
    # "entered" needs the place after it to be a country ("entered the village" is no crossing).
    (P("Some 4,200 people have entered Niger over the past 24 hours.", "displaced", 4200, "approx", None, None,
       "4,200", outcome="refugees"), GAP),
    # A whole population evacuated is read as a population total.
    (P("Officials evacuated the island's 640 residents to the mainland.", "displaced", 640, "exact", 640, 640, "640",
       outcome="evacuated"), GAP),
    # A participle phrase between the noun and the trigger.
    (P("About 5,100 people working on offshore farms evacuated to the coast.", "displaced", 5100, "approx", None, None,
       "5,100", outcome="evacuated"), GAP),
    # A rate after the place is not seen: the figure is kept, as a snapshot of 300 people.
    (P("Around 300 people have been arriving in Burundi each day.", "displaced", 300, "approx", None, None, "300",
       outcome="refugees", unit="person / day"), GAP),
)
# fmt: on

FAMILIES = {
    "evacuated": EVACUATED,
    "sheltering": SHELTERING,
    "refugees": REFUGEES,
    "homeless": HOMELESS,
    "not_displaced": NOT_DISPLACED,
    "households_in_persons": HOUSEHOLDS_IN_PERSONS,
    "distributed_lists": DISTRIBUTED_LISTS,
    "subsets": SUBSETS,
    "key_figures": KEY_FIGURES,
    "died": DIED,
    "injured": INJURED,
    "risks": RISKS,
    "food_by_phase": FOOD_BY_PHASE,
    "numbers": NUMBERS,
    "live_blogs": LIVE_BLOGS,
    "precision_traps": PRECISION_TRAPS,
    "known_gaps": KNOWN_GAPS,
}
ALL_ROWS = [param for family in FAMILIES.values() for param in family]


@pytest.mark.parametrize("row", EVACUATED)
def test_evacuated(row: Phrase) -> None:
    check_phrase(row)


@pytest.mark.parametrize("row", SHELTERING)
def test_sheltering(row: Phrase) -> None:
    check_phrase(row)


@pytest.mark.parametrize("row", REFUGEES)
def test_refugees(row: Phrase) -> None:
    check_phrase(row)


@pytest.mark.parametrize("row", HOMELESS)
def test_homeless(row: Phrase) -> None:
    check_phrase(row)


@pytest.mark.parametrize("row", NOT_DISPLACED)
def test_not_displaced(row: Phrase) -> None:
    check_phrase(row)


@pytest.mark.parametrize("row", HOUSEHOLDS_IN_PERSONS)
def test_households_in_persons(row: Phrase) -> None:
    check_phrase(row)


@pytest.mark.parametrize("row", DISTRIBUTED_LISTS)
def test_distributed_lists(row: Phrase) -> None:
    check_phrase(row)


@pytest.mark.parametrize("row", SUBSETS)
def test_subsets(row: Phrase) -> None:
    check_phrase(row)


@pytest.mark.parametrize("row", KEY_FIGURES)
def test_key_figures(row: Phrase) -> None:
    check_phrase(row)


@pytest.mark.parametrize("row", DIED)
def test_died(row: Phrase) -> None:
    check_phrase(row)


@pytest.mark.parametrize("row", INJURED)
def test_injured(row: Phrase) -> None:
    check_phrase(row)


@pytest.mark.parametrize("row", RISKS)
def test_risks_are_not_deaths(row: Phrase) -> None:
    check_phrase(row)


@pytest.mark.parametrize("row", FOOD_BY_PHASE)
def test_food_by_phase(row: Phrase) -> None:
    check_phrase(row)


@pytest.mark.parametrize("row", NUMBERS)
def test_numbers(row: Phrase) -> None:
    check_phrase(row)


@pytest.mark.parametrize("row", LIVE_BLOGS)
def test_live_blogs(row: Phrase) -> None:
    check_phrase(row)


@pytest.mark.parametrize("row", PRECISION_TRAPS)
def test_precision_traps(row: Phrase) -> None:
    check_phrase(row)


@pytest.mark.parametrize("row", KNOWN_GAPS)
def test_known_gap(row: Phrase) -> None:
    check_phrase(row)


def _figures_by_text() -> dict[str, tuple[Phrase, list[str]]]:
    gap_texts = {param.values[0].text for param in ALL_ROWS if param.marks}
    grouped: dict[str, tuple[Phrase, list[str]]] = {}
    for param in ALL_ROWS:
        row = param.values[0]
        if row.indicator is None or row.text in gap_texts:
            continue
        _, figures = grouped.setdefault(row.text, (row, []))
        figures.append(row.figure)
    return grouped


FIGURES_BY_TEXT = _figures_by_text()


@pytest.mark.parametrize("text", list(FIGURES_BY_TEXT), ids=lambda text: text.replace("\n", " / ")[:60])
def test_no_record_beyond_the_expected_figures(text: str) -> None:
    """A text gives the records its rows name and no other: no count of evacuation centres,
    no households restated in persons twice, no missing people read as injured."""
    row, figures = FIGURES_BY_TEXT[text]
    records = _extract(row)
    assert sorted(r.raw_value for r in records) == sorted(figures), describe(records)
