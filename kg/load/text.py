"""Bytes → the normalized text that every offset in the graph indexes.

The contract fixes the normalization: decode as UTF-8, drop a leading
byte-order mark, turn ``\\r\\n`` and lone ``\\r`` into ``\\n``, count code
points. Everything here exists to get real-world files (UTF-16 exports,
GB18030 scrapes, files with stray NULs, binaries dropped into the input
folder) to that form, or to say clearly why a file cannot be used.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

#: How much of a file the sniffing heuristics look at. Enough to tell text
#: from binary; bounded so that a 50 MB file costs the same to sniff as 8 KB.
SNIFF_BYTES = 8192

#: Magic numbers of formats people drop into input folders by mistake. Named
#: so that the skip reason tells the user what the file actually is.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "zip archive (also docx/xlsx/epub)"),
    (b"PK\x05\x06", "zip archive (empty)"),
    (b"%PDF-", "PDF document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ", "Windows executable"),
    (b"\x00asm", "WebAssembly module"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
)

# Order matters: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# C0 controls other than tab and newline (CR is gone by then), plus the two
# non-characters: none of these may appear in XML 1.0, so one of them in a
# literal would make the RDF/XML (and some Turtle consumers) fail.
_NOT_XML_CHARS = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")

# Characters that say "this decode is real text": ASCII printables and
# whitespace, CJK ideographs, CJK and full-width punctuation, general
# punctuation. Used to judge a GB18030 decode, which accepts many byte soups.
_TEXTLIKE = re.compile(
    "[\t\n\r\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u3000-\u303f"
    "\u4e00-\u9fff\uff00-\uffef\u2e80-\u2fdf\u3400-\u4dbf]"
)


class UnreadableFile(ValueError):
    """The bytes are not text this loader can decode; ``str(err)`` says why and what to do."""


@dataclass(frozen=True)
class DecodedText:
    """Normalized text plus what the loader had to do to get it."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def binary_kind(data: bytes) -> str | None:
    """Name of the binary format ``data`` starts with, or None if it may be text.

    Magic numbers first (they name the format), but only when the head is
    not clean text too: "MZ", "ID3" or "GIF89a" can begin an ordinary
    sentence. Then the NUL share of the head: text never has many NULs,
    unless it is UTF-16/32, which the caller recognizes by its BOM or its
    NUL pattern before asking.
    """
    head = data[:SNIFF_BYTES]
    if not _is_clean_text_head(head):
        for magic, name in _MAGIC:
            if data.startswith(magic):
                return name
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return "WebP image"
    if head and head.count(0) * 10 > len(head):
        return "unknown binary data (many NUL bytes)"
    return None


def _is_clean_text_head(head: bytes) -> bool:
    """Whether ``head`` is NUL-free UTF-8 (a multi-byte character cut at the end is fine)."""
    if 0 in head:
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _damaged_utf8(data: bytes) -> tuple[str, int] | None:
    """(text, bad sequences) if ``data`` is UTF-8 with a few broken bytes, else None.

    Scrapes cut at a byte limit end in half a character, and one bad byte
    should not cost a whole document. Real GB18030 text, read as UTF-8,
    breaks at nearly every ideograph; damaged UTF-8 has many good multi-byte
    characters per bad one. The ratio tells them apart.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore")) - bad
    if non_ascii >= 10 * bad and bad * 1000 <= max(len(data), 1000):
        return text, bad
    return None


def _bomless_utf16(head: bytes) -> str | None:
    """``utf-16-le``/``-be`` if the head looks like mostly-ASCII UTF-16 without a BOM.

    Some Windows tools write UTF-16 without a BOM; its tell is a NUL in every
    other byte. Without this check such files would be called binary.
    """
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) * 10 >= len(odd) * 9 and even.count(0) * 10 < len(even):
        return "utf-16-le"
    if even.count(0) * 10 >= len(even) * 9 and odd.count(0) * 10 < len(odd):
        return "utf-16-be"
    return None


def _looks_like_chinese_text(text: str) -> bool:
    """Whether a GB18030 decode is plausibly real (mostly Chinese) text.

    GB18030 maps most byte pairs to some character, so Latin-1 or random
    bytes often "decode". Real text is almost all text-like characters, and
    its ideographs are mostly in the common GB2312 repertoire; mojibake is
    full of rare extension characters.
    """
    sample = text[:65536]
    if not sample.strip():
        return False
    textlike = len(_TEXTLIKE.findall(sample))
    if textlike * 100 < len(sample) * 97:
        return False
    ideographs = [c for c in sample if "\u4e00" <= c <= "\u9fff"]
    if not ideographs:
        # Pure ASCII would have decoded as UTF-8; no ideographs means the
        # non-ASCII bytes became something exotic.
        return False
    common = 0
    for ch in ideographs:
        try:
            ch.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common * 10 >= len(ideographs) * 8


def _decode(data: bytes) -> tuple[str, str, list[str]]:
    """Decode ``data``, returning (text, encoding, warnings) or raising UnreadableFile."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec.replace("-sig", ""), []
            except UnicodeDecodeError as err:
                raise UnreadableFile(
                    f"starts with a {codec} byte-order mark but does not decode as "
                    f"{codec} ({err.reason} at byte {err.start}); re-save the file as UTF-8"
                ) from None
    guessed = _bomless_utf16(data[:SNIFF_BYTES])
    if guessed:
        try:
            return data.decode(guessed), guessed, [f"decoded as {guessed} without a byte-order mark"]
        except UnicodeDecodeError:
            pass  # fall through: the binary check below will name it
    kind = binary_kind(data)
    if kind:
        raise UnreadableFile(f"binary file ({kind}); not text, remove it from the inputs")
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as err:
        utf8_error = f"invalid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start})"
    damaged = _damaged_utf8(data)
    if damaged:
        text, bad = damaged
        return text, "utf-8", [
            f"{utf8_error}: {bad} broken byte sequence(s) replaced with U+FFFD"
        ]
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _looks_like_chinese_text(text):
        return text, "gb18030", [f"{utf8_error}; decoded as GB18030 instead"]
    raise UnreadableFile(
        f"{utf8_error} and not GB18030 Chinese text either; re-save the file as UTF-8"
    )


def normalize_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` → ``\\n``, as the contract's offsets assume."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def replace_control_chars(text: str) -> tuple[str, int]:
    """Replace characters XML cannot carry with a space; return (text, count).

    A space rather than deletion keeps the text the same length, so offsets
    still line up with the file as every other tool decodes it.
    """
    if not _NOT_XML_CHARS.search(text):
        return text, 0
    return _NOT_XML_CHARS.subn(" ", text)


def decode_text(data: bytes) -> DecodedText:
    """Decode and normalize a file's bytes; raise UnreadableFile with a reason.

    Empty and whitespace-only files are not this function's business: the
    caller decides (it needs the decoded text to tell whitespace apart).
    """
    text, encoding, warnings = _decode(data)
    if text.startswith("\ufeff"):
        text = text[1:]
    text = normalize_newlines(text)
    text, replaced = replace_control_chars(text)
    if replaced:
        warnings.append(
            f"replaced {replaced} control character(s) (NUL etc.) with spaces; "
            "offsets are unchanged"
        )
    return DecodedText(text=text, encoding=encoding, warnings=tuple(warnings))
