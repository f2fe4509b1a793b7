"""The command line's parser is made without the heavy libraries.

Every ``kg`` command builds the parser of all sub-commands; what a command
needs (the extractor, rdflib, the SPARQL engines, networkx) is imported
when it runs. ``kg --help`` took 0.9 s before, almost all of it imports.
"""
from __future__ import annotations

import subprocess
import sys

import pytest
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SH, SKOS, XSD

from kg.namespaces import PREFIXES
from kg.query.engine import ENGINES

_HEAVY = ("rdflib", "pyoxigraph", "networkx", "pydantic", "kg.extract", "kg.build.pipeline", "kg.query.engine", "kg.evaluate")


def _modules_after(code: str) -> set[str]:
    # The module names follow a marker line, so that words of a help text
    # printed before them ("rdflib") are not taken for loaded modules.
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print('--modules--'); print('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, check=True)
    return set(out.stdout.split("--modules--\n", 1)[1].split())


def test_making_the_parser_imports_no_heavy_library():
    loaded = _modules_after("from kg.cli.main import build_parser; build_parser()")
    assert not [m for m in _HEAVY if m in loaded]


@pytest.mark.parametrize("argv", [["--help"], ["build", "--help"], ["query", "--help"], ["evaluate", "--help"]])
def test_help_runs_without_the_heavy_libraries(argv):
    code = (f"import sys\nfrom kg.cli.main import main\ntry:\n    main({argv!r})\nexcept SystemExit:\n    pass")
    loaded = _modules_after(code)
    assert not [m for m in _HEAVY if m in loaded]


def test_query_engine_choices_are_the_engines():
    from kg.cli.main import build_parser

    args = build_parser().parse_args(["query", "SELECT * {}", "--engine", ENGINES[-1]])
    assert args.engine == ENGINES[-1]
    from kg.cli.query import ENGINE_CHOICES
    assert ENGINE_CHOICES == ENGINES


def test_plain_prefixes_are_rdflibs_namespaces():
    for prefix, ns in {"rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD, "skos": SKOS, "prov": PROV,
                       "dcterms": DCTERMS, "schema": SDO, "sh": SH}.items():
        assert PREFIXES[prefix] == str(ns)


def test_build_still_runs_from_the_command_line(tmp_path):
    doc = tmp_path / "a.md"
    doc.write_text("# Acme launches Zeta-2\n\nAcme AI released Zeta-2, a new model, on 3 March 2025.\n",
                   encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "kg", "build", str(doc), "--root", str(tmp_path),
                           "-o", str(tmp_path / "out"), "-q", "--no-html", "--jobs", "1"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "graph.ttl").stat().st_size > 0


def test_a_rebuild_that_keeps_its_files_imports_no_extractor(tmp_path):
    doc = tmp_path / "a.md"
    doc.write_text("# Acme launches Zeta-2\n\nAcme AI released Zeta-2, a new model, on 3 March 2025.\n",
                   encoding="utf-8")
    argv = ["build", str(doc), "--root", str(tmp_path), "-o", str(tmp_path / "out"), "-q", "--jobs", "1"]
    code = f"from kg.cli.main import main\ntry:\n    main({argv!r})\nexcept SystemExit:\n    pass"
    first = _modules_after(code)
    assert "kg.extract" in first and "kg.resolve.entities" in first  # a whole build needs them
    kept = _modules_after(code)  # nothing changed: the files stay, only changes.json is written
    assert (tmp_path / "out" / "changes.json").is_file()
    assert not [m for m in ("kg.extract", "kg.resolve.entities", "kg.resolve.infer", "kg.lexicon", "kg.build.shards", "pyvis") if m in kept]
