"""A multinomial logistic model stored as readable JSON: per feature, a
weight per class; inference is a sparse dot product and a softmax, in pure
Python, so a build needs no numerical library."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

NONE = "none"


@dataclass(frozen=True)
class LinearModel:
    """Classes, their intercepts and each feature's weights."""

    classes: tuple[str, ...]
    intercepts: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]
    threshold: float  # least probability of a relation class to emit it
    version: str

    def probabilities(self, features: dict[str, float]) -> dict[str, float]:
        """P(class | features), by softmax over the classes."""
        scores = list(self.intercepts)
        for name, value in features.items():
            row = self.weights.get(name)
            if row is not None:
                for i, w in enumerate(row):
                    scores[i] += w * value
        top = max(scores)
        exps = [math.exp(x - top) for x in scores]
        total = sum(exps)
        return {c: e / total for c, e in zip(self.classes, exps)}

    def to_json(self) -> str:
        """The model file's text: sorted, rounded, one feature a line."""
        lines = [
            "{",
            f'  "version": {json.dumps(self.version)},',
            f'  "threshold": {self.threshold},',
            f'  "classes": {json.dumps(list(self.classes))},',
            f'  "intercepts": {json.dumps(list(self.intercepts))},',
            '  "weights": {',
        ]
        items = sorted(self.weights.items())
        for i, (name, row) in enumerate(items):
            comma = "," if i < len(items) - 1 else ""
            lines.append(f"    {json.dumps(name, ensure_ascii=False)}: {json.dumps(list(row))}{comma}")
        lines += ["  }", "}"]
        return "\n".join(lines) + "\n"

    @classmethod
    def from_json(cls, text: str) -> "LinearModel":
        """Read a model file written by ``to_json``."""
        data = json.loads(text)
        return cls(tuple(data["classes"]), tuple(data["intercepts"]),
                   {k: tuple(v) for k, v in data["weights"].items()}, float(data["threshold"]), data["version"])


MODEL_FILE = Path(__file__).with_name("relation_model.json")


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_FILE) -> LinearModel | None:
    """The trained model, read once per process; None when no model file exists."""
    try:
        return LinearModel.from_json(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
