"""Input discovery: folders, filters, duplicates, symlinks, missing paths."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kg.load.inputs import discover_inputs, display_path
from kg.load.documents import load_documents

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "load"
SAME_STEM = FIXTURES / "same_stem"


def shown(files: list[Path], root: Path = ROOT) -> list[str]:
    return [display_path(f, root) for f in files]


def test_folder_walk_skips_hidden_and_other_types() -> None:
    files, skipped = discover_inputs([SAME_STEM], ROOT)
    assert shown(files) == [
        "tests/fixtures/load/same_stem/a/notes.md",
        "tests/fixtures/load/same_stem/b/notes.md",
    ]
    assert skipped == []  # hidden files and the .png in a folder are ignored silently
    assert all(f.is_absolute() for f in files)


def test_order_of_arguments_does_not_matter() -> None:
    a, b = SAME_STEM / "a", SAME_STEM / "b"
    assert discover_inputs([a, b], ROOT) == discover_inputs([b, a], ROOT)


def test_duplicates_are_listed_once() -> None:
    note = SAME_STEM / "a" / "notes.md"
    files, skipped = discover_inputs([note, SAME_STEM, note, Path(str(note))], ROOT)
    assert shown(files).count("tests/fixtures/load/same_stem/a/notes.md") == 1
    assert len(files) == 2 and skipped == []


def test_missing_path_is_reported() -> None:
    files, skipped = discover_inputs([FIXTURES / "nope", SAME_STEM / "a"], ROOT)
    assert len(files) == 1
    assert [(s.path, s.reason) for s in skipped] == [("tests/fixtures/load/nope", "does not exist")]


def test_named_files_of_other_types_are_reported() -> None:
    files, skipped = discover_inputs(
        [SAME_STEM / "b" / "picture.png", FIXTURES / "binary_no_extension", FIXTURES / "make_fixtures.py"], ROOT
    )
    assert files == []
    reasons = {s.path.rsplit("/", 1)[-1]: s.reason for s in skipped}
    assert "unsupported file type '.png'" in reasons["picture.png"]
    assert "unsupported file type '.py'" in reasons["make_fixtures.py"]
    assert "not a text file" in reasons["binary_no_extension"]


def test_text_file_without_extension_is_accepted() -> None:
    files, skipped = discover_inputs([FIXTURES / "no_extension"], ROOT)
    assert shown(files) == ["tests/fixtures/load/no_extension"] and skipped == []


def test_explicit_hidden_file_is_accepted() -> None:
    files, _ = discover_inputs([SAME_STEM / "b" / ".hidden.md"], ROOT)
    assert shown(files) == ["tests/fixtures/load/same_stem/b/.hidden.md"]


def test_symlink_loop_is_reported_not_followed(tmp_path: Path) -> None:
    top = tmp_path / "docs"
    (top / "sub").mkdir(parents=True)
    (top / "sub" / "a.md").write_text("# A\n\nText.\n", encoding="utf-8")
    os.symlink(top, top / "sub" / "back_to_top")
    os.symlink(tmp_path / "self_link", tmp_path / "self_link")  # points at itself
    files, skipped = discover_inputs([top, tmp_path / "self_link"], tmp_path)
    assert shown(files, tmp_path) == ["docs/sub/a.md"]
    reasons = {s.path: s.reason for s in skipped}
    assert "symlink loop" in reasons["docs/sub/back_to_top"]
    assert reasons["self_link"].startswith("does not exist")


def test_file_reached_through_a_link_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    shutil.copy(FIXTURES / "crlf.md", tmp_path / "real" / "doc.md")
    os.symlink(tmp_path / "real" / "doc.md", tmp_path / "alias.md")
    files, _ = discover_inputs([tmp_path], tmp_path)
    assert shown(files, tmp_path) == ["alias.md"]  # the smaller display path wins, whatever the order
    docs, skipped = load_documents(files + [tmp_path / "real" / "doc.md"], tmp_path)
    assert len(docs) == 1 and skipped == []


def test_unreadable_folder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root here, which chmod cannot lock out; make scandir fail as it would.
    (tmp_path / "locked").mkdir()
    (tmp_path / "ok.md").write_text("# ok\n", encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path):  # noqa: ANN001, ANN202 - same shape as os.scandir
        if os.path.basename(path) == "locked":
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files, skipped = discover_inputs([tmp_path], tmp_path)
    assert shown(files, tmp_path) == ["ok.md"]
    assert [(s.path, s.reason) for s in skipped] == [("locked", "cannot read folder: Permission denied")]


def test_fifo_is_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    files, skipped = discover_inputs([tmp_path / "pipe.md"], tmp_path)
    assert files == [] and "not a regular file" in skipped[0].reason
    docs, skipped = load_documents([tmp_path / "pipe.md"], tmp_path)
    assert docs == [] and "not a regular file" in skipped[0].reason


def test_display_path() -> None:
    assert display_path(ROOT / "seeds" / "x.txt", ROOT) == "seeds/x.txt"
    assert display_path("/elsewhere/x.txt", ROOT) == "/elsewhere/x.txt"
    # Cut as text when under the root; the edges are what relpath gives.
    assert display_path(ROOT / "seeds" / ".." / "x.txt", ROOT) == "x.txt"
    assert display_path(ROOT, ROOT) == "."
    assert display_path(str(ROOT) + "-other/x.txt", ROOT) == str(ROOT) + "-other/x.txt"
    if os.sep == "/":
        assert display_path("/a/b.md", "/") == "a/b.md"
        assert display_path("/", "/") == "."
        assert display_path("//a/b.md", "/") == "a/b.md"  # POSIX keeps a leading "//"; relpath drops it


def test_discovered_seeds_load_with_plain_ids() -> None:
    files, skipped = discover_inputs([ROOT / "seeds"], ROOT)
    docs, load_skipped = load_documents(files, ROOT)
    assert skipped == [] and load_skipped == []
    assert [d.path for d in docs] == sorted(f"seeds/{p.name}" for p in (ROOT / "seeds").glob("*.txt"))
    assert all(d.doc_id == Path(d.path).stem for d in docs)


def test_loading_in_workers_gives_the_same_documents_and_skips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.load.documents
    from kg.build.cache import DocumentCache

    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        shutil.copy(seed, tmp_path / seed.name)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 4)
    text = (ROOT / "seeds" / "001_dbb4ad8a9bd4544b.txt").read_text(encoding="utf-8")
    (tmp_path / "gb.txt").write_bytes(text.encode("gb18030"))
    paths, _ = discover_inputs([tmp_path], tmp_path)
    serial = load_documents(paths, tmp_path, jobs=1)
    monkeypatch.setattr(kg.load.documents, "PARALLEL_LOAD_ABOVE", 0)
    assert load_documents(paths, tmp_path, jobs=3) == serial
    assert len(serial[0]) == 6 and {s.path for s in serial[1]} == {"binary.txt", "empty.txt"}
    # Workers fill the document cache; a second load in workers reads it back.
    cache = DocumentCache(tmp_path / "cache")
    assert load_documents(paths, tmp_path, jobs=2, cache=cache) == serial
    assert len(list((tmp_path / "cache").rglob("*.pkl"))) == 6
    assert load_documents(paths, tmp_path, jobs=2, cache=cache) == serial
