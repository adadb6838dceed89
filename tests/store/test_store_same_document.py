"""The same article pasted, uploaded as HTML and as PDF is one document, on SQLite and PostgreSQL:
its figures are counted once, the better metadata is kept, each copy is a sighting, the text stays.
A reviewer's correction of a document's metadata is audited and reaches its records."""

from __future__ import annotations

import io
import json

import pytest
import sqlalchemy as sa
from same_article import PUBLISHED, TITLE, URL, html_page, next_edition, pasted, pdf_bytes, pdf_text

from store import (
    UNCHANGED,
    correct_document,
    count_documents,
    current_records,
    document_audit,
    document_sightings,
    export_records,
    get_document,
    intake,
)
from store import near_duplicates as nd
from store.review_rules import ReviewRefused, UnknownRecord
from store.sources import LoadedSource


def paste(engine, text: str, **meta):
    return intake.ingest_loaded(engine, intake.pasted_source(text, intake.document_meta("pasted text", **meta)), "paste")


def upload(engine, data: bytes, name: str):
    return intake.ingest_loaded(engine, intake.uploaded_source(data, name), name)


def test_pasted_then_html_then_pdf_is_one_document(engine) -> None:
    first = paste(engine, pasted())
    figures = len(current_records(engine))
    html = upload(engine, html_page(), "article.html")
    pdf = upload(engine, pdf_bytes(), "article.pdf")
    assert first.status == "new" and figures > 0
    assert (html.status, html.doc_id, pdf.status, pdf.doc_id) == (UNCHANGED, first.doc_id, UNCHANGED, first.doc_id)
    assert html.filled == ("title", "url") and pdf.filled == ()
    assert 0.8 <= pdf.similarity < 1 and 0.8 <= html.similarity < 1
    assert count_documents(engine) == 1 and len(current_records(engine)) == figures
    document = get_document(engine, first.doc_id)
    assert (document["title"], document["url"], document["published"]) == (TITLE, URL, PUBLISHED)
    assert document["text"] == intake.pasted_source(pasted()).text  # the text first stored stays
    assert document["source"] == "globaldiasporanews.com"  # the address now names the source
    records = current_records(engine)
    assert set(records["url"]) == {URL} and set(records["title"]) == {TITLE} and set(records["source"]) == {document["source"]}
    seen = document_sightings(engine, first.doc_id)
    assert [(row["doc"], row["content_type"], row["filled"]) for row in seen] == [
        ("article.html", "text/html", ["title", "url"]),
        ("article.pdf", "application/pdf", []),
    ]


def test_the_stored_value_stays_and_the_other_is_kept_as_a_sighting(engine) -> None:
    first = paste(engine, pasted(), title="Sudan: displacement falls", url="https://example.org/sudan-dtm")
    upload(engine, html_page(), "article.html")
    document = get_document(engine, first.doc_id)
    assert (document["title"], document["url"]) == ("Sudan: displacement falls", "https://example.org/sudan-dtm")
    (seen,) = document_sightings(engine, first.doc_id)
    assert (seen["title"], seen["url"], seen["filled"]) == (TITLE, URL, [])


def test_the_same_copy_again_adds_no_sighting(engine) -> None:
    first = paste(engine, pasted())
    upload(engine, html_page(), "article.html")
    again = upload(engine, html_page(), "article.html")
    assert again.doc_id == first.doc_id and len(document_sightings(engine, first.doc_id)) == 1


def test_the_next_edition_with_other_figures_is_another_document(engine) -> None:
    first = paste(engine, pasted())
    second = paste(engine, next_edition())
    assert second.status == "new" and second.doc_id != first.doc_id
    assert count_documents(engine) == 2


def test_a_short_text_is_the_same_only_when_identical(engine) -> None:
    text = "Floods displaced 1,200 people in the north, officials said.\n"
    first = paste(engine, text)
    other = paste(engine, text.replace("officials said", "local officials said"))
    assert other.status == "new" and other.doc_id != first.doc_id


def test_a_changed_text_of_the_same_origin_is_a_new_version_not_a_copy(engine) -> None:
    from extractors.document import DocumentMeta
    from store import store_loaded

    meta = DocumentMeta("page.html")
    store_loaded(engine, LoadedSource(pasted(), meta, "https://example.org/page", "text/html"), "v1")
    changed = pasted().replace("Aid workers warn", "Relief workers warn")
    result = store_loaded(engine, LoadedSource(changed, meta, "https://example.org/page", "text/html"), "v2")
    assert (result.status, result.version) == ("new version", 2)


SIMILAR = [
    pytest.param(lambda text: " ".join(text.split()), id="whitespace-collapsed"),
    pytest.param(lambda text: text.upper(), id="case"),
    pytest.param(lambda _: pdf_text(), id="pdf-lines-hyphens-header-footer"),
    pytest.param(lambda text: "Home | World | Sudan\n\n" + text + "\n\nShare this article. Subscribe.\n", id="site-furniture"),
    pytest.param(lambda text: text.replace("\n\n", "\n\u00a0\n"), id="odd-spaces"),
]
DIFFERENT = [
    pytest.param(lambda _: next_edition(), id="next-edition-other-figures"),
    pytest.param(lambda text: text.split("\n\n")[0] + "\n", id="one-paragraph-of-it"),
    pytest.param(lambda text: text + " ".join(reversed(text.split())), id="twice-as-long"),
]


@pytest.mark.parametrize("variant", SIMILAR)
def test_format_variants_are_the_same_text(variant) -> None:
    original = nd.fingerprint(pasted())
    assert nd.similarity(original, nd.fingerprint(variant(pasted()))) is not None


@pytest.mark.parametrize("variant", DIFFERENT)
def test_other_texts_are_not(variant) -> None:
    original = nd.fingerprint(pasted())
    assert nd.similarity(original, nd.fingerprint(variant(pasted()))) is None


def test_candidates_come_from_the_band_index_not_a_scan(engine) -> None:
    """Among many stored documents, the lookup compares the new text with at most MAX_CANDIDATES texts."""
    from store_helpers import brief_text

    for number in range(30):
        paste(engine, brief_text(number) * 3)
    paste(engine, pasted())
    compared: list[str] = []
    real = nd.fingerprint

    def counting(text: str) -> nd.Fingerprint:
        compared.append(text)
        return real(text)

    import store.same_document as same

    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(same.near_duplicates, "fingerprint", counting)
        upload(engine, html_page(), "article.html")
    assert 1 <= len(compared) <= nd.MAX_CANDIDATES


def test_a_correction_is_audited_and_reaches_the_records(engine) -> None:
    first = paste(engine, pasted())
    row = correct_document(
        engine, first.doc_id, "amina", changes={"url": URL, "publisher": "IOM", "published": "2025-03-28"}, note="press release"
    )
    assert row["old_values"] == {"url": None, "publisher": None, "published": PUBLISHED}
    document = get_document(engine, first.doc_id)
    assert (document["url"], document["publisher"], document["source"], document["published"]) == (URL, "IOM", "IOM", "2025-03-28")
    records = current_records(engine)
    assert set(records["source"]) == {"IOM"} and set(records["published"]) == {"2025-03-28"} and set(records["url"]) == {URL}
    exported = io.StringIO()
    export_records(engine, exported, output_format="jsonl")
    rows = [json.loads(line) for line in exported.getvalue().splitlines()]
    assert rows and {(row["source"], row["url"], row["published"]) for row in rows} == {("IOM", URL, "2025-03-28")}
    correct_document(engine, first.doc_id, "bo", changes={"published": PUBLISHED})
    trail = document_audit(engine, first.doc_id)
    assert [(r["reviewer"], r["old_values"], r["new_values"]) for r in trail] == [
        ("amina", {"url": None, "publisher": None, "published": PUBLISHED}, {"url": URL, "publisher": "IOM", "published": "2025-03-28"}),
        ("bo", {"published": "2025-03-28"}, {"published": PUBLISHED}),
    ]
    assert trail[0]["note"] == "press release" and trail[0]["reviewed_at"] < trail[1]["reviewed_at"]
    assert get_document(engine, first.doc_id)["text"] == intake.pasted_source(pasted()).text


REFUSED = [
    pytest.param({"url": "javascript:alert(1)"}, "not a web address", id="bad-url"),
    pytest.param({"published": "27/03/2025"}, "YYYY-MM-DD", id="bad-date"),
    pytest.param({"title": "x" * 400}, "under 300", id="long-title"),
    pytest.param({"text": "new text"}, "only title", id="not-metadata"),
    pytest.param({"published": PUBLISHED}, "changes nothing", id="no-change"),
]


@pytest.mark.parametrize(("changes", "says"), REFUSED)
def test_a_bad_correction_is_refused_and_writes_nothing(engine, changes, says) -> None:
    first = paste(engine, pasted())
    with pytest.raises(ReviewRefused, match=says):
        correct_document(engine, first.doc_id, "amina", changes=changes)
    assert document_audit(engine, first.doc_id) == []


def test_a_correction_needs_a_reviewer_and_a_document(engine) -> None:
    first = paste(engine, pasted())
    with pytest.raises(ReviewRefused, match="sign in"):
        correct_document(engine, first.doc_id, " ", changes={"title": "T"})
    with pytest.raises(UnknownRecord):
        correct_document(engine, "0" * 64, "amina", changes={"title": "T"})


def test_the_band_index_is_in_the_schema(engine) -> None:
    names = {index["name"] for index in sa.inspect(engine).get_indexes("document_bands")}
    assert "ix_document_bands_hash" in names


def test_the_dashboard_sees_a_correction_and_a_filled_in_copy(engine) -> None:
    """Its cache key changes on both backends (PostgreSQL tracks no revision: the appended tables stand in)."""
    from dashboard.model.data import store_fingerprint

    first = paste(engine, pasted())
    before = store_fingerprint(engine)
    upload(engine, html_page(), "article.html")  # fills in the title and address
    filled = store_fingerprint(engine)
    correct_document(engine, first.doc_id, "amina", changes={"publisher": "IOM"})
    assert len({before, filled, store_fingerprint(engine)}) == 3
