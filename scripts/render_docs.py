#!/usr/bin/env python3
"""Refresh the measured part of docs/QUALITY.md from the current output/:
the extraction-quality table (``kg evaluate`` on tests/fixtures/gold) and an
example statement copied from output/graph.ttl. Run after scripts/build.sh,
together with scripts/render_queries_doc.py."""
from __future__ import annotations

import io
import sys
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.cli.main import main as kg_main  # noqa: E402


def replace_between(text: str, name: str, body: str) -> str:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{body.rstrip()}\n{end}{tail}"


def main() -> int:
    buf = io.StringIO()
    with redirect_stdout(buf):
        code = kg_main(["evaluate", str(ROOT / "tests/fixtures/gold"), "--graph", str(ROOT / "output/graph.ttl"),
                        "--root", str(ROOT)])
    if code != 0:
        return code
    readme = ROOT / "docs" / "QUALITY.md"
    text = readme.read_text(encoding="utf-8")
    text = replace_between(text, "quality", "```\n" + buf.getvalue().rstrip() + "\n```")
    readme.write_text(text, encoding="utf-8")
    print(f"updated {readme}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
