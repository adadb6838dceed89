"""Limits on what reading one PDF may cost, counted while it is read.

pdfminer unpacks a stream whole (zlib.decompress, and a list of ints for RunLength) and sets no
bound on pages, on what a page draws, on the values a parsed object holds, or on time. Here the
bounds are counted where the bytes and objects are made: PDFStream.decode is replaced by a
decoder that unpacks in chunks against the limits; pdfplumber's page reads through a device that
counts what the page draws; the parser counts the values of the object it is reading; and each
count also checks the document's deadline. The limits in force are those of the `reading(...)`
block running in this thread (a ContextVar), so documents read at the same time in other
threads are counted apart, and pdfminer used outside such a block works as it always did.

A PDF over a limit is refused with DocumentTooLarge, never cut short: a figure on a page left
out would go missing without notice.
"""

from __future__ import annotations

import contextlib
import time
import zlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any, NoReturn

from pdfminer.ascii85 import ascii85decode, asciihexdecode
from pdfminer.layout import LTPage
from pdfminer.pdfexceptions import PDFNotImplementedError
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdftypes import (
    LITERAL_CRYPT,
    LITERALS_ASCII85_DECODE,
    LITERALS_ASCIIHEX_DECODE,
    LITERALS_CCITTFAX_DECODE,
    LITERALS_DCT_DECODE,
    LITERALS_FLATE_DECODE,
    LITERALS_JBIG2_DECODE,
    LITERALS_JPX_DECODE,
    LITERALS_LZW_DECODE,
    LITERALS_RUNLENGTH_DECODE,
    PDFStream,
    int_value,
)
from pdfminer.psparser import PSStackParser
from pdfminer.utils import apply_png_predictor, apply_tiff_predictor
from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent

from .errors import DocumentTooLarge

__all__ = [
    "MAX_INFLATED_BYTES",
    "MAX_OBJECTS",
    "MAX_PAGES",
    "MAX_PAGE_OBJECTS",
    "MAX_PARSED_VALUES",
    "MAX_SECONDS",
    "MAX_STREAM_BYTES",
    "LimitedPage",
    "Limits",
    "reading",
]

# parse_pdf (pdf.py) takes each of these as a keyword of the same name in lower case, for one call.
#
# Bytes one stream may unpack to. Text extraction unpacks page descriptions, fonts and
# cross-reference data, never images; a whole embedded Unicode font is about 20 MB (Arial
# Unicode MS: 23 MB), the page description of a detailed vector map several MB.
MAX_STREAM_BYTES = 100 * 1024 * 1024
# Bytes the streams of a document may unpack to together: pdfminer keeps every stream it has
# unpacked until the document is closed.
MAX_INFLATED_BYTES = 200 * 1024 * 1024
# Pages a document may have; situation reports rarely reach 200.
MAX_PAGES = 2_000
# Characters, images and forms one page may draw. Each costs about 2 KB while its page is read
# (100,000: about 200 MB); a page of small print has around 10,000 characters.
MAX_PAGE_OBJECTS = 100_000
# The same for all pages together (2,000 pages of 5,000 characters). Pages can share one content
# stream, unpacked once and drawn on each page, so the limits above do not bound this.
MAX_OBJECTS = 10_000_000
# Values (numbers, names, strings, arrays) one PDF object may hold while it is parsed, and operands
# a page description may leave unused. pdfminer spends 100-170 bytes on each: an array of a million
# numbers, 2 MB unpacked, takes 110 MB. Real objects hold tens of thousands at most (the glyph
# widths of a large font).
MAX_PARSED_VALUES = 1_000_000
# Seconds reading one PDF may take in all. Within the limits above, a page description of
# operators that draw nothing still parses at about 0.5 MB/s; a real report reads in seconds.
MAX_SECONDS = 120.0


_LIMITS: ContextVar[Limits | None] = ContextVar("pdf_limits", default=None)
_IN_CHUNK = 64 * 1024  # compressed bytes fed to zlib at a time
_OUT_CHUNK = 1024 * 1024  # bytes zlib may unpack from them in one call


class _Overflow(Exception):
    """A decoder went past the bytes it may produce."""


class Limits:
    """The limits of one parse_pdf call and what it has used of them."""

    def __init__(
        self,
        name: str,
        *,
        stream_bytes: int = MAX_STREAM_BYTES,
        inflated_bytes: int = MAX_INFLATED_BYTES,
        pages: int = MAX_PAGES,
        page_objects: int = MAX_PAGE_OBJECTS,
        objects: int = MAX_OBJECTS,
        parsed_values: int = MAX_PARSED_VALUES,
        seconds: float = MAX_SECONDS,
    ):
        self.name = name
        self.stream_bytes, self.inflated_bytes = stream_bytes, inflated_bytes
        self.pages, self.page_objects, self.objects = pages, page_objects, objects
        self.parsed_values, self.seconds = parsed_values, seconds
        self.deadline = time.monotonic() + seconds
        self.inflated = 0
        self.drawn = 0
        self.page = 0
        self.page_drawn = 0
        self.refused: str | None = None  # once set, every later stream and drawn object is refused too

    def refuse(self, message: str) -> NoReturn:
        self.refused = self.refused or message
        raise DocumentTooLarge(self.refused)

    def refuse_pages(self, stated: int | None) -> NoReturn:
        has = (
            f"has {stated:,} pages, more than the {self.pages:,}"
            if stated is not None
            else f"has more than {self.pages:,} pages, the most"
        )
        self.refuse(
            f"{self.name}: the PDF {has} a document may have here; it was not read. "
            f"Split it into parts of at most {self.pages:,} pages, or raise MAX_PAGES in extractors/loaders/pdf_limits.py."
        )

    def start_page(self, number: int) -> None:
        self.check_time()
        self.page, self.page_drawn = number, 0

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            self.refuse(
                f"{self.name}: reading this PDF took more than {self.seconds:g} s (a crafted file, or an "
                "unusually heavy one); it was not read. Split the PDF, or raise MAX_SECONDS in "
                "extractors/loaders/pdf_limits.py if the file is genuine."
            )

    def count_drawn(self) -> None:
        if self.refused:
            raise DocumentTooLarge(self.refused)
        self.drawn += 1
        self.page_drawn += 1
        if not self.drawn % 1024:
            self.check_time()
        if self.page_drawn > self.page_objects:
            self.refuse(
                f"{self.name}: page {self.page} draws more than {self.page_objects:,} characters, images and forms "
                "(a crafted file, or a page of unusual density); it was not read. Remove or split that page, "
                "or raise MAX_PAGE_OBJECTS in extractors/loaders/pdf_limits.py if the file is genuine."
            )
        if self.drawn > self.objects:
            self.refuse(
                f"{self.name}: its pages draw more than {self.objects:,} characters, images and forms in all; "
                "it was not read. Split the PDF, or raise MAX_OBJECTS in extractors/loaders/pdf_limits.py if the file is genuine."
            )

    def refuse_values(self) -> NoReturn:
        self.refuse(
            f"{self.name}: an object or page description in this PDF holds more than {self.parsed_values:,} values "
            "(a crafted or broken file); it was not read. Re-export the PDF, or raise MAX_PARSED_VALUES "
            "in extractors/loaders/pdf_limits.py if the file is genuine."
        )

    def decode(self, stream: PDFStream) -> None:
        """What PDFStream.decode does, with every filter's output counted while it is made."""
        if self.refused:
            raise DocumentTooLarge(self.refused)
        self.check_time()
        assert stream.data is None and stream.rawdata is not None
        data = stream.rawdata
        if stream.decipher:
            assert stream.objid is not None and stream.genno is not None
            data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
        filters = stream.get_filters()
        for name, params in filters:
            room = min(self.stream_bytes, self.inflated_bytes - self.inflated)
            try:
                data = _unfilter(name, params, data, room)
                if params and "Predictor" in params:
                    data = _unpredict(params, data, room)
            except _Overflow:
                self._refuse_stream(room)
        if filters:  # an unfiltered stream is no larger than the file, whose size the loader limits
            self.inflated += len(data)
        stream.data = data
        stream.rawdata = None

    def _refuse_stream(self, room: int) -> NoReturn:
        if room >= self.stream_bytes:
            self.refuse(
                f"{self.name}: a stream in this PDF unpacks to more than {_size(self.stream_bytes)} "
                "(a decompression bomb, or an unusually large page or font); it was not read. "
                "If the file is genuine, raise MAX_STREAM_BYTES in extractors/loaders/pdf_limits.py."
            )
        self.refuse(
            f"{self.name}: its compressed streams unpack to more than {_size(self.inflated_bytes)} "
            "in all (a decompression bomb or an unusually large file); it was not read. Split the PDF, "
            "or raise MAX_INFLATED_BYTES in extractors/loaders/pdf_limits.py if the file is genuine."
        )


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:,.0f} MB" if count >= 1024 * 1024 else f"{count:,} bytes"


def _unfilter(name: object, params: Any, data: bytes, room: int) -> bytes:
    """`data` decoded by the filter `name`, at most `room` bytes of it (else _Overflow)."""
    if name in LITERALS_FLATE_DECODE:
        return _inflate(data, room)
    if name in LITERALS_LZW_DECODE:
        return _lzw(data, room)
    if name in LITERALS_ASCII85_DECODE:
        significant = len(data) - sum(data.count(space) for space in (b" ", b"\t", b"\n", b"\r", b"\f", b"\0"))
        zeros = data.count(b"z")  # "z" stands for four zero bytes, five other characters for four bytes
        if 4 * zeros + (significant - zeros) * 4 // 5 > room:
            raise _Overflow
        return ascii85decode(data)
    if name in LITERALS_ASCIIHEX_DECODE:  # half its input at most
        decoded = asciihexdecode(data)
        if len(decoded) > room:
            raise _Overflow
        return decoded
    if name in LITERALS_RUNLENGTH_DECODE:
        return _run_length(data, room)
    if name in (*LITERALS_CCITTFAX_DECODE, *LITERALS_DCT_DECODE, *LITERALS_JBIG2_DECODE, *LITERALS_JPX_DECODE):
        # Image encodings, left as they are. pdfminer does decode fax streams, but only images use
        # them and text extraction never unpacks an image's pixels; a fax stream that declares lines
        # a billion pixels wide would unpack to 125 MB a line, and pdfminer builds an 8 GB list first.
        return data
    if name == LITERAL_CRYPT:
        raise PDFNotImplementedError("/Crypt filter is unsupported")
    raise PDFNotImplementedError(f"Unsupported filter: {name!r}")


def _inflate(data: bytes, room: int) -> bytes:
    """FlateDecode, as pdfminer reads it when not STRICT (its default): a truncated stream gives
    what it holds; an error in the last 3 bytes (the checksum) keeps what came before, an
    error earlier gives nothing."""
    inflater = zlib.decompressobj()
    out: list[bytes] = []
    size = 0
    for start in range(0, len(data), _IN_CHUNK):
        piece = data[start : start + _IN_CHUNK]
        saved, saved_size, saved_count = inflater.copy(), size, len(out)
        try:
            size = _feed(inflater, piece, out, size, room)
        except zlib.error:
            # Again byte by byte, to find where the error is, as pdfminer's decompress_corrupted does.
            inflater, size = saved, saved_size
            del out[saved_count:]
            for offset in range(len(piece)):
                try:
                    size = _feed(inflater, piece[offset : offset + 1], out, size, room)
                except zlib.error:
                    return b"".join(out) if start + offset >= len(data) - 3 else b""
                if inflater.eof:
                    break
        if inflater.eof:
            break
    return b"".join(out)


def _feed(inflater: Any, piece: bytes, out: list[bytes], size: int, room: int) -> int:
    """Inflates `piece` into `out` a chunk at a time; the size of `out` after it."""
    while True:
        chunk = inflater.decompress(piece, _OUT_CHUNK)
        size += len(chunk)
        if size > room:
            raise _Overflow
        out.append(chunk)
        piece = inflater.unconsumed_tail
        # A full chunk may leave output pending in zlib even when all input is consumed.
        if inflater.eof or (not piece and len(chunk) < _OUT_CHUNK):
            return size


def _lzw(data: bytes, room: int) -> bytes:
    """LZWDecode as pdfminer's LZWDecoder reads it (early change, codes of 9 to 12 bits, on past
    the end code), without its debug log of the whole table at each code, and with no table
    entries past the 4,096 a 12-bit code can name."""
    out = bytearray()
    table: list[bytes] = []
    previous: bytes | None = None  # None before the first clear code
    width = 9
    buffer = held = position = 0
    while True:
        while held < width:
            if position >= len(data):
                return bytes(out)
            buffer = (buffer << 8) | data[position]
            position += 1
            held += 8
        held -= width
        code = (buffer >> held) & ((1 << width) - 1)
        buffer &= (1 << held) - 1
        if code == 256:
            table = [bytes((byte,)) for byte in range(256)] + [b"", b""]  # 256 and 257 are no strings
            previous, width = b"", 9
            continue
        if code == 257:
            continue
        if not previous:
            entry = table[code]  # an IndexError before the first clear code, as in pdfminer
        else:
            if code < len(table):
                entry = table[code]
                if len(table) < 4096:
                    table.append(previous + entry[:1])
            elif code == len(table):
                entry = previous + previous[:1]
                table.append(entry)
            else:
                return bytes(out)  # a corrupt code ends the data
            if len(table) in (511, 1023, 2047):
                width = len(table).bit_length() + 1  # 511 entries: codes of 10 bits, and so on
        previous = entry
        out += entry
        if len(out) > room:
            raise _Overflow


def _run_length(data: bytes, room: int) -> bytes:
    """RunLengthDecode (PDF Reference 3.3.4): a length byte, then 1 to 128 bytes to copy or one to repeat."""
    out = bytearray()
    position = 0
    while position < len(data):
        length = data[position]
        if length == 128:  # end of data
            break
        if length < 128:
            out += data[position + 1 : position + 2 + length]
            position += 2 + length
        else:
            out += data[position + 1 : position + 2] * (257 - length)
            position += 2
        if len(out) > room:
            raise _Overflow
    return bytes(out)


def _unpredict(params: Any, data: bytes, room: int) -> bytes:
    """pdfminer's TIFF and PNG predictors. They hold every byte, and a row of `Columns` bytes,
    in lists of Python ints while they run: 9 bytes a byte, which is what is counted."""
    predictor = int_value(params["Predictor"])
    if predictor == 1:
        return data
    if predictor != 2 and predictor < 10:
        raise PDFNotImplementedError(f"Unsupported predictor: {predictor!r}")
    colors = int_value(params.get("Colors", 1))
    columns = int_value(params.get("Columns", 1))
    bits = int_value(params.get("BitsPerComponent", 8))
    if 9 * max(len(data), colors * columns) > room:
        raise _Overflow
    if predictor == 2:
        return apply_tiff_predictor(colors, columns, bits, data)
    return apply_png_predictor(predictor, colors, columns, bits, data)


class _LimitedDevice(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's page device, counting what a page draws and keeping no lines, rectangles or
    curves: only characters are read, and a vector map can draw hundreds of thousands of paths."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limits = _LIMITS.get()
        self.count = limits.count_drawn if limits is not None else lambda: None

    def render_char(self, *args: Any, **kwargs: Any) -> float:
        self.count()
        return super().render_char(*args, **kwargs)

    def render_image(self, *args: Any, **kwargs: Any) -> None:
        self.count()
        super().render_image(*args, **kwargs)

    def begin_figure(self, *args: Any, **kwargs: Any) -> None:  # a form: forms drawing forms multiply
        self.count()
        super().begin_figure(*args, **kwargs)

    def paint_path(self, *args: Any, **kwargs: Any) -> None:
        pass


class LimitedPage(Page):
    """A pdfplumber page laid out by _LimitedDevice."""

    @property
    def layout(self) -> LTPage:
        if not hasattr(self, "_layout"):
            device = _LimitedDevice(self.pdf.rsrcmgr, pageno=self.page_number, laparams=self.pdf.laparams)
            PDFPageInterpreter(self.pdf.rsrcmgr, device).process_page(self.page_obj)
            self._layout: LTPage = device.get_result()
        return self._layout


@contextlib.contextmanager
def reading(limits: Limits) -> Iterator[Limits]:
    """Within this block (in this thread), pdfminer decodes, parses and draws under `limits`."""
    token = _LIMITS.set(limits)
    try:
        yield limits
    finally:
        _LIMITS.reset(token)


def _decode(self: PDFStream) -> None:
    limits = _LIMITS.get()
    if limits is None:
        _pdfminer_decode(self)
    else:
        limits.decode(self)


def _count_values(parser: PSStackParser[Any], count: int) -> None:
    # Values of an object still open cost 100-170 bytes each while it is parsed: an array of a
    # million numbers, "[[[[" a million deep. The count starts anew with each top-level object,
    # where the parser's stack is empty and no array or dictionary is open.
    if parser.context or parser.curstack:
        try:
            parser.values_in_object += count  # type: ignore[attr-defined]
        except AttributeError:  # set on a parser's first value, which is top-level
            parser.values_in_object = count  # type: ignore[attr-defined]
        limits = _LIMITS.get()
        if limits is not None and parser.values_in_object > limits.parsed_values:  # type: ignore[attr-defined]
            limits.refuse_values()
    else:
        parser.values_in_object = count  # type: ignore[attr-defined]


def _push(self: PSStackParser[Any], *objs: Any) -> None:
    _count_values(self, len(objs))
    self.curstack.extend(objs)  # pdfminer's push


def _start_type(self: PSStackParser[Any], pos: int, type: str) -> None:
    _count_values(self, 1)
    _pdfminer_start_type(self, pos, type)


def _interpreter_push(self: PDFPageInterpreter, obj: Any) -> None:
    # Operands no operator takes stay on the stack to the end of the page description.
    _pdfminer_interpreter_push(self, obj)
    limits = _LIMITS.get()
    if limits is not None and len(self.argstack) > limits.parsed_values:
        limits.refuse_values()


def _replace(owner: type, name: str, replacement: Any) -> Any:
    """Puts `replacement` in place of the method `name` of `owner`; returns pdfminer's own method."""
    original = getattr(owner, name)
    original = getattr(original, "pdfminer_method", original)  # this module imported again
    replacement.pdfminer_method = original
    setattr(owner, name, replacement)
    return original


_pdfminer_decode = _replace(PDFStream, "decode", _decode)
_replace(PSStackParser, "push", _push)
_pdfminer_start_type = _replace(PSStackParser, "start_type", _start_type)
_pdfminer_interpreter_push = _replace(PDFPageInterpreter, "push", _interpreter_push)
