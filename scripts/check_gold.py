"""Check gold annotation files against their texts (see docs/ANNOTATION.md).

    python scripts/check_gold.py corpus            # every corpus/gold/*.json
    python scripts/check_gold.py corpus a01 d03    # only these ids
    python scripts/check_gold.py corpus --gold DIR # gold files in another folder

Prints one line per problem and exits 1 if there is any. Needs only the
standard library, so annotators can run it anywhere.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

PROPERTIES = {
    "developedBy", "hasFeature", "successorOf", "variantOf", "integratesWith",
    "basedOn", "worksFor", "announcedAt", "partOf", "competesWith",
}
TYPES = {"Model", "Product", "Feature", "Person", "Company", "Organization", "Event", "Benchmark"}


def read_text(path: Path) -> str:
    """The text as the builder reads it: UTF-8, BOM dropped, newlines normalised."""
    text = path.read_bytes().decode("utf-8")
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def problems(gold: dict, text: str) -> list[str]:
    """Every way ``gold`` breaks the annotation guide's checks, as sentences."""
    out: list[str] = []
    canon: set[str] = set()
    lowered = text.casefold()
    for key in ("entities", "optional_entities"):
        for ent in gold.get(key, []):
            names = ent.get("names") or []
            if not names:
                out.append(f"{key}: an entity without names")
                continue
            canon.add(names[0])
            for t in ent.get("types") or []:
                if t not in TYPES:
                    out.append(f"{key}: {names[0]!r} has unknown type {t!r}")
            if not ent.get("types"):
                out.append(f"{key}: {names[0]!r} has no types")
            found = [n for n in names if n.casefold() in lowered]
            if not found:
                out.append(f"{key}: no name of {names[0]!r} occurs in the text")
    for key in ("relations", "optional_relations"):
        for rel in gold.get(key, []):
            label = f"{rel.get('s')} {rel.get('p')} {rel.get('o')}"
            if rel.get("p") not in PROPERTIES:
                out.append(f"{key}: {label}: unknown property")
            for end in ("s", "o"):
                if rel.get(end) not in canon:
                    out.append(f"{key}: {label}: {end} is not a canonical entity name")
            out += _evidence(key, label, rel, text)
    for q in gold.get("benchmarks", []):
        label = f"{q.get('model')} {q.get('benchmark')} {q.get('score')}"
        for end in ("model", "benchmark"):
            if q.get(end) not in canon:
                out.append(f"benchmarks: {label}: {end} is not a canonical entity name")
        if not isinstance(q.get("score"), (int, float)):
            out.append(f"benchmarks: {label}: score is not a number")
        out += _evidence("benchmarks", label, q, text)
    for q in gold.get("prices", []):
        label = f"{q.get('item')} {q.get('amount')} {q.get('currency')}"
        if q.get("item") not in canon:
            out.append(f"prices: {label}: item is not a canonical entity name")
        if not isinstance(q.get("amount"), (int, float)):
            out.append(f"prices: {label}: amount is not a number")
        if not (isinstance(q.get("currency"), str) and len(q["currency"]) == 3 and q["currency"].isupper()):
            out.append(f"prices: {label}: currency is not an ISO 4217 code")
        out += _evidence("prices", label, q, text)
    return out


def _evidence(key: str, label: str, item: dict, text: str) -> list[str]:
    ev = item.get("evidence")
    if not isinstance(ev, str) or not ev.strip():
        return [f"{key}: {label}: no evidence"]
    if ev not in text:
        return [f"{key}: {label}: evidence is not in the text: {ev[:60]!r}"]
    return []


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    root = Path(argv[0])
    rest = argv[1:]
    gold_dir = root / "gold"
    if "--gold" in rest:
        at = rest.index("--gold")
        gold_dir = Path(rest[at + 1])
        rest = rest[:at] + rest[at + 2:]
    ids = rest or sorted(p.stem for p in gold_dir.glob("*.json"))
    bad = 0
    for doc_id in ids:
        gold_path = gold_dir / f"{doc_id}.json"
        try:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            print(f"{doc_id}: cannot read {gold_path}: {exc}")
            bad += 1
            continue
        text = read_text(root / "texts" / f"{doc_id}.txt")
        for problem in problems(gold, text):
            print(f"{doc_id}: {problem}")
            bad += 1
    print(f"{len(ids)} files checked, {bad} problems", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
