"""Which files a build reads: input discovery from the paths a user gave.

Folders are walked recursively in name order, so the same inputs always
give the same list whatever order they were named in. Hidden files and
folders are left out (editor swap files, ``.git``). Symlinks are followed,
but a link back into a folder being walked is reported instead of walked
forever, and one file reached twice (named twice, or via a link) is read
once.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.load.text import SNIFF_BYTES, binary_kind
from kg.models import Skipped

#: File name endings read as documents. Files with no ending are read too
#: when their first bytes look like text (``README``, exported notes).
TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})


def display_path(path: Path | str, root: Path | str) -> str:
    """``path`` as shown in the graph: POSIX and relative to ``root`` when under it, else absolute.

    Symlinks are not resolved first, so a link inside the project keeps its
    in-project name; only if the plain path is outside ``root`` are both
    resolved, for a root that was itself given through a link.
    """
    absolute = os.path.abspath(path)
    base = os.path.abspath(root)
    # The common case, a file under the root, cut as text: abspath has
    # normalised both, so this is what commonpath and relpath would give, at
    # a fraction of their cost (a build asks it three times per input).
    prefix = base if base.endswith(os.sep) else base + os.sep
    rest = absolute[len(prefix):] if os.sep == "/" and absolute.startswith(prefix) else ""
    if rest and not rest.startswith("/"):  # not the root itself, nor POSIX's "//" under "/"
        return _displayable(rest)
    # Resolved only when the plain paths disagree: realpath makes a system
    # call per path component, and a build asks this of every input thrice.
    for resolve in (False, True):
        candidate, anchor = (os.path.realpath(absolute), os.path.realpath(base)) if resolve else (absolute, base)
        try:
            if os.path.commonpath([candidate, anchor]) == anchor:
                return _displayable(Path(os.path.relpath(candidate, anchor)).as_posix())
        except ValueError:  # different drives on Windows
            continue
    return _displayable(Path(absolute).as_posix())


def _displayable(shown: str) -> str:
    """``shown`` with undecodable file-name bytes written as ``\\xNN``.

    Python hands such bytes over as lone surrogates (a Latin-1 name on a
    UTF-8 system, or any non-ASCII name under an ASCII locale); no encoder,
    RDF syntax or hash accepts those. Re-decoding the raw bytes as UTF-8
    keeps every valid character and makes the rest visible, one escape per
    byte, so distinct names stay distinct.
    """
    try:
        shown.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(shown).decode("utf-8", errors="backslashreplace")
    return shown


def _looks_like_text(path: str) -> bool:
    """Whether a file without a name ending starts like text (no binary magic, no NUL soup)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return False
    return bool(head) and binary_kind(head) is None


def _accept_reason(path: str, explicit: bool) -> str | None:
    """None if ``path`` (a regular file) is an input; else why not (reported only if named explicitly)."""
    suffix = Path(path).suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return None
    if suffix == "":
        return None if _looks_like_text(path) else "not a text file (no name ending, and binary content)"
    expected = ", ".join(sorted(TEXT_SUFFIXES))
    return f"unsupported file type '{suffix}' (reads {expected})" if explicit else ""


@dataclass
class _Walk:
    """Accumulators of one discovery run (local to the call, never shared)."""

    root: str
    found: list[tuple[str, str, tuple[int, int]]]  # (display path, path, file identity)
    skipped: list[Skipped]
    walked_dirs: set[str]


def _walk_dir(walk: _Walk, top: str) -> None:
    """Depth-first, name-ordered walk of ``top``; iterative so deep trees cannot overflow the stack."""
    stack: list[tuple[str, tuple[str, ...]]] = [(top, (os.path.realpath(top),))]
    walk.walked_dirs.add(os.path.realpath(top))
    while stack:
        folder, ancestors = stack.pop()
        try:
            with os.scandir(folder) as entries:
                names = sorted((entry.name, entry.path) for entry in entries)
        except OSError as err:
            walk.skipped.append(Skipped(display_path(folder, walk.root), f"cannot read folder: {err.strerror}"))
            continue
        subfolders: list[tuple[str, tuple[str, ...]]] = []
        for name, path in names:
            if name.startswith("."):
                continue
            try:
                info = os.stat(path)
            except OSError:
                if os.path.islink(path):
                    walk.skipped.append(Skipped(display_path(path, walk.root), "broken or looping symlink"))
                continue
            if stat.S_ISDIR(info.st_mode):
                real = os.path.realpath(path)
                if real in ancestors:
                    walk.skipped.append(Skipped(
                        display_path(path, walk.root),
                        f"symlink loop: leads back to {display_path(real, walk.root)}; not followed",
                    ))
                elif real not in walk.walked_dirs:
                    walk.walked_dirs.add(real)
                    subfolders.append((path, ancestors + (real,)))
            elif stat.S_ISREG(info.st_mode) and _accept_reason(path, explicit=False) is None:
                walk.found.append((display_path(path, walk.root), path, (info.st_dev, info.st_ino)))
        stack.extend(reversed(subfolders))


def discover_inputs(paths: Sequence[Path], root: Path) -> tuple[list[Path], list[Skipped]]:
    """Files to load from ``paths`` (files or folders), and the inputs that were skipped.

    Returns absolute paths sorted by their display path (relative to
    ``root``), each file once. Named files with another ending are skipped
    with a reason; inside folders they are ignored silently, as are hidden
    entries. A path that does not exist is skipped as "does not exist".
    """
    root_text = os.path.abspath(root)
    walk = _Walk(root=root_text, found=[], skipped=[], walked_dirs=set())
    # Sorted and de-duplicated first, so that which of two routes to one file
    # is kept cannot depend on the order the user named them.
    named = sorted({os.path.abspath(p) for p in paths}, key=lambda p: display_path(p, root_text))
    for path in named:
        shown = display_path(path, root_text)
        if not os.path.lexists(path):
            walk.skipped.append(Skipped(shown, "does not exist"))
            continue
        try:
            info = os.stat(path)
        except OSError:
            walk.skipped.append(Skipped(shown, "does not exist (broken or looping symlink)"))
            continue
        if stat.S_ISDIR(info.st_mode):
            if os.path.realpath(path) not in walk.walked_dirs:
                _walk_dir(walk, path)
        elif stat.S_ISREG(info.st_mode):
            reason = _accept_reason(path, explicit=True)
            if reason:
                walk.skipped.append(Skipped(shown, reason))
            else:
                walk.found.append((shown, path, (info.st_dev, info.st_ino)))
        else:
            walk.skipped.append(Skipped(shown, "not a regular file (device, pipe or socket)"))
    chosen: dict[tuple[int, int], tuple[str, str]] = {}
    for shown, path, identity in walk.found:
        if identity not in chosen or shown < chosen[identity][0]:
            chosen[identity] = (shown, path)
    files = [Path(path) for shown, path in sorted(chosen.values())]
    skipped = sorted(set(walk.skipped), key=lambda s: (s.path, s.reason))
    return files, skipped
