"""Reviews in the store, on SQLite and on a real PostgreSQL server: corrections never overwrite the
extraction, the audit trail keeps who, when, old and new values; added figures carry a real span;
documents added in the app (pasted, uploaded) are stored like ingested ones; bad input is refused
with a message and leaves the store unchanged."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from review_testkit import MISSED_FIGURE, PASTED_REPORT, REVIEWER

from dashboard.model import data
from store import current_records, get_document, intake, reviews
from store.schema import records as records_table


def add_pasted(engine, text: str = PASTED_REPORT, **meta) -> str:
    loaded = intake.pasted_source(text, intake.document_meta("pasted text", **meta))
    return intake.ingest_loaded(engine, loaded, "test").doc_id


def stored_row(engine, record_id: str) -> dict:
    with engine.connect() as connection:
        return dict(connection.execute(sa.select(records_table).where(records_table.c.record_id == record_id)).mappings().one())


def test_a_correction_keeps_the_original_and_the_trail(engine):
    doc_id = add_pasted(engine, publisher="Test Wire", published="2025-05-04")
    (record,) = current_records(engine).to_dict("records")
    before = stored_row(engine, record["record_id"])
    reviews.review_record(
        engine,
        record["record_id"],
        "correct",
        REVIEWER,
        changes={"value": "41", "low": 41, "high": "41", "location": "sdn"},
        note="typo",
    )
    reviews.review_record(engine, record["record_id"], "correct", "omar", changes={"reference_date": "2025-05-02"})
    reviews.review_record(engine, record["record_id"], "accept", "omar")
    after = stored_row(engine, record["record_id"])
    assert {k: v for k, v in after.items() if k != "review_status"} == {k: v for k, v in before.items() if k != "review_status"}
    assert (before["review_status"], after["review_status"]) == ("unreviewed", "accepted")
    assert reviews.corrections(engine) == {
        record["record_id"]: {"value": 41.0, "low": 41.0, "high": 41.0, "reference_date": "2025-05-02"}
    }
    trail = reviews.record_history(engine, record["record_id"])
    assert [(t["action"], t["reviewer"], t["old_values"], t["new_values"], t["note"]) for t in trail] == [
        (
            "correct",
            REVIEWER,
            {"value": 40.0, "low": 40.0, "high": 40.0},
            {"value": 41.0, "low": 41.0, "high": 41.0},
            "typo",
        ),  # the location was already Sudan: not a change
        ("correct", "omar", {"reference_date": "2025-05-03"}, {"reference_date": "2025-05-02"}, None),
        ("accept", "omar", {"review_status": "corrected"}, {"review_status": "accepted"}, None),
    ]
    assert all(t["reviewed_at"] and t["doc_id"] == doc_id for t in trail)
    assert reviews.document_history(engine, doc_id) == trail


@pytest.mark.parametrize(
    ("action", "changes", "message"),
    [
        ("correct", {}, "needs at least one new value"),
        ("correct", {"value": "40"}, "changes nothing"),
        ("correct", {"value": "41"}, "above its upper bound"),
        ("correct", {"value": "-3"}, "between 0 and"),
        ("correct", {"value": "many"}, "is not a number"),
        ("correct", {"value": "inf"}, "between 0 and"),
        ("correct", {"low": "50"}, "above the upper bound"),
        ("correct", {"qualifier": "roughly"}, "Unknown qualifier"),
        ("correct", {"indicator": "<img src=x onerror=alert(1)>"}, "Unknown indicator"),
        ("correct", {"reference_date": "2025-13-45"}, "write it as YYYY-MM-DD"),
        ("correct", {"location": "Gaza\x00"}, "control characters"),
        ("correct", {"doc_id": "x"}, "Cannot correct 'doc_id'"),
        ("approve", {}, "Unknown review action"),
    ],
    ids=["empty", "unchanged", "outside-bounds", "negative", "words", "infinite", "low-above-high", "qualifier", "hostile-indicator",
         "bad-date", "control-chars", "not-correctable", "unknown-action"],
)  # fmt: skip
def test_bad_reviews_are_refused_and_change_nothing(engine, action, changes, message):
    add_pasted(engine)
    (record,) = current_records(engine).to_dict("records")
    with pytest.raises(reviews.ReviewRefused, match=message) as refused:
        reviews.review_record(engine, record["record_id"], action, REVIEWER, changes=changes)
    assert isinstance(refused.value, ValueError)
    assert reviews.record_history(engine, record["record_id"]) == []
    assert stored_row(engine, record["record_id"])["review_status"] == "unreviewed"


def test_reviewing_an_unknown_record_or_without_a_name_is_refused(engine):
    with pytest.raises(reviews.UnknownRecord, match="No record"):
        reviews.review_record(engine, "no-such-record", "accept", REVIEWER)
    add_pasted(engine)
    (record,) = current_records(engine).to_dict("records")
    with pytest.raises(reviews.ReviewRefused, match="name of the reviewer"):
        reviews.review_record(engine, record["record_id"], "accept", "  ")


def test_an_added_figure_has_a_real_span_and_is_marked_as_added_by_a_person(engine):
    doc_id = add_pasted(engine, published="2025-05-05")
    text = get_document(engine, doc_id)["text"]
    start = text.index(MISSED_FIGURE)
    record = reviews.add_figure(
        engine, doc_id, start - 1, start + len(MISSED_FIGURE) + 1, REVIEWER,  # with the spaces around: trimmed
        indicator="displaced", value=812, qualifier="exact", measure="period", reference_date="2025-05-05", location="SDN",
    )  # fmt: skip
    assert text[record["char_start"] : record["char_end"]] == record["raw_value"] == MISSED_FIGURE
    assert text[record["quote_start"] :].startswith(record["quote"]) and MISSED_FIGURE in record["quote"]
    assert record["quote"].startswith("The shelter in Omdurman")
    assert record["extractor_version"] == f"manual:{REVIEWER}" and reviews.is_manual(record["extractor_version"])
    assert (record["location"], record["location_iso3"], record["review_status"]) == ("Sudan", "SDN", "unreviewed")
    stored = current_records(engine)
    assert record["record_id"] in set(stored["record_id"])
    (entry,) = reviews.record_history(engine, record["record_id"])
    assert (entry["action"], entry["old_values"], entry["new_values"]["raw_value"]) == ("add", {}, MISSED_FIGURE)


@pytest.mark.parametrize(
    ("span", "indicator", "message"),
    [
        ("Officials", "deaths", "holds no number"),
        ("40", "deaths", "already a deaths record"),
        ((-5, 3), "deaths", "outside the document"),
        ((0, 10_000), "deaths", "outside the document"),
        ((3, 3), "deaths", "outside the document"),
        (
            "Officials said 40 people were killed in Khartoum, Sudan on 3 May 2025. The shelter",
            "deaths",
            "select only the figure",
        ),
    ],
    ids=["no-number", "already-extracted", "negative", "past-the-end", "empty", "too-long"],
)
def test_bad_added_figures_are_refused(engine, span, indicator, message):
    doc_id = add_pasted(engine)
    text = get_document(engine, doc_id)["text"]
    start, end = (text.index(span), text.index(span) + len(span)) if isinstance(span, str) else span
    count = len(current_records(engine))
    with pytest.raises(reviews.ReviewRefused, match=message):
        reviews.add_figure(engine, doc_id, start, end, REVIEWER, indicator=indicator, value=40)
    assert len(current_records(engine)) == count and reviews.document_history(engine, doc_id) == []


def test_the_fingerprint_changes_with_every_review(engine):
    add_pasted(engine)
    (record,) = current_records(engine).to_dict("records")
    first = data.store_fingerprint(engine)
    reviews.review_record(engine, record["record_id"], "reject", REVIEWER)
    second = data.store_fingerprint(engine)
    reviews.review_record(engine, record["record_id"], "accept", REVIEWER)
    assert len({first, second, data.store_fingerprint(engine)}) == 3


def test_recent_documents_count_reviewed_figures(engine):
    first = add_pasted(engine, title="First")
    second = add_pasted(engine, PASTED_REPORT.replace("40", "44"), title="Second")
    (record,) = reviews.document_records(engine, second)[["record_id"]].to_dict("records")
    reviews.review_record(engine, record["record_id"], "accept", REVIEWER)
    listed = {row["doc_id"]: (row["title"], row["figures"], row["reviewed"]) for row in reviews.recent_documents(engine)}
    assert listed == {first: ("First", 1, 0), second: ("Second", 1, 1)}


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: intake.pasted_source("  \n\t "), "The text is empty"),
        (lambda: intake.pasted_source("x" * (intake.MAX_PASTE_CHARS + 1)), "paste at most"),
        (lambda: intake.uploaded_source(b"x" * 11, "a.txt", max_bytes=10), "more than the"),
        (lambda: intake.uploaded_source(b"", "a.txt"), "is empty"),
        (lambda: intake.uploaded_source(b"PK\x03\x04" + b"\x00" * 40, "report.docx"), "cannot read this kind of file"),
        (lambda: intake.uploaded_source(b"%PDF-1.4 broken", "report.pdf"), "report.pdf"),
        (lambda: intake.url_source("javascript:alert(1)"), "is not a web address"),
        (lambda: intake.url_source("file:///etc/passwd"), "is not a web address"),
        (lambda: intake.document_meta("x", published="25/05/2025"), "write it as YYYY-MM-DD"),
    ],
    ids=["blank", "too-long", "over-size", "empty-file", "docx", "broken-pdf", "javascript-url", "file-url", "bad-date"],
)
def test_unreadable_documents_are_refused_with_a_message(make, message):
    with pytest.raises(intake.IntakeRefused, match=message) as refused:
        make()
    assert isinstance(refused.value, ValueError) and "/tmp" not in str(refused.value)


def test_an_upload_is_stored_with_the_reviewers_metadata_and_its_origin(engine):
    html = b"<html><head><title>Own title</title></head><body><p>" + PASTED_REPORT.encode() + b"</p></body></html>"
    loaded = intake.uploaded_source(html, "../../sitrep 12.html", intake.document_meta("x", publisher="Test Wire"))
    result = intake.ingest_loaded(engine, loaded, "upload")
    document = get_document(engine, result.doc_id)
    assert (document["doc"], document["publisher"], document["content_type"]) == ("sitrep 12.html", "Test Wire", "text/html")
    assert document["origin"].startswith("uploaded:") and document["origin"].endswith("/sitrep 12.html")
    assert intake.ingest_loaded(engine, loaded, "again").status == "unchanged"
