"""Limits on what reading a PDF may cost: decompression bombs, pages, what pages draw, parsed values.

The bombs are made here. Most are small: a stream that unpacks to tens of MB against
a limit lowered to a few MB, by keyword or by setting the module's constant. One test
reads a 3 KB bomb that unpacks to 1 GB with the default limits, in a child
process whose address space is capped at 1.5 GB.
"""

from __future__ import annotations

import base64
import io
import json
import struct
import subprocess
import sys
import tracemalloc
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pdfminer.lzw import lzwdecode
from pdfminer.pdftypes import PDFStream
from pdfminer.psparser import LIT

from extractors import ExtractionError
from extractors.loaders import DocumentTooLarge, NoTextFound, load, pdf_limits
from extractors.loaders import pdf as pdf_loader
from extractors.loaders.pdf import parse_pdf

MB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[2]
SENTENCE = b"Strikes killed 12 people in Khan Younis."
TEXT = b"BT /F1 12 Tf 72 400 Td (" + SENTENCE + b") Tj ET\n"  # mid-page: no running header
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> %s >> /Contents %d 0 R %s >>"


# ------------------------------------------------------------------ making PDFs


def build(*objects: bytes) -> bytes:
    """A PDF of `objects`, numbered from 1 (the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(data: bytes, attrs: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), attrs, data)


def flate(data: bytes) -> bytes:
    return stream(zlib.compress(data), b"/Filter /FlateDecode")


def document(*contents: bytes, pages: list[int] | None = None, count: int | None = None, page_extra: bytes = b"") -> bytes:
    """A PDF whose k-th page draws the stream contents[pages[k]] (by default one page a stream).

    `contents` are stream objects (from `stream` or `flate`); `count` is the page count the page tree
    states, `page_extra` more entries of each page's dictionary.
    """
    pages = list(range(len(contents))) if pages is None else pages
    first_page = 4 + len(contents)
    kids = b" ".join(b"%d 0 R" % (first_page + k) for k in range(len(pages)))
    return build(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages) if count is None else count),
        FONT,
        *contents,
        *(PAGE % (b"", 4 + index, page_extra) for index in pages),
    )


def deflated_zeros(size: int) -> bytes:
    """`size` zero bytes (a multiple of 1 MB) deflated, made in milliseconds: after a full flush zlib
    starts afresh, so every 1 MB block deflates to the same bytes."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(bytes(MB)) + packer.flush(zlib.Z_FULL_FLUSH)
    blocks = size // MB
    checksum = (blocks * MB % 65521) << 16 | 1  # Adler-32 of zeros: a = 1, b = the length
    return b"\x78\xda" + block * blocks + packer.flush() + struct.pack(">I", checksum)


def flate_bomb(size: int, layers: int = 1) -> bytes:
    """A one-page PDF whose page description is `size` zero bytes deflated `layers` times."""
    data = deflated_zeros(size)
    for _ in range(layers - 1):
        data = zlib.compress(data, 9)
    return document(stream(data, b"/Filter [%s]" % b" ".join([b"/FlateDecode"] * layers)))


def lzw_pack(codes: list[int]) -> bytes:
    """LZW codes packed as PDF's LZWDecode reads them: 9 bits after a clear code (256), one bit more
    once the decoder's table holds 511, 1,023 and 2,047 entries (early change)."""
    out = bytearray()
    buffer = held = since_clear = 0
    width = 9
    for code in codes:
        buffer, held = (buffer << width) | code, held + width
        while held >= 8:
            held -= 8
            out.append(buffer >> held & 0xFF)
            buffer &= (1 << held) - 1
        if code == 256:
            width, since_clear = 9, 0
        elif code != 257:
            since_clear += 1  # the decoder adds an entry for each code but the first after a clear
            if since_clear >= 2 and 258 + since_clear - 1 in (511, 1023, 2047):
                width += 1
    if held:
        out.append(buffer << (8 - held) & 0xFF)
    return bytes(out)


def lzw_encode(data: bytes) -> bytes:
    """LZWDecode data: a clear code first and whenever the table is nearly full, an end code last."""
    codes = [256]
    table = {bytes((byte,)): byte for byte in range(256)}
    word = b""
    for byte in data:
        longer = word + bytes((byte,))
        if longer in table:
            word = longer
            continue
        codes.append(table[word])
        table[longer] = 258 + len(table) - 256
        word = bytes((byte,))
        if len(table) + 2 >= 4094:
            codes.append(256)
            table = {bytes((byte,)): byte for byte in range(256)}
    if word:
        codes.append(table[word])
    return lzw_pack([*codes, 257])


def lzw_zeros_bomb(cycles: int) -> bytes:
    """LZW codes for runs of 1, 2, 3 ... 3,837 zeros (each code names the entry being made), `cycles` times:
    7.4 MB a cycle from 5.4 KB."""
    return lzw_pack([*([256, 0, *range(258, 4094)] * cycles), 257])


def decoded(raw: bytes, filters: list[str], params: dict[str, Any] | None = None) -> tuple[bytes, bytes]:
    """`raw` decoded by parse_pdf's decoder and by pdfminer's own (which runs outside parse_pdf)."""
    attrs: dict[str, Any] = {"Filter": [LIT(name) for name in filters]}
    if params is not None:
        attrs["DecodeParms"] = params
    ours = PDFStream(dict(attrs), raw)
    pdf_limits.Limits("t.pdf", stream_bytes=MB, inflated_bytes=MB, pages=1, page_objects=1, objects=1).decode(ours)
    assert ours.data is not None
    return ours.data, PDFStream(dict(attrs), raw).get_data()


# ------------------------------------------------------------------ the decoders read what pdfminer reads


def _rows(*rows: bytes) -> bytes:
    return b"".join(b"\x02" + row for row in rows)  # PNG "Up" rows


LOREM = b"People displaced: 1,200; deaths: 45; injured: 210. " * 200


@pytest.mark.parametrize(
    ("raw", "filters", "params"),
    [
        pytest.param(LOREM, [], None, id="none"),
        pytest.param(zlib.compress(LOREM), ["FlateDecode"], None, id="flate"),
        pytest.param(zlib.compress(LOREM)[:-40], ["FlateDecode"], None, id="flate-truncated"),
        pytest.param(zlib.compress(LOREM)[:-4] + b"\0\0\0\0", ["FlateDecode"], None, id="flate-bad-checksum"),
        pytest.param(b"garbage" + zlib.compress(LOREM), ["FlateDecode"], None, id="flate-bad-header"),
        pytest.param(zlib.compress(LOREM) + b"trailing", ["Fl"], None, id="flate-trailing-bytes"),
        pytest.param(b"", ["FlateDecode"], None, id="flate-empty"),
        pytest.param(
            zlib.compress(_rows(b"\1\2\3\4", b"\1\1\1\1", b"\0\0\0\xff")),
            ["FlateDecode"],
            {"Predictor": 12, "Columns": 4},
            id="flate-png-predictor",
        ),
        pytest.param(b"\1\1\1\1\2\2\2\2", [], None, id="none-again"),
        pytest.param(lzw_encode(LOREM), ["LZWDecode"], None, id="lzw"),
        pytest.param(lzw_encode(bytes(range(256)) * 60), ["LZW"], None, id="lzw-table-cleared"),
        pytest.param(b"\x02abc\xfex\x00y\x80ignored", ["RunLengthDecode"], None, id="run-length"),
        pytest.param(base64.a85encode(bytes(8) + LOREM, adobe=True), ["ASCII85Decode"], None, id="ascii85"),
        pytest.param(LOREM.hex().encode() + b">", ["ASCIIHexDecode"], None, id="ascii-hex"),
        pytest.param(base64.a85encode(zlib.compress(LOREM), adobe=True), ["A85", "FlateDecode"], None, id="ascii85-flate"),
        pytest.param(b"\xff\xd8\xff\xe0 not decoded", ["DCTDecode"], None, id="jpeg"),
    ],
)
def test_streams_decode_as_pdfminer_decodes_them(raw: bytes, filters: list[str], params: dict[str, Any] | None) -> None:
    ours, pdfminers = decoded(raw, filters, params)
    assert ours == pdfminers


def test_tiff_predictor_as_pdfminer() -> None:
    params = {"Predictor": 2, "Colors": 1, "Columns": 4, "BitsPerComponent": 8}
    ours, pdfminers = decoded(zlib.compress(b"\1\1\1\1\2\0\0\0"), ["FlateDecode"], params)
    assert ours == pdfminers == b"\1\2\3\4\2\2\2\2"


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=3000), st.data())
def test_damaged_flate_streams_decode_as_pdfminer(data: bytes, draw: st.DataObject) -> None:
    packed = bytearray(zlib.compress(data))
    cut = draw.draw(st.integers(0, len(packed)))
    flips = draw.draw(st.lists(st.integers(0, len(packed) - 1), max_size=2))
    for index in flips:
        packed[index] ^= 0x5A
    ours, pdfminers = decoded(bytes(packed[:cut]), ["FlateDecode"])
    assert ours == pdfminers


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=12_000).map(lambda data: bytes(byte % 7 for byte in data)) | st.binary(max_size=6_000))
def test_lzw_streams_decode_as_pdfminer(data: bytes) -> None:
    encoded = lzw_encode(data)
    assert pdf_limits._lzw(encoded, len(data)) == lzwdecode(encoded) == data


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.binary(min_size=1, max_size=128), st.integers(2, 128)), max_size=40))
def test_run_length_streams_decode_as_pdfminer(runs: list[tuple[bool, bytes, int]]) -> None:
    raw = b"".join(
        bytes((len(data) - 1,)) + data if literal else bytes((257 - times,)) + data[:1] for literal, data, times in runs
    )
    expected = b"".join(data if literal else data[:1] * times for literal, data, times in runs)
    ours, pdfminers = decoded(raw + b"\x80", ["RunLengthDecode"])
    assert ours == pdfminers == expected


def test_lzw_bomb_maker_makes_zeros() -> None:
    assert lzwdecode(lzw_zeros_bomb(1)) == bytes(sum(range(1, 3838)))


# ------------------------------------------------------------------ bombs are refused while they unpack


STREAM_TOO_LARGE = r"bomb\.pdf: a stream in this PDF unpacks to more than 5 MB \(a decompression bomb.*it was not read"


@pytest.mark.parametrize(
    "bomb",
    [
        pytest.param(lambda: flate_bomb(40 * MB), id="flate"),
        pytest.param(lambda: flate_bomb(64 * MB, layers=2), id="flate-twice"),
        pytest.param(lambda: document(stream(lzw_zeros_bomb(3), b"/Filter /LZWDecode")), id="lzw"),
        pytest.param(
            lambda: document(stream(zlib.compress(b"\x81\x00" * 200_000), b"/Filter [/FlateDecode /RunLengthDecode]")),
            id="run-length",
        ),
        pytest.param(
            lambda: document(stream(zlib.compress(b"z" * 5 * MB), b"/Filter [/FlateDecode /ASCII85Decode]")), id="ascii85"
        ),
    ],
)
def test_decompression_bomb_is_refused(bomb: Any) -> None:
    data = bomb()
    assert len(data) < 100_000
    with pytest.raises(DocumentTooLarge, match=STREAM_TOO_LARGE):
        parse_pdf(data, "bomb.pdf", max_stream_bytes=5 * MB)


def test_the_streams_of_a_document_together_are_limited() -> None:
    page = flate(TEXT + b"%" + b"x" * 200_000 + b"\n")  # 200 KB each, under the 1 MB a stream may unpack to
    data = document(page, page, page, page, page)
    assert parse_pdf(data, "report.pdf", max_inflated_bytes=2 * MB).text.count(SENTENCE.decode()) == 5
    with pytest.raises(DocumentTooLarge, match=r"report\.pdf: its compressed streams unpack to more than 600,000 bytes in all"):
        parse_pdf(data, "report.pdf", max_stream_bytes=MB, max_inflated_bytes=600_000)


def test_a_stream_shared_by_pages_is_unpacked_once() -> None:
    content = TEXT + b"%" + b"x" * 100_000 + b"\n"
    data = document(flate(content), pages=[0, 0, 0, 0])
    parsed = parse_pdf(data, "report.pdf", max_inflated_bytes=len(content) + 10)
    assert len(parsed.pages) == 4


def test_predictor_rows_of_a_billion_columns_are_refused_with_the_default_limits() -> None:
    # pdfminer's predictor makes a list of `Columns` ints first: 8 GB here.
    params = b"/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 1000000000 >>"
    data = document(stream(zlib.compress(b"\x02" + bytes(100)), params))
    with pytest.raises(DocumentTooLarge, match="a stream in this PDF unpacks to more than 100 MB"):
        parse_pdf(data, "bomb.pdf")


def test_fax_streams_are_not_unpacked() -> None:
    # pdfminer would unpack this to 125 MB a line; only images use fax encoding.
    params = b"/Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns 1000000000 >>"
    with pytest.raises(NoTextFound):
        parse_pdf(document(stream(b"\x00" * 64, params)), "fax.pdf")


def test_the_module_limit_applies_to_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_loader, "MAX_STREAM_BYTES", 5 * MB)
    path = tmp_path / "bomb.pdf"
    path.write_bytes(flate_bomb(40 * MB))
    with pytest.raises(DocumentTooLarge, match=STREAM_TOO_LARGE) as refused:
        load(path)
    assert str(refused.value).startswith(f"{path}: ")
    assert isinstance(refused.value, ExtractionError)


def test_the_cli_says_so_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, documents: Path) -> None:
    from extractors.cli import run_extract

    monkeypatch.setattr(pdf_loader, "MAX_STREAM_BYTES", 5 * MB)
    path = tmp_path / "bomb.pdf"
    path.write_bytes(flate_bomb(40 * MB))
    out, err = io.StringIO(), io.StringIO()
    assert run_extract([str(path), str(documents / "simple_report.pdf")], "json", out, err) == 0
    [line] = err.getvalue().splitlines()
    assert line.startswith(f"error: {path}: a stream in this PDF unpacks to more than 5 MB")
    assert out.getvalue()  # the other document was read


def test_the_dashboard_upload_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    from store import intake

    monkeypatch.setattr(pdf_loader, "MAX_STREAM_BYTES", 5 * MB)
    with pytest.raises(intake.IntakeRefused, match=r"^report\.pdf: a stream in this PDF unpacks to more than 5 MB"):
        intake.uploaded_source(flate_bomb(40 * MB), "report.pdf")


def test_memory_stays_near_the_limit_while_a_bomb_is_refused() -> None:
    bomb = flate_bomb(256 * MB)
    tracemalloc.start()
    try:
        with pytest.raises(DocumentTooLarge):
            parse_pdf(bomb, "bomb.pdf", max_stream_bytes=8 * MB)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * 8 * MB  # the stream up to the limit and a chunk more, not the 256 MB it unpacks to


CHILD = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]),) * 2)
from extractors.loaders.pdf import parse_pdf
data = open(sys.argv[1], "rb").read()
before, start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, time.perf_counter()
try:
    parse_pdf(data, "bomb.pdf")
    outcome = "read"
except BaseException as error:
    outcome = f"{type(error).__name__}: {error}"
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"outcome": outcome, "grown_kb": grown, "seconds": time.perf_counter() - start}))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS and ru_maxrss in KB are Linux's")
def test_the_1_gb_bomb_is_refused_with_the_default_limits_in_a_capped_process(tmp_path: Path) -> None:
    path = tmp_path / "bomb.pdf"
    path.write_bytes(flate_bomb(1024 * MB, layers=2))
    assert len(path.read_bytes()) < 4000  # 3 KB that unpacks to 1 GB
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(int(1.5 * 1024 * MB))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(done.stdout)
    assert result["outcome"].startswith("DocumentTooLarge: bomb.pdf: a stream in this PDF unpacks to more than 100 MB")
    assert result["grown_kb"] < 250 * 1024  # the 100 MB a stream may unpack to, and little more
    assert result["seconds"] < 10


# ------------------------------------------------------------------ pages


def test_a_pdf_stating_too_many_pages_is_refused_before_any_is_read() -> None:
    data = document(flate(TEXT), count=1_000_000)  # the default limits
    with pytest.raises(
        DocumentTooLarge,
        match=r"report\.pdf: the PDF has 1,000,000 pages, more than the 2,000 a document may have here; .*Split it",
    ):
        parse_pdf(data, "report.pdf")


def test_pages_are_counted_while_they_are_read() -> None:
    data = document(flate(TEXT), pages=[0] * 5, count=1)  # the page tree's count says 1
    with pytest.raises(DocumentTooLarge, match=r"report\.pdf: the PDF has more than 3 pages, the most a document may have here"):
        parse_pdf(data, "report.pdf", max_pages=3)
    assert len(parse_pdf(data, "report.pdf", max_pages=5).pages) == 5


# ------------------------------------------------------------------ what pages draw


def _characters(count: int) -> bytes:
    return b"BT /F1 4 Tf 20 700 Td (" + b"a" * count + b") Tj ET\n"


def test_a_page_drawing_too_many_characters_is_refused() -> None:
    data = document(flate(TEXT), flate(_characters(1_500)))
    with pytest.raises(DocumentTooLarge, match=r"report\.pdf: page 2 draws more than 1,000 characters, images and forms"):
        parse_pdf(data, "report.pdf", max_page_objects=1_000)
    assert parse_pdf(data, "report.pdf", max_page_objects=1_600).text.startswith(SENTENCE.decode())


def test_pages_sharing_a_content_stream_count_for_each_page() -> None:
    data = document(flate(_characters(600)), pages=[0, 0, 0, 0])
    with pytest.raises(
        DocumentTooLarge, match=r"report\.pdf: its pages draw more than 2,000 characters, images and forms in all"
    ):
        parse_pdf(data, "report.pdf", max_objects=2_000)


def test_forms_drawing_forms_are_counted() -> None:
    # Each form draws the next ten times: 10,000 figures, 100,000 sentences.
    levels = 5
    forms = [
        stream(
            b"/X Do " * 10 if level < levels - 1 else TEXT,
            b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> /XObject << /X %d 0 R >> >>"
            % (7 + level),
        )
        for level in range(levels)
    ]
    data = build(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        FONT,
        stream(b"/X Do"),
        PAGE % (b"/XObject << /X 6 0 R >>", 4, b""),
        *forms,
    )
    with pytest.raises(DocumentTooLarge, match=r"page 1 draws more than 1,000 characters, images and forms"):
        parse_pdf(data, "report.pdf", max_page_objects=1_000)


def test_drawings_are_neither_kept_nor_counted() -> None:
    lines = b"".join(b"%d 100 m %d 300 l S\n" % (x, x) for x in range(5_000))
    assert parse_pdf(document(flate(lines + TEXT)), "map.pdf", max_page_objects=100).text == SENTENCE.decode()


# ------------------------------------------------------------------ parsed values


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"[" * 20_000 + TEXT, id="nested-arrays"),
        pytest.param(b"[" + b"1 " * 20_000 + b"] pop\n" + TEXT, id="long-array"),
        pytest.param(b"[" + b"[1 2 3 4] " * 3_000 + b"] pop\n" + TEXT, id="arrays-in-an-array"),
        pytest.param(b"1 " * 20_000 + TEXT, id="unused-operands"),
    ],
)
def test_objects_holding_too_many_values_are_refused(content: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_loader, "MAX_PARSED_VALUES", 10_000)
    with pytest.raises(DocumentTooLarge, match=r"report\.pdf: an object or page description in this PDF holds more than 10,000"):
        parse_pdf(document(flate(content)), "report.pdf")


def test_a_page_dictionary_holding_too_many_values_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_loader, "MAX_PARSED_VALUES", 10_000)
    data = document(flate(TEXT), page_extra=b"/Junk [" + b"0 " * 20_000 + b"]")
    with pytest.raises(DocumentTooLarge, match="holds more than 10,000 values"):
        parse_pdf(data, "report.pdf")


def test_long_arrays_under_the_limit_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_loader, "MAX_PARSED_VALUES", 10_000)
    kerned = b"BT /F1 12 Tf 72 720 Td [" + b" ".join(b"(%c) 0" % byte for byte in SENTENCE) + b"] TJ ET\n"
    many = b"".join(b"[" + b"1 " * 9_000 + b"] pop\n" for _ in range(3))  # 27,000 values, in three objects
    assert parse_pdf(document(flate(many + kerned)), "report.pdf").text == SENTENCE.decode()


# ------------------------------------------------------------------ threads, and pdfminer outside parse_pdf


def test_limits_belong_to_their_call_and_thread(documents: Path) -> None:
    bomb = flate_bomb(20 * MB)
    sitrep = (documents / "two_column_sitrep.pdf").read_bytes()
    expected = parse_pdf(sitrep, "sitrep.pdf").text

    def refused() -> str:
        with pytest.raises(DocumentTooLarge) as refusal:
            parse_pdf(bomb, "bomb.pdf", max_stream_bytes=5 * MB)
        return str(refusal.value)

    def read() -> str:
        return parse_pdf(sitrep, "sitrep.pdf").text

    def pdfminer_alone() -> int:  # no parse_pdf in this thread: pdfminer unpacks as it always did
        return len(PDFStream({"Filter": LIT("FlateDecode")}, deflated_zeros(20 * MB)).get_data())

    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = [pool.submit(task) for task in (refused, read, pdfminer_alone) * 4]
        results = [future.result() for future in futures]
    assert all(message.startswith("bomb.pdf: a stream in this PDF unpacks to more than 5 MB") for message in results[0::3])
    assert results[1::3] == [expected] * 4
    assert results[2::3] == [20 * MB] * 4


def test_a_pdf_that_takes_longer_than_its_deadline_is_refused(documents: Path) -> None:
    """Time is bounded too: within the size limits a crafted page description can still take minutes."""
    data = next(documents.glob("*.pdf")).read_bytes()
    assert parse_pdf(data, "report.pdf").text  # within the default deadline
    with pytest.raises(DocumentTooLarge, match=r"report\.pdf: reading this PDF took more than 0 s"):
        parse_pdf(data, "report.pdf", max_seconds=0.0)
