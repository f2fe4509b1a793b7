"""Bad input, hostile strings and interrupted builds, end to end.

Every test drives a real build (``python -m kg build`` in a subprocess, or
``run_build`` where a fault has to be injected) and checks what a user sees:
the exit code, the messages on stderr, and output files that parse in
rdflib, Oxigraph, networkx and Chromium. Inputs are generated into
``tmp_path`` from the small documents in ``tests/fixtures/robustness/``.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from kg.load.prose import MAX_SPAN_CHARS
from kg.build.state import STATE_NAME
from kg.build.pipeline import OUTPUT_NAMES, OutputError, run_build
from kg.vocab import AIKG

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "robustness"
EN = (FIXTURES / "launch_en.md").read_text(encoding="utf-8")
ZH = (FIXTURES / "launch_zh.md").read_text(encoding="utf-8")
SEEDS = ROOT / "seeds"

# A 1x1 PNG and the characters that are not allowed raw somewhere downstream.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
HOSTILE = '< > " { } | \\ ^ ` ]]> </script><img src=x onerror=alert(1)> <script>alert(2)</script> a b'
# Characters the loader turns into spaces (they cannot appear in XML at all).
_NOT_XML = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")
# What no IRI may hold raw (Turtle IRIREF, and so every other syntax).
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


# ---- helpers ----------------------------------------------------------------

def kg_build(*args: object, cwd: Path, env: dict[str, str] | None = None,
             timeout: float = 600) -> subprocess.CompletedProcess:
    """``python -m kg build ARGS`` in ``cwd``; stdout and stderr captured as text.

    ``timeout`` only guards against a hung build; it asserts nothing about speed.
    """
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    try:
        return subprocess.run(
            [sys.executable, "-m", "kg", "build", *map(str, args)],
            cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"kg build {' '.join(map(str, args))} did not finish within {timeout:.0f} s")


def normalized(data: bytes, codec: str = "utf-8") -> str:
    """The text the contract says offsets index, computed independently of the loader."""
    text = data.decode(codec)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub(" ", text)


def parse_outputs(out: Path) -> Graph:
    """Parse every output with a real consumer; return the rdflib graph of graph.ttl."""
    g = Graph()
    g.parse(out / "graph.ttl", format="turtle")
    store = pyoxigraph.Store()
    store.load(path=str(out / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(g)
    for quad in store:
        for term in (quad.subject, quad.predicate, quad.object):
            if isinstance(term, pyoxigraph.NamedNode):
                assert not _IRI_FORBIDDEN.search(term.value), term.value
    nxg = nx.read_graphml(out / "graph.graphml")
    assert nxg.number_of_nodes() > 0
    for _, attrs in nxg.nodes(data=True):
        assert "label" in attrs and "type" in attrs
    for _, _, attrs in nxg.edges(data=True):
        assert "predicate" in attrs
    if (out / "graph.trig").exists():
        trig = pyoxigraph.Store()
        trig.load(path=str(out / "graph.trig"), format=pyoxigraph.RdfFormat.TRIG)
    return g


def documents_by_path(g: Graph) -> dict[str, URIRef]:
    return {str(path): doc for doc, path in g.subject_objects(AIKG.path)}


def check_evidence(g: Graph, texts: dict[str, str]) -> int:
    """Every evidence passage equals its document's text at its offsets; returns how many were checked."""
    path_of = {doc: str(path) for doc, path in g.subject_objects(AIKG.path)}
    checked = 0
    for node, evidence in g.subject_objects(AIKG.evidence):
        path = path_of[g.value(node, PROV.wasDerivedFrom)]
        if path not in texts:
            continue
        start, end = int(g.value(node, AIKG.startOffset)), int(g.value(node, AIKG.endOffset))
        assert texts[path][start:end] == str(evidence), (path, start, end)
        checked += 1
    for path, doc in documents_by_path(g).items():
        if path in texts:
            assert str(g.value(doc, AIKG.sha256)) == hashlib.sha256(texts[path].encode("utf-8")).hexdigest()
    return checked


def stderr_line(stderr: str, *needles: str) -> str:
    """The one stderr line holding every needle (fails if there is none)."""
    lines = [line for line in stderr.splitlines() if all(n in line for n in needles)]
    assert lines, f"no stderr line with {needles!r} in:\n{stderr}"
    return lines[0]


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file in ``out`` but the build state, which records the files' times (kg.build.state)."""
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file() and p.name != STATE_NAME}


@pytest.fixture(scope="module")
def browser():
    from browser import launch_browser

    with launch_browser() as b:
        yield b


# ---- empty, encodings, binaries, front matter ----------------------------------

def test_empty_whitespace_and_front_matter_only_files(tmp_path: Path) -> None:
    write(tmp_path / "in" / "empty.md", b"")
    write(tmp_path / "in" / "blank.md", " \n\t\r\n\u3000\n")
    write(tmp_path / "in" / "only_meta.md", "---\ntitle: Only metadata here\nauthor: Nobody\n---\n")
    write(tmp_path / "in" / "good.md", EN)
    r = kg_build("in", "-o", "out", "--root", ".", cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert "empty file" in stderr_line(r.stderr, "skipped in/empty.md")
    assert "add text to it or remove it" in stderr_line(r.stderr, "skipped in/empty.md")
    assert "only whitespace" in stderr_line(r.stderr, "skipped in/blank.md")
    assert "only front matter" in stderr_line(r.stderr, "warning", "in/only_meta.md")
    # The summary lists what was skipped, and why.
    assert "documents skipped: 2" in r.stdout
    assert re.search(r"^  in/empty\.md: empty file", r.stdout, re.MULTILINE)
    g = parse_outputs(tmp_path / "out")
    docs = documents_by_path(g)
    assert set(docs) == {"in/good.md", "in/only_meta.md"}
    assert str(g.value(docs["in/only_meta.md"], DCTERMS.title)) == "Only metadata here"


def test_encodings_decode_or_skip_with_the_reason(tmp_path: Path) -> None:
    inputs = {
        "utf16_bom.md": ZH.encode("utf-16"),
        "utf16be_bom.md": b"\xfe\xff" + ZH.encode("utf-16-be"),
        "gbk.md": ZH.encode("gbk"),
        "gb18030.md": (ZH + "\n𠀀 鿰\n").encode("gb18030"),  # beyond GBK: four-byte sequences
        "latin1.md": ("Café à Paris, déjà vu. OpenAI a lancé o3. " * 20).encode("latin-1"),
        "garbage.md": bytes(range(128, 256)) * 8,
        "utf8_bom.md": b"\xef\xbb\xbf" + EN.encode("utf-8"),
    }
    for name, data in inputs.items():
        write(tmp_path / "in" / name, data)
    r = kg_build("in", "-o", "out", "--root", ".", cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    for name in ("latin1.md", "garbage.md"):
        line = stderr_line(r.stderr, f"skipped in/{name}")
        assert "invalid UTF-8" in line and "re-save the file as UTF-8" in line
    assert "decoded as GB18030" in stderr_line(r.stderr, "warning", "in/gbk.md")
    g = parse_outputs(tmp_path / "out")
    expected = {
        "in/utf16_bom.md": normalized(inputs["utf16_bom.md"], "utf-16"),
        "in/utf16be_bom.md": normalized(inputs["utf16be_bom.md"], "utf-16"),
        "in/gbk.md": normalized(inputs["gbk.md"], "gbk"),
        "in/gb18030.md": normalized(inputs["gb18030.md"], "gb18030"),
        "in/utf8_bom.md": normalized(inputs["utf8_bom.md"]),
    }
    assert set(documents_by_path(g)) == set(expected)
    assert check_evidence(g, expected) > 0
    titles = {str(t) for t in g.objects(None, DCTERMS.title)}
    assert "生数科技发布 Vidu 1.5" in titles
    # Chinese decoded from every encoding names the same entities.
    vidu = [s for s, label in g.subject_objects(None) if isinstance(label, Literal) and str(label) == "Vidu"]
    assert vidu


def test_binary_files_among_the_inputs_are_skipped(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("doc.txt", "OpenAI released o3.")
    write(tmp_path / "image.png", PNG)
    write(tmp_path / "archive.zip", buf.getvalue())
    write(tmp_path / "in" / "photo.md", PNG)  # wrong name ending: content decides
    write(tmp_path / "in" / "bundle.txt", buf.getvalue())
    write(tmp_path / "in" / "noext", PNG)
    write(tmp_path / "in" / "good.md", EN)
    r = kg_build("image.png", "archive.zip", "in", "-o", "out", "--root", ".", cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    assert "unsupported file type '.png'" in stderr_line(r.stderr, "skipped image.png")
    assert "unsupported file type '.zip'" in stderr_line(r.stderr, "skipped archive.zip")
    assert "binary file (PNG image)" in stderr_line(r.stderr, "skipped in/photo.md")
    assert "zip archive" in stderr_line(r.stderr, "skipped in/bundle.txt")
    assert "remove it from the inputs" in stderr_line(r.stderr, "skipped in/bundle.txt")
    assert "documents skipped: 4" in r.stdout
    g = parse_outputs(tmp_path / "out")
    assert set(documents_by_path(g)) == {"in/good.md"}


def test_malformed_front_matter_builds_with_what_could_be_read(tmp_path: Path) -> None:
    body = "\n# Heading\n\nOpenAI released o3-mini, a variant of o3.\n"
    write(tmp_path / "in" / "unclosed.md", "---\ntitle: Unclosed front matter\nauthor: A. Writer\n" + body)
    write(tmp_path / "in" / "bad_yaml.md", "---\ntitle: Bad YAML\nauthor: [unclosed\ntags: {a: b\n---\n" + body)
    write(tmp_path / "in" / "bad_date.md", "---\ntitle: Bad date\ndate: 2024-13-45\n---\n" + body)
    write(tmp_path / "in" / "no_date.md", "---\ntitle: Words for a date\ndate: last Tuesday\n---\n" + body)
    r = kg_build("in", "-o", "out", "--root", ".", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "not closed" in stderr_line(r.stderr, "warning", "in/unclosed.md")
    assert "not valid YAML" in stderr_line(r.stderr, "warning", "in/bad_yaml.md")
    assert "2024-13-45" in stderr_line(r.stderr, "warning", "in/bad_date.md")
    assert "last Tuesday" in stderr_line(r.stderr, "warning", "in/no_date.md")
    g = parse_outputs(tmp_path / "out")
    docs = documents_by_path(g)
    titles = {path: str(g.value(doc, DCTERMS.title)) for path, doc in docs.items()}
    assert titles == {
        "in/unclosed.md": "Unclosed front matter",
        "in/bad_yaml.md": "Bad YAML",
        "in/bad_date.md": "Bad date",
        "in/no_date.md": "Words for a date",
    }
    assert str(g.value(docs["in/unclosed.md"], DCTERMS.creator)) == "A. Writer"
    assert g.value(docs["in/bad_date.md"], DCTERMS.date) is None
    # The body was still read: the model is there, with its evidence.
    assert check_evidence(g, {p: normalized((tmp_path / p).read_bytes()) for p in docs}) > 0


def test_line_ends_bom_nul_invisible_characters_and_emoji(tmp_path: Path) -> None:
    en_lines = EN.split("\n")
    inputs = {
        "crlf.md": "\r\n".join(en_lines).encode(),
        "cr.md": "\r".join(en_lines).encode(),
        "mixed.md": ("\r\n".join(en_lines[:6]) + "\r" + "\n".join(en_lines[6:])).encode(),
        "bom.md": b"\xef\xbb\xbf" + ZH.encode(),
        "nul.md": EN.replace("OpenAI released", "OpenAI\x00 released\x01\x1b[31m").encode(),
        "invisible.md": EN.replace("Sam Altman", "Sam\u200b Altman\u200d")
                          .replace("ChatGPT Pro", "\u202eChatGPT Pro\u202c\u2066\u2069").encode(),
        "emoji.md": ZH.replace("Vidu。", "Vidu 🎬🚀。").replace("刘知远", "刘知远 👩\u200d💻").encode(),
    }
    for name, data in inputs.items():
        write(tmp_path / "in" / name, data)
    r = kg_build("in", "-o", "out", "--root", ".", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "control character" in stderr_line(r.stderr, "warning", "in/nul.md")
    g = parse_outputs(tmp_path / "out")
    texts = {f"in/{name}": normalized(data) for name, data in inputs.items()}
    assert set(documents_by_path(g)) == set(texts)
    assert check_evidence(g, texts) > 0
    # CRLF, CR and mixed line ends give one text: same offsets, same evidence.
    assert texts["in/crlf.md"] == texts["in/cr.md"] == EN
    evidence = {str(e) for e in g.objects(None, AIKG.evidence)}
    assert any("🎬🚀" in e for e in evidence)


def test_two_files_with_one_name_in_different_folders(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a" / "notes.md", EN)
    write(tmp_path / "in" / "b" / "notes.md", ZH)
    write(tmp_path / "in" / "b" / "Notes.md", "OpenAI released o1.\n")  # same IRI slug after case folding
    r = kg_build("in", "-o", "out", "--root", ".", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    g = parse_outputs(tmp_path / "out")
    docs = documents_by_path(g)
    assert set(docs) == {"in/a/notes.md", "in/b/notes.md", "in/b/Notes.md"}
    assert len(set(docs.values())) == 3
    for path, doc in docs.items():
        assert set(g.objects(doc, AIKG.path)) == {Literal(path)}


def test_file_names_that_are_not_utf8(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    # A Latin-1 name and a lone invalid byte: the OS allows any bytes but "/" and NUL.
    for raw in (b"caf\xe9.md", b"caf\xc3\xa9.md", b"\xff\xfe notes.md"):
        with open(os.path.join(os.fsencode(folder), raw), "wb") as fh:
            fh.write(EN.encode())
    r = kg_build("in", "-o", "out", "--root", ".", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    g = parse_outputs(tmp_path / "out")
    assert set(documents_by_path(g)) == {"in/caf\\xe9.md", "in/café.md", "in/\\xff\\xfe notes.md"}
    assert len(set(documents_by_path(g).values())) == 3


def test_symlink_loop_inside_the_input_folder(tmp_path: Path) -> None:
    write(tmp_path / "in" / "sub" / "doc.md", EN)
    os.symlink(tmp_path / "in", tmp_path / "in" / "sub" / "loop")
    os.symlink("self", tmp_path / "in" / "self")
    r = kg_build("in", "-o", "out", "--root", ".", cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    assert "symlink loop" in stderr_line(r.stderr, "skipped in/sub/loop")
    assert "fix or remove the link" in stderr_line(r.stderr, "skipped in/self")
    g = parse_outputs(tmp_path / "out")
    assert set(documents_by_path(g)) == {"in/sub/doc.md"}


def test_path_that_does_not_exist(tmp_path: Path) -> None:
    alone = kg_build("missing.md", "-o", "out", "--root", ".", cwd=tmp_path)
    assert alone.returncode == 2
    assert "check the path" in stderr_line(alone.stderr, "skipped missing.md", "does not exist")
    assert "nothing to build" in alone.stderr and "Traceback" not in alone.stderr
    assert not (tmp_path / "out" / "graph.ttl").exists()
    write(tmp_path / "good.md", EN)
    mixed = kg_build("missing.md", "good.md", "-o", "out", "--root", ".", cwd=tmp_path)
    assert mixed.returncode == 1, mixed.stderr
    assert re.search(r"^  missing\.md: does not exist", mixed.stdout, re.MULTILINE)
    assert set(documents_by_path(parse_outputs(tmp_path / "out"))) == {"good.md"}


@pytest.mark.parametrize("out, needle", [
    ("a_file/out", "a part of that path is a file"),
    ("a_file", "exists and is not a folder"),
    ("/proc/kg-cannot-write-here/out", "cannot create output folder"),
])
def test_output_folder_that_cannot_be_written(tmp_path: Path, out: str, needle: str) -> None:
    write(tmp_path / "a_file", b"not a folder")
    write(tmp_path / "good.md", EN)
    r = kg_build("good.md", "-o", out, "--root", ".", cwd=tmp_path)
    assert r.returncode == 2
    line = stderr_line(r.stderr, "kg build:", needle)
    assert out in line and "choose another folder with -o" in line
    assert "Traceback" not in r.stderr
    assert "[1/1]" not in r.stderr  # it failed before doing any work
    assert (tmp_path / "a_file").read_bytes() == b"not a folder"


def test_output_file_name_taken_by_a_folder(tmp_path: Path) -> None:
    write(tmp_path / "good.md", EN)
    assert kg_build("good.md", "-o", "out", "--root", ".", cwd=tmp_path).returncode == 0
    before = snapshot(tmp_path / "out")
    (tmp_path / "out" / "graph.html").unlink()
    (tmp_path / "out" / "graph.html").mkdir()
    r = kg_build("good.md", "-o", "out", "--root", ".", cwd=tmp_path)
    assert r.returncode == 2
    assert "is a folder" in stderr_line(r.stderr, "out/graph.html")
    after = snapshot(tmp_path / "out")
    assert after == {k: v for k, v in before.items() if k != "graph.html"}


# ---- hostile strings ----------------------------------------------------------

def hostile_inputs(folder: Path) -> tuple[Path, str, str]:
    """A document whose file name, metadata and text hold every awkward character."""
    name = 'evil <b> "q" {x}|^`\\ ]]> <script>alert(3)<\\script> \x1b[31m.md'
    title = "Launch " + HOSTILE + " \u202eRLO\u202c \u200bZW"
    text = (
        "---\n"
        f"title: '{title}'\n"
        "author: \"Sam Altman <sam@example.com> {x}\"\n"
        "source: \"https://example.com/a b<c>{d}\"\n"
        "---\n"
        f"# {HOSTILE}\n\n"
        f"OpenAI released o3-mini, a variant of o3. {HOSTILE}\n"
        f"Sam Altman of OpenAI said: \"</script><script>alert(4)</script>\" and ]]> and `code` {{x}}.\n"
        "ChatGPT Pro costs $200 per month. Control \x07 and \x1f and DEL \x7f here.\n"
    )
    write(folder / name, text)
    return folder / name, title, text


def test_hostile_strings_stay_valid_in_every_output(tmp_path: Path, browser) -> None:
    path, title, text = hostile_inputs(tmp_path / "in")
    r = kg_build("in", "-o", "out", "--root", ".", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    # The terminal sees the escape character escaped, not a colour change.
    assert "\x1b" not in r.stderr and "\\u001b[31m" in r.stderr
    out = tmp_path / "out"
    g = parse_outputs(out)
    shown = f"in/{path.name}"
    doc = documents_by_path(g)[shown]
    # Metadata values lose zero-width and bidi controls (they break lookups
    # and can disguise text); everything else arrives unchanged.
    title = re.sub("[\u200b\u202e\u202c]", "", title)
    assert str(g.value(doc, DCTERMS.title)) == title
    assert str(g.value(doc, DCTERMS.creator)) == "Sam Altman <sam@example.com> {x}"
    assert check_evidence(g, {shown: normalized(text.encode())}) > 0
    assert any("</script><script>alert(4)</script>" in str(e) for e in g.objects(None, AIKG.evidence))
    # Oxigraph reads the same literal back.
    store = pyoxigraph.Store()
    store.load(path=str(out / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    found = list(store.quads_for_pattern(None, pyoxigraph.NamedNode(str(DCTERMS.title)), None))
    assert [q.object.value for q in found] == [title]
    # networkx: the document node carries the title as its label.
    nxg = nx.read_graphml(out / "graph.graphml")
    assert nxg.nodes[str(doc)]["label"] == title
    # The browser: the page loads, nothing injected runs, the title shows as text.
    from browser import open_page

    page, log = open_page(browser, out / "graph.html")
    page.wait_for_function("() => window.kgView && window.kgView.nodes.length > 0", timeout=60_000)
    page.evaluate("(id) => window.kgView.select(id)", str(doc))
    panel = page.evaluate("() => document.getElementById('kg-panel').textContent")
    assert title in panel
    page.wait_for_timeout(300)
    assert log.dialogs == [] and log.page_errors == [] and log.blocked == []
    assert page.evaluate("() => document.querySelectorAll('img[src=x]').length") == 0
    # Injected markup stays inside the JSON data block, escaped; no script element of its own.
    injected = page.evaluate("""() => [...document.scripts]
        .filter(s => s.type !== 'application/json' && /alert\\([1-4]\\)/.test(s.text)).length""")
    assert injected == 0
    assert page.evaluate("() => document.scripts.length") == 3
    page.context.close()


def test_builds_in_separate_processes_are_byte_identical(tmp_path: Path) -> None:
    hostile_inputs(tmp_path / "in")
    write(tmp_path / "in" / "zh.md", ZH.encode("gb18030"))
    write(tmp_path / "in" / "en.md", EN.replace("\n", "\r\n"))
    outs = []
    for seed in ("1", "2"):
        r = kg_build("in", "-o", f"out{seed}", "--root", ".", cwd=tmp_path, env={"PYTHONHASHSEED": seed})
        assert r.returncode == 0, r.stderr
        outs.append(snapshot(tmp_path / f"out{seed}"))
    assert outs[0] == outs[1]
    assert set(outs[0]) >= {"graph.ttl", "graph.graphml", "graph.html"}


# ---- exit codes and messages ---------------------------------------------------

def test_usage_errors_exit_2(tmp_path: Path) -> None:
    write(tmp_path / "good.md", EN)
    bad_conf = kg_build("good.md", "--min-confidence", "2", cwd=tmp_path)
    assert bad_conf.returncode == 2 and "--min-confidence" in bad_conf.stderr
    unknown = kg_build("good.md", "--no-such-option", cwd=tmp_path)
    assert unknown.returncode == 2 and "unrecognized arguments" in unknown.stderr
    no_inputs = kg_build(cwd=tmp_path)  # no INPUT and no seeds/ folder here
    assert no_inputs.returncode == 2 and "name the files or folders to read" in no_inputs.stderr
    assert not (tmp_path / "output").exists()


def test_progress_per_document_and_quiet_keeps_the_warnings(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.md", EN)
    write(tmp_path / "in" / "b.md", ZH)
    write(tmp_path / "in" / "c.md", b"")
    loud = kg_build("in", "-o", "out", "--root", ".", cwd=tmp_path)
    assert loud.returncode == 1
    assert stderr_line(loud.stderr, "[1/2] in/a.md:", "mentions")
    assert stderr_line(loud.stderr, "[2/2] in/b.md:", "mentions")
    assert stderr_line(loud.stderr, "1 input(s) skipped, 2 document(s) built")
    assert "[1/2]" not in loud.stdout and "skipped in/c.md" not in loud.stdout
    # Every stage after extraction says when it starts, in order (minutes of silence at 10,000 documents).
    stages = ["reading 3 file(s)", "[2/2]", "resolving entities across 2 document(s)", "building the graph of",
              "validating", "1 input(s) skipped"]
    lines = loud.stderr.splitlines()
    at = [next(i for i, line in enumerate(lines) if stage in line) for stage in stages]
    assert at == sorted(at), loud.stderr
    assert stderr_line(loud.stderr, "validating", "triples and writing graph.ttl", "changes.json")
    quiet = kg_build("in", "-o", "out", "--root", ".", "-q", cwd=tmp_path)
    assert quiet.returncode == 1
    assert "[1/2]" not in quiet.stderr
    assert not any(stage in quiet.stderr for stage in ("reading", "resolving", "building the graph", "validating"))
    assert stderr_line(quiet.stderr, "skipped in/c.md", "empty")


def test_summary_survives_a_locale_without_unicode(tmp_path: Path) -> None:
    write(tmp_path / "in" / "发布会.md", ZH)
    write(tmp_path / "in" / "空.md", b"")
    env = {"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "ascii", "PYTHONUTF8": "0"}
    r = kg_build("in", "-o", "out", "--root", ".", cwd=tmp_path, env=env)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert "\\u7a7a.md" in r.stdout  # 空.md, shown escaped in the summary


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_document_that_breaks_the_extractor_is_skipped_not_fatal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    import kg.build.extraction

    write(tmp_path / "in" / "fine.md", EN)
    write(tmp_path / "in" / "poison.md", ZH)
    real = kg.build.extraction.extract_document

    def extract(doc, lexicon):
        if doc.path.endswith("poison.md"):
            raise IndexError("string index out of range")
        return real(doc, lexicon)

    # Worker processes are forked, so they run the patched extractor too.
    monkeypatch.setattr(kg.build.extraction, "extract_document", extract)
    messages: list[str] = []
    report = run_build([tmp_path / "in"], tmp_path, tmp_path / "out", warn=messages.append, jobs=jobs)
    assert [d.path for d in report.documents] == ["in/fine.md"]
    assert [s.path for s in report.skipped] == ["in/poison.md"]
    assert "extraction failed (IndexError" in report.skipped[0].reason
    assert any(m.startswith("skipped in/poison.md") and "please report" in m for m in messages)
    g = parse_outputs(tmp_path / "out")
    assert set(documents_by_path(g)) == {"in/fine.md"}


def test_no_html_warns_about_a_stale_page(tmp_path: Path) -> None:
    write(tmp_path / "good.md", EN)
    assert kg_build("good.md", "-o", "out", "--root", ".", cwd=tmp_path).returncode == 0
    r = kg_build("good.md", "-o", "out", "--root", ".", "--no-html", cwd=tmp_path)
    assert r.returncode == 0
    assert "does not show this graph" in stderr_line(r.stderr, "warning", "out/graph.html")


# ---- interrupted builds --------------------------------------------------------

def first_build(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    write(tmp_path / "v1" / "doc.md", EN)
    write(tmp_path / "v2" / "doc.md", ZH)
    out = tmp_path / "out"
    run_build([tmp_path / "v1"], tmp_path, out)
    return out, snapshot(out)


def test_failed_export_leaves_previous_files_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out, before = first_build(tmp_path)
    import kg.export.graphml

    def broken(_graph):
        raise RuntimeError("exporter crashed halfway")

    # The output registry imports each renderer when a build renders.
    monkeypatch.setattr(kg.export.graphml, "graphml_chunks", broken)
    with pytest.raises(RuntimeError):
        run_build([tmp_path / "v2"], tmp_path, out)
    assert snapshot(out) == before
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []


def test_disk_full_while_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    out, before = first_build(tmp_path)
    import kg.atomic

    real_stage = kg.atomic._stage
    staged: list[str] = []

    def stage(path, data, mode, owner=None):
        if len(staged) == 2:
            raise OSError(28, "No space left on device", str(path))
        staged.append(real_stage(path, data, mode, owner))
        return staged[-1]

    monkeypatch.setattr(kg.atomic, "_stage", stage)
    with pytest.raises(OutputError, match="No space left on device.*previous files .* are unchanged"):
        run_build([tmp_path / "v2"], tmp_path, out)
    assert snapshot(out) == before
    assert not any(os.path.exists(p) for p in staged)
    # Through the command line: exit 2 and one clear line, no traceback.
    from kg.cli.main import main

    staged.clear()
    assert main(["build", str(tmp_path / "v2"), "-o", str(out), "--root", str(tmp_path), "-q"]) == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err and "Traceback" not in err
    assert snapshot(out) == before


_KILL_MID_WRITE = """
import os, signal, sys
import kg.atomic
from kg.cli.main import main

real_stage = kg.atomic._stage
count = []

def stage(path, data, mode, owner=None):
    name = real_stage(path, data, mode, owner)
    count.append(name)
    if len(count) == 2:  # two new files fully on disk, none renamed yet
        os.kill(os.getpid(), signal.SIGKILL)
    return name

kg.atomic._stage = stage
sys.exit(main(sys.argv[1:]))
"""


def test_build_killed_while_writing_keeps_previous_files(tmp_path: Path) -> None:
    out, before = first_build(tmp_path)
    args = ["build", str(tmp_path / "v2"), "-o", str(out), "--root", str(tmp_path), "-q"]
    killed = subprocess.run([sys.executable, "-c", _KILL_MID_WRITE, *args], cwd=tmp_path, capture_output=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600)
    assert killed.returncode == -signal.SIGKILL
    assert {k: v for k, v in snapshot(out).items() if not k.endswith(".tmp")} == before
    stale = sorted(p.name for p in out.iterdir() if p.name.endswith(".tmp"))
    assert len(stale) == 2 and all(re.fullmatch(r"\.graph\.\w+\.\d+-\w+\.tmp", n) for n in stale)
    # The next build removes what the killed one left and writes the new graph.
    r = kg_build(tmp_path / "v2", "-o", out, "--root", tmp_path, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    after = snapshot(out)
    assert not [n for n in after if n.endswith(".tmp")]
    # Only the build's own hidden state is left: the extraction cache and the
    # index that the next build's changes.json is computed from.
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [".kg-build.json", ".kg-cache",
                                                                                 ".kg-index.tsv"]
    assert after["graph.ttl"] != before["graph.ttl"]


def test_build_killed_at_random_moments(tmp_path: Path) -> None:
    out, before = first_build(tmp_path)
    new_out = tmp_path / "new"
    run_build([tmp_path / "v2"], tmp_path, new_out)
    after = snapshot(new_out)
    cmd = [sys.executable, "-m", "kg", "build", str(tmp_path / "v2"), "-o", str(out), "--root", str(tmp_path), "-q"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, capture_output=True, check=True, timeout=600)
    duration = time.perf_counter() - t0
    # Back to the old files, then kill rebuilds at moments spread over a build.
    for name, data in before.items():
        (out / name).write_bytes(data)
    rng = random.Random(20241220)
    for i in range(6):
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * (0.5 + 0.5 * rng.random()) if i else duration * 0.98)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for name in OUTPUT_NAMES:
            # changes.json depends on which build ran before: checked below.
            if name in before and name != "changes.json":
                assert (out / name).read_bytes() in (before[name], after[name]), (i, name)
        json.loads((out / "changes.json").read_text(encoding="utf-8"))
    r = kg_build(tmp_path / "v2", "-o", out, "--root", tmp_path, "-q", cwd=tmp_path)
    assert r.returncode == 0
    final = snapshot(out)
    assert json.loads(final.pop("changes.json"))["previous_build"] is True
    assert final == {k: v for k, v in after.items() if k != "changes.json"}


# ---- size ----------------------------------------------------------------------

def test_one_megabyte_line(tmp_path: Path) -> None:
    sentence = "OpenAI released o3, which scores 2727 on Codeforces; Sam Altman of OpenAI announced ChatGPT Pro. "
    line = (sentence * (1_048_576 // len(sentence) + 1))[:1_048_576]
    unbroken = ("OpenAI GPT-4o ChatGPT Sam Altman 生数科技 Vidu o3 " * 30_000)[:1_048_576]
    write(tmp_path / "in" / "long_line.md", "# One long line\n\n" + line + "\n")
    write(tmp_path / "in" / "no_stop.md", "# No sentence end at all\n\n" + unbroken + "\n")
    r = kg_build("in", "-o", "out", "--root", ".", "-q", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    g = parse_outputs(tmp_path / "out")
    texts = {f"in/{p.name}": normalized(p.read_bytes()) for p in (tmp_path / "in").iterdir()}
    assert check_evidence(g, texts) > 0
    # Passages stay readable: a line with no sentence end is cut into bounded pieces.
    assert max(len(str(e)) for e in g.objects(None, AIKG.evidence)) <= MAX_SPAN_CHARS
    assert {str(p) for p in g.objects(None, AIKG.path)} == set(texts)


def test_fifty_megabyte_document(tmp_path: Path, browser) -> None:
    paragraphs = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    size = 50 * 1024 * 1024
    data = ("\n\n".join([paragraphs] * (size // len(paragraphs.encode("utf-8")) + 1))).encode("utf-8")
    write(tmp_path / "in" / "huge.md", data)
    assert (tmp_path / "in" / "huge.md").stat().st_size >= size
    r = kg_build("in", "-o", "out", "--root", ".", "-q", cwd=tmp_path, timeout=1200)
    assert r.returncode == 0, r.stderr
    out = tmp_path / "out"
    for name in ("graph.ttl", "graph.graphml", "graph.html"):
        assert (out / name).stat().st_size > 0
    g = parse_outputs(out)
    assert check_evidence(g, {"in/huge.md": normalized(data)}) > 0
    # The page holds at most its node budget, and opens.
    from browser import open_page

    page, log = open_page(browser, out / "graph.html")
    page.wait_for_function("() => window.kgView && window.kgView.nodes.length > 0", timeout=120_000)
    assert page.evaluate("() => window.kgView.nodes.length") <= 2000
    assert log.page_errors == [] and log.blocked == []
    page.context.close()
