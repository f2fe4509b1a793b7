"""Train the relation model from the annotated corpus (the recipe).

    python -m kg.extract.learned.train [--corpus corpus] [--out kg/extract/learned/relation_model.json]

Reads every text of the corpus with its gold, proposes candidate pairs as a
build does, labels each with the relation the gold states between the two
entities in a passage that overlaps it (``none`` otherwise; pairs that only
an optional relation covers are left out), fits a multinomial logistic
regression on the train split, picks the threshold that maximises pair F1
on the dev split, and writes the model. The test split is never read here.
Training is deterministic (sorted inputs, a deterministic solver), so a
rerun writes the same bytes. Needs scikit-learn (``pip install -e .[train]``).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg import __version__
from kg.corpus import split_of
from kg.extract.context import ExtractionContext
from kg.extract.learned.candidates import Candidate, candidate_pairs
from kg.extract.learned.features import pair_features
from kg.extract.learned.model import MODEL_FILE, NONE, LinearModel
from kg.extract.mentions.find import find_mentions
from kg.extract.relations.common import MentionIndex
from kg.lexicon import load_lexicon, normalize_name
from kg.lexicon_index import LexiconIndex
from kg.load.documents import load_document
from kg.models import Document
from kg.vocab import SYMMETRIC_PROPERTIES

#: Inverse regularisation strength of the logistic regression.
C = 0.1
#: Thresholds tried on dev.
THRESHOLDS = tuple(round(0.1 + 0.05 * i, 2) for i in range(17))
#: The model's additions must be right this often on dev: below it they cost
#: the rules' precision more than they add recall (measured on the dev split
#: and the seeds' gold when the model was introduced).
MIN_DEV_PRECISION = 0.75
#: Weights are written to this many decimals; a feature none of whose
#: weights reaches PRUNE is left out of the file (it moves no probability
#: by more than about 1%).
DECIMALS = 3
PRUNE = 0.01


@dataclass(frozen=True)
class Example:
    """One labelled candidate pair."""

    doc_id: str
    features: dict[str, float]
    label: str
    types: tuple[str, str]  # the subject's and the object's class


class GoldIndex:
    """The gold of one document, as the labeller asks it."""

    def __init__(self, gold: dict, text: str):
        self.entity_of: dict[str, int] = {}
        for i, ent in enumerate(gold.get("entities", []) + gold.get("optional_entities", [])):
            for name in ent["names"]:
                self.entity_of.setdefault(normalize_name(name), i)
        canon = {ent["names"][0]: i for i, ent in enumerate(gold.get("entities", []) + gold.get("optional_entities", []))}
        self.required = self._spans(gold.get("relations", []), canon, text)
        self.optional = self._spans(gold.get("optional_relations", []), canon, text)

    @staticmethod
    def _spans(relations: list[dict], canon: dict[str, int], text: str) -> dict[tuple[int, int], list[tuple[str, int, int]]]:
        """(subject, object) entity indices → [(property, start, end)] of each occurrence of the evidence."""
        out: dict[tuple[int, int], list[tuple[str, int, int]]] = {}
        for rel in relations:
            s, o = canon.get(rel["s"]), canon.get(rel["o"])
            if s is None or o is None:
                continue
            ev = rel.get("evidence") or ""
            spans = [(rel["p"], i, i + len(ev)) for i in _occurrences(text, ev)] if ev else []
            out.setdefault((s, o), []).extend(spans)
            if rel["p"] in SYMMETRIC_PROPERTIES:
                out.setdefault((o, s), []).extend(spans)
        return out

    def entity(self, mention) -> int | None:
        for name in (mention.surface, mention.canonical):
            if name:
                i = self.entity_of.get(normalize_name(name))
                if i is not None:
                    return i
        return None

    def label(self, cand: Candidate) -> str | None:
        """The gold relation of the pair in this passage, ``none``, or None to leave the pair out."""
        s, o = self.entity(cand.subject), self.entity(cand.object)
        if s is not None and s == o:
            return None  # two names of one gold entity: no pair to learn from
        if s is None or o is None:
            return NONE  # an end the gold does not list stands in no relation
        lo, hi = cand.sentence.start, cand.sentence.end
        for p, start, end in self.required.get((s, o), []):
            if start < hi and lo < end:
                return p
        if any(start < hi and lo < end for _, start, end in self.optional.get((s, o), [])):
            return None
        return NONE


def _occurrences(text: str, quote: str) -> Iterator[int]:
    i = text.find(quote)
    while i >= 0:
        yield i
        i = text.find(quote, i + 1)


def corpus_documents(corpus: Path) -> Iterator[tuple[Document, dict]]:
    """Every corpus text with its gold, in id order."""
    for path in sorted((corpus / "texts").glob("*.txt")):
        gold_path = corpus / "gold" / f"{path.stem}.json"
        if not gold_path.is_file():
            continue
        doc = load_document(path, corpus, path.stem)
        if isinstance(doc, Document):
            yield doc, json.loads(gold_path.read_text(encoding="utf-8"))


def examples(corpus: Path, splits: set[str], lexicon: LexiconIndex) -> list[Example]:
    """The labelled candidate pairs of the documents in ``splits``."""
    out: list[Example] = []
    for doc, gold in corpus_documents(corpus):
        if split_of(doc.doc_id) not in splits:
            continue
        ctx = ExtractionContext(doc, lexicon)
        index = MentionIndex(ctx, find_mentions(ctx))
        labeller = GoldIndex(gold, doc.text)
        for cand in candidate_pairs(ctx, index):
            label = labeller.label(cand)
            if label is not None:
                out.append(Example(doc.doc_id, pair_features(doc.text, cand), label,
                                   (cand.subject.etype, cand.object.etype)))
    return out


def fit(train: list[Example]) -> LinearModel:
    """A multinomial logistic regression on ``train`` (threshold still 0.5)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer(sort=True)
    x = vec.fit_transform([e.features for e in train])
    y = [e.label for e in train]
    clf = LogisticRegression(C=C, max_iter=5000, solver="lbfgs", tol=1e-8)
    clf.fit(x, y)
    classes = tuple(str(c) for c in clf.classes_)
    weights: dict[str, tuple[float, ...]] = {}
    for j, name in enumerate(vec.get_feature_names_out()):
        row = tuple(round(float(clf.coef_[i, j]), DECIMALS) for i in range(len(classes)))
        if max(abs(w) for w in row) >= PRUNE:
            weights[str(name)] = tuple(w + 0.0 for w in row)  # no "-0.0" in the file
    intercepts = tuple(round(float(b), DECIMALS) + 0.0 for b in clf.intercept_)
    return LinearModel(classes, intercepts, weights, 0.5, __version__)


def pair_scores(model: LinearModel, data: list[Example], threshold: float) -> tuple[float, float, float]:
    """Precision, recall and F1 of the relation pairs at ``threshold``."""
    from kg.extract.learned.relations import best_relation

    tp = fp = fn = 0
    for e in data:
        label, p = best_relation(model.probabilities(e.features), *e.types)
        predicted = label if label != NONE and p >= threshold else NONE
        if predicted != NONE and predicted == e.label:
            tp += 1
        else:
            fp += predicted != NONE
            fn += e.label != NONE
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def calibration(model: LinearModel, data: list[Example], bins: int = 5) -> list[tuple[float, float, int, float]]:
    """Predicted probability against observed precision: for each bin of the
    emitted relations' probability, (low, high, count, share right)."""
    from kg.extract.learned.relations import best_relation

    rows = []
    edges = [model.threshold + (1 - model.threshold) * i / bins for i in range(bins + 1)]
    for lo, hi in zip(edges, edges[1:]):
        hits = []
        for e in data:
            label, p = best_relation(model.probabilities(e.features), *e.types)
            if label != NONE and lo <= p < hi + (1e-9 if hi >= 1 else 0):
                hits.append(label == e.label)
        rows.append((round(lo, 2), round(hi, 2), len(hits), sum(hits) / len(hits) if hits else 0.0))
    return rows


def train(corpus: Path, out: Path, say=print) -> LinearModel:
    """Train on the corpus's train split, tune the threshold on dev, write ``out``."""
    lexicon = LexiconIndex(load_lexicon())
    train_set = examples(corpus, {"train"}, lexicon)
    dev_set = examples(corpus, {"dev"}, lexicon)
    positives = sum(e.label != NONE for e in train_set)
    say(f"train: {len(train_set):,} candidate pairs ({positives:,} with a relation); dev: {len(dev_set):,}")
    model = fit(train_set)
    scores = {t: pair_scores(model, dev_set, t) for t in THRESHOLDS}
    precise = [t for t in THRESHOLDS if scores[t][0] >= MIN_DEV_PRECISION] or [THRESHOLDS[-1]]
    best = max(precise, key=lambda t: (round(scores[t][2], 6), t))
    model = LinearModel(model.classes, model.intercepts, model.weights, best, model.version)
    for name, data in (("train", train_set), ("dev", dev_set)):
        p, r, f = pair_scores(model, data, best)
        say(f"{name}: pair P {p:.3f} R {r:.3f} F1 {f:.3f} at threshold {best}")
    say("calibration on dev (probability bin: relations emitted, share right):")
    for lo, hi, n, right in calibration(model, dev_set):
        say(f"  {lo:.2f}-{hi:.2f}: {n:4d}  {right:.2f}")
    out.write_text(model.to_json(), encoding="utf-8")
    say(f"wrote {out} ({len(model.weights):,} features)")
    return model


def main(argv: list[str] | None = None) -> int:
    """The training command."""
    parser = argparse.ArgumentParser(prog="python -m kg.extract.learned.train", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpus"), help="corpus folder with texts/ and gold/ (default: corpus)")
    parser.add_argument("--out", type=Path, default=MODEL_FILE, help=f"model file to write (default: {MODEL_FILE})")
    args = parser.parse_args(argv)
    if not (args.corpus / "gold").is_dir():
        print(f"train: no gold/ folder in {args.corpus}", file=sys.stderr)
        return 2
    train(args.corpus, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
