"""changes.json and the build index are written in pieces; the text is json.dumps's."""
from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.build.changes import BuildIndex, changes_pieces, index_pieces, read_index, render_changes, render_index

# Any text a label or IRI may hold: quotes, backslashes, control
# characters, line separators, CJK, astral characters.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
ENTITIES = st.dictionaries(TEXT, st.tuples(TEXT, TEXT), max_size=6)
STATEMENTS = st.dictionaries(TEXT, st.tuples(TEXT, TEXT, TEXT, TEXT), max_size=6)


def reference(previous: BuildIndex | None, current: BuildIndex) -> bytes:
    """changes.json as one json.dumps of the whole document."""
    before = previous or BuildIndex({}, {})

    def entities(iris, index):
        return [{"iri": i, "class": index.entities[i][0], "label": index.entities[i][1]} for i in sorted(iris)]

    def statements(iris, index):
        return [dict(zip(("iri", "subject", "predicate", "object", "document"), (i, *index.statements[i])))
                for i in sorted(iris)]

    ce, be, cs, bs = current.entities.keys(), before.entities.keys(), current.statements.keys(), before.statements.keys()
    doc = {
        "previous_build": previous is not None,
        "summary": {
            "entities": {"added": len(ce - be), "removed": len(be - ce), "total": len(ce)},
            "statements": {"added": len(cs - bs), "removed": len(bs - cs), "total": len(cs)},
        },
        "entities": {"added": entities(ce - be, current), "removed": entities(be - ce, before)},
        "statements": {"added": statements(cs - bs, current), "removed": statements(bs - cs, before)},
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(ENTITIES, STATEMENTS, ENTITIES, STATEMENTS, st.booleans())
def test_changes_json_is_the_text_json_dumps_writes(e1, s1, e2, s2, has_previous):
    previous = BuildIndex(e1, s1) if has_previous else None
    current = BuildIndex(e2, s2)
    assert render_changes(previous, current) == reference(previous, current)


def test_long_lists_come_in_several_pieces_and_join_to_the_same_text():
    current = BuildIndex({f"e{i:05d}": ("Model", f"名字 {i}") for i in range(10_000)},
                         {f"s{i:05d}": ("a", "p", "o", "d") for i in range(10_000)})
    pieces = list(changes_pieces(None, current))
    assert len(pieces) > 6
    assert "".join(pieces).encode("utf-8") == reference(None, current)
    assert json.loads("".join(pieces))["summary"]["statements"]["added"] == 10_000


def test_the_index_reads_back_as_written(tmp_path):
    index = BuildIndex({f"e{i}": ("Person", f"name\t{i}") for i in range(5000)},
                       {f"s{i}": ("a", "p", "o", "d") for i in range(5000)})
    pieces = list(index_pieces(index))
    assert len(pieces) > 2 and "".join(pieces).encode("utf-8") == render_index(index)
    (tmp_path / "index.tsv").write_bytes(render_index(index))
    back = read_index(tmp_path / "index.tsv")
    assert back.statements == index.statements
    assert back.entities == {k: (c, label.replace("\t", " ")) for k, (c, label) in index.entities.items()}
