"""Write files so that an interrupted build never leaves a half-written one:
write a temporary file beside the target, flush it to disk, then rename.

Temporary files are named ``.<target name>.<pid>-<random>.tmp``: hidden (so
an input walk over the folder ignores them) and tagged with the writing
process, so that a later build can remove the ones a killed build left
behind without touching those of a build still running.
"""
from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

_TEMP_NAME = re.compile(r"^\.(?P<target>.+)\.(?P<pid>\d+)-[^.]+\.tmp$")


def _file_mode() -> int:
    """Mode for new files: what ``open()`` would give (0666 minus the umask).

    ``mkstemp`` creates files 0600; outputs are meant to be shared.
    """
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _stage(path: Path, data: bytes | Iterable[bytes | str], mode: int, owner: int | None = None) -> str:
    """Write ``data`` to a new temporary file beside ``path``; returns its name.

    ``data`` is the bytes, or pieces (text is written as UTF-8) consumed as
    they come, so that a large file need not be held in memory whole.

    ``owner`` (default: this process) is the pid the name carries: the
    process that will rename it, which ``remove_stale_temps`` checks."""
    owner = os.getpid() if owner is None else owner
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{owner}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, (bytes, bytearray)):
                fh.write(data)
            else:
                for piece in data:
                    fh.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


def _unlink(name: str) -> None:
    try:
        os.unlink(name)
    except FileNotFoundError:
        pass


def _fsync_dir(folder: Path) -> None:
    """Make the renames themselves durable (best effort: not every OS allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step (rename is atomic on POSIX)."""
    atomic_write_files({Path(path): data})


def atomic_write_text(path: Path, text: str) -> None:
    """``atomic_write_bytes`` of UTF-8 text."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_files(files: Mapping[Path, bytes]) -> None:
    """Replace several files, each atomically, with the smallest window between them.

    Every file is written and flushed to a temporary file first; only when
    all of them are on disk are they renamed into place. A build killed
    while writing leaves every old file as it was; if writing fails (disk
    full), the temporary files are removed and the error propagates.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            staged.append(stage_file(path, data))
    except BaseException:
        discard_staged(staged)
        raise
    commit_staged(staged)


def stage_file(path: Path, data: bytes | Iterable[bytes | str], owner: int | None = None) -> tuple[str, Path]:
    """Write ``data`` (bytes, or pieces of bytes or text) to a temporary file beside ``path``, flushed to disk;
    returns (temporary name, path) for ``commit_staged``. ``owner``: the pid
    of the process that will commit it, when another process stages it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return _stage(path, data, _file_mode(), owner), path


def commit_staged(staged: list[tuple[str, Path]]) -> None:
    """Rename staged files into place, in order; on failure the ones not yet
    renamed are removed and the error propagates."""
    pending = list(staged)
    try:
        while pending:
            tmp, path = pending[0]
            os.replace(tmp, path)
            pending.pop(0)
    except BaseException:
        discard_staged(pending)
        raise
    for folder in sorted({Path(p).parent for _, p in staged}):
        _fsync_dir(folder)


def discard_staged(staged: Iterable[tuple[str, Path]]) -> None:
    """Remove staged temporary files that will not be committed."""
    for tmp, _ in staged:
        _unlink(tmp)


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def remove_stale_temps(folder: Path, targets: Iterable[str], owner: int | None = None) -> list[str]:
    """Delete temporary files for ``targets`` left in ``folder`` by dead processes.

    Only names this module makes (``.<target>.<pid>-<random>.tmp``) whose
    process no longer runs are removed; returns the names removed. With
    ``owner``, the ones named for that pid are removed instead (a process
    cleaning up after its own failed or repeated work).
    """
    wanted = set(targets)
    removed: list[str] = []
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return removed
    for name in names:
        match = _TEMP_NAME.match(name)
        if not match or match["target"] not in wanted:
            continue
        pid = int(match["pid"])
        removable = pid == owner if owner is not None else not _process_alive(pid)
        if not removable:
            continue
        try:
            os.unlink(os.path.join(folder, name))
        except OSError:
            continue
        removed.append(name)
    return removed
