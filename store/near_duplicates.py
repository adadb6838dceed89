"""The same article in another format: near-identical text, whatever the file type.

A report pasted, saved as HTML and printed to PDF gives three texts that differ in whitespace,
line breaks, hyphenation at line ends, a header or footer, a byline: not in their words. Two texts
are taken as the same document when

- their word 5-shingles (sets of five consecutive normalised words) have a Jaccard similarity of
  at least SAME_TEXT (0.8), and
- the numbers of one are all numbers of the other: a format adds page numbers, a footer's date,
  never changes a figure, while the next edition of a report (Situation Report No. 13 after
  No. 12) has near-identical words and other numbers on both sides. The figures are what the
  store counts, so a text whose figures differ is never folded into another.

Normalised: NFKC, case folded, a word broken by a hyphen at a line end joined ("humani-\\ntarian"),
soft hyphens removed, words are runs of letters and digits (punctuation and spacing ignored).
Texts under MIN_WORDS words are too short to judge: only an identical text is the same.

Finding candidates costs one indexed lookup, not a comparison with every stored document: a
64-value MinHash of the shingles is cut into BANDS bands of ROWS values; each band's hash is
stored (table `document_bands`), and a document sharing at least one band hash with the new text
is a candidate (with 16 bands of 4 rows, a pair at similarity 0.8 shares one with probability
0.9998, a pair at 0.3 with 0.12). At most MAX_CANDIDATES candidates, most shared bands first, are
then compared exactly. FINGERPRINT_VERSION names these constants; they never change once stored.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from dataclasses import dataclass

import numpy as np

FINGERPRINT_VERSION = 1
SHINGLE_WORDS = 5
SAME_TEXT = 0.8
MIN_WORDS = 40
BANDS, ROWS = 16, 4
MAX_CANDIDATES = 8
_PRIME = 4_294_967_311  # the first prime above 2**32: the shingle hashes are 32-bit
_rng = np.random.default_rng(20251206)  # fixed: the same permutations in every process, forever
_A = _rng.integers(1, 2**31, size=BANDS * ROWS, dtype=np.uint64)
_B = _rng.integers(0, 2**31, size=BANDS * ROWS, dtype=np.uint64)
_LINE_END_HYPHEN = re.compile(r"(\w)[-\u00ad\u2010]\s*\n\s*(\w)")
_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\d+(?:[,.\u00a0\u202f' ]\d{3})*(?:\.\d+)?")


def normalised_words(text: str) -> list[str]:
    """The words two formats of one text share.

    >>> normalised_words("Floods  displaced 1,200\\nhumani-\\ntarian workers.")
    ['floods', 'displaced', '1', '200', 'humanitarian', 'workers']
    """
    text = unicodedata.normalize("NFKC", text)
    text = _LINE_END_HYPHEN.sub(r"\1\2", text).replace("\u00ad", "")
    return _WORD.findall(text.casefold())


def numbers(text: str) -> frozenset[str]:
    """The numbers a text writes, thousands separators dropped ("1,200" and "1 200" are "1200")."""
    text = unicodedata.normalize("NFKC", text)
    return frozenset(re.sub(r"[,\u00a0\u202f' ]", "", found) for found in _NUMBER.findall(text))


def shingles(words: list[str]) -> frozenset[str]:
    return frozenset(" ".join(words[i : i + SHINGLE_WORDS]) for i in range(max(0, len(words) - SHINGLE_WORDS + 1)))


@dataclass(frozen=True)
class Fingerprint:
    """What the comparison needs of one text."""

    shingles: frozenset[str]
    numbers: frozenset[str]
    bands: tuple[int, ...]  # one hash per band; () when the text is too short to judge

    @property
    def comparable(self) -> bool:
        return bool(self.bands)


def _band_hashes(shingle_set: frozenset[str]) -> tuple[int, ...]:
    hashes = np.fromiter((zlib.crc32(s.encode("utf-8", "surrogatepass")) for s in shingle_set), dtype=np.uint64)
    signature = ((np.outer(_A, hashes) + _B[:, None]) % _PRIME).min(axis=1)
    bands = []
    for band in range(BANDS):
        values = signature[band * ROWS : (band + 1) * ROWS].astype("<u8").tobytes()
        digest = hashlib.blake2b(bytes([FINGERPRINT_VERSION, band]) + values, digest_size=8).digest()
        bands.append(int.from_bytes(digest, "big") >> 1)  # 63 bits: a signed BIGINT on both backends
    return tuple(bands)


def fingerprint(text: str) -> Fingerprint:
    words = normalised_words(text)
    shingle_set = shingles(words)
    bands = _band_hashes(shingle_set) if len(words) >= MIN_WORDS else ()
    return Fingerprint(shingle_set, numbers(text), bands)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def similarity(a: Fingerprint, b: Fingerprint) -> float | None:
    """The shingle Jaccard similarity when the two are the same document by the rules above, else None."""
    if not (a.comparable and b.comparable):
        return None
    if a.numbers - b.numbers and b.numbers - a.numbers:
        return None  # figures differ on both sides: another edition, not another format
    score = jaccard(a.shingles, b.shingles)
    return score if score >= SAME_TEXT else None
