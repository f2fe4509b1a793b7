"""Assets inlined into the HTML view, and the escaping that makes inlining safe.

The page must open from disk with no network, so every script and style is
copied into it: vis-network from the copy that ships inside the pyvis
package, and the view's own template, script and style from ``kg/html/``.
Untrusted data goes in only as JSON inside a ``<script type="application/json">``
block, escaped so that no character sequence in it can end that block.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

#: vis-network version bundled by pyvis 0.3.2 (the one its template targets).
VIS_VERSION = "9.1.2"

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JSON_ESCAPE_RE = re.compile("[<>&\u2028\u2029]")
_PLACEHOLDER = re.compile(r"@@([A-Z_]+)@@")
# Sequences that would end or confuse an inline <script>/<style> element.
_UNSAFE_IN_SCRIPT = re.compile(r"</script|<!--", re.IGNORECASE)
_UNSAFE_IN_STYLE = re.compile(r"</style", re.IGNORECASE)


@dataclass(frozen=True)
class Assets:
    """The texts a page is assembled from."""

    template: str
    view_js: str
    view_css: str
    vis_js: str
    vis_css: str


def json_for_script(value: object) -> str:
    """JSON text safe to place inside ``<script type="application/json">``.

    Keys are sorted and separators fixed so that equal data gives equal
    bytes; ``<``, ``>``, ``&`` and the JavaScript line separators are written
    as ``\\u`` escapes, which JSON.parse reads back unchanged.
    """
    return "".join(json_for_script_chunks(value))


def json_for_script_chunks(value: object, chunk_chars: int = 1 << 20) -> Iterator[str]:
    """``json_for_script`` in pieces of about ``chunk_chars``: the text of the
    top two levels of dicts and lists is made here, each value below them by
    the JSON encoder's C one-shot path, and the pieces joined a megabyte at a
    time, never the whole text (a large page's data would otherwise be held
    several times over). ``iterencode`` would stream too, but only in pure
    Python, several times slower."""
    encoder = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    batch: list[str] = []
    size = 0
    for piece in _encode_top(value, encoder, depth=2):
        batch.append(piece)
        size += len(piece)
        if size >= chunk_chars:
            # Every escaped character is one character: no match spans two pieces.
            yield _JSON_ESCAPE_RE.sub(lambda m: _JSON_ESCAPES[m.group(0)], "".join(batch))
            batch, size = [], 0
    if batch:
        yield _JSON_ESCAPE_RE.sub(lambda m: _JSON_ESCAPES[m.group(0)], "".join(batch))


def _encode_top(value: object, encoder: json.JSONEncoder, depth: int) -> Iterator[str]:
    """The encoder's text for ``value``, in pieces: dicts (with string keys,
    sorted as ``sort_keys`` sorts them) and lists opened ``depth`` levels deep."""
    if depth > 0 and isinstance(value, dict) and value and all(isinstance(k, str) for k in value):
        yield "{"
        for i, (key, item) in enumerate(sorted(value.items())):
            yield ("," if i else "") + encoder.encode(key) + ":"
            yield from _encode_top(item, encoder, depth - 1)
        yield "}"
    elif depth > 0 and isinstance(value, (list, tuple)) and value:
        yield "["
        for i, item in enumerate(value):
            if i:
                yield ","
            yield from _encode_top(item, encoder, depth - 1)
        yield "]"
    else:
        yield encoder.encode(value)


def _vis_dir() -> Path:
    import pyvis  # imported here: only the assets need its location

    base = Path(pyvis.__file__).parent
    for candidate in (base / "lib" / f"vis-{VIS_VERSION}", base / "templates" / "lib" / f"vis-{VIS_VERSION}"):
        if (candidate / "vis-network.min.js").is_file():
            return candidate
    raise FileNotFoundError(f"vis-network {VIS_VERSION} not found inside the pyvis package at {base}")


def _read_own(name: str) -> str:
    return resources.files("kg.export").joinpath("html", name).read_text(encoding="utf-8")


def _check_inlinable(name: str, text: str, pattern: re.Pattern[str]) -> str:
    match = pattern.search(text)
    if match:
        raise ValueError(f"{name} contains {match.group(0)!r} and cannot be inlined safely")
    return text


@lru_cache(maxsize=1)
def load_assets() -> Assets:
    """Read the template and every script and style the page inlines."""
    vis = _vis_dir()
    return Assets(
        template=_read_own("view.html"),
        view_js=_check_inlinable("view.js", _read_own("view.js"), _UNSAFE_IN_SCRIPT),
        view_css=_check_inlinable("view.css", _read_own("view.css"), _UNSAFE_IN_STYLE),
        vis_js=_check_inlinable(
            "vis-network.min.js", (vis / "vis-network.min.js").read_text(encoding="utf-8"), _UNSAFE_IN_SCRIPT
        ),
        vis_css=_check_inlinable(
            "vis-network.css", (vis / "vis-network.css").read_text(encoding="utf-8"), _UNSAFE_IN_STYLE
        ),
    )


def csp_hash(script: str) -> str:
    """CSP source expression allowing exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(scripts: tuple[str, ...]) -> str:
    """A policy that forbids every fetch and every script but ours.

    Defence in depth behind the escaping: even if some text slipped into the
    DOM as markup, an injected handler or script would not run, and nothing
    can be loaded from anywhere.
    """
    allowed = " ".join(csp_hash(s) for s in scripts)
    return (
        "default-src 'none'; "
        f"script-src {allowed}; "
        "style-src 'unsafe-inline'; "
        "img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


def fill_template(template: str, parts: dict[str, str]) -> str:
    """Replace every ``@@NAME@@`` in one pass.

    One pass matters: inserted text (data included) is never scanned again,
    so a label that happens to contain ``@@DATA@@`` stays a label.
    """
    return "".join(fill_template_chunks(template, parts))


def fill_template_chunks(template: str, parts: dict[str, str | Iterable[str]]) -> Iterator[str]:
    """``fill_template`` in pieces; a part may itself be pieces (the data)."""
    missing = set(_PLACEHOLDER.findall(template)) - parts.keys()
    if missing:
        raise KeyError(f"template placeholders without a value: {sorted(missing)}")
    at = 0
    for m in _PLACEHOLDER.finditer(template):
        yield template[at:m.start()]
        part = parts[m.group(1)]
        if isinstance(part, str):
            yield part
        else:
            yield from part
        at = m.end()
    yield template[at:]
