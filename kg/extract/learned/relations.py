"""The relation model as an extraction component: every candidate pair the
model gives a relation with at least the model's threshold becomes a
relation mention, its confidence the model's probability."""
from __future__ import annotations

from kg.extract.context import ExtractionContext
from kg.extract.learned.candidates import candidate_pairs
from kg.extract.learned.features import pair_features
from kg.extract.learned.model import NONE, load_model
from kg.extract.relations.common import MentionIndex, evidence_for, relation
from kg.models import RelationMention
from kg.vocab import RELATIONS

COMPONENT = "relation-model"


def best_relation(probabilities: dict[str, float], subject_type: str, object_type: str) -> tuple[str, float]:
    """The likeliest relation the two classes admit, and its probability
    (``none`` with 0.0 when they admit none). The caller compares it with the
    model's threshold: a relation less likely than ``none`` but above the
    threshold is still emitted, which is what lets the threshold trade
    precision for recall."""
    allowed = [(p, c) for c, p in probabilities.items()
               if c != NONE and subject_type in RELATIONS[c].domain and object_type in RELATIONS[c].range]
    if not allowed:
        return NONE, 0.0
    p, c = max(allowed)
    return c, p


def find_learned_relations(ctx: ExtractionContext, index: MentionIndex) -> list[RelationMention]:
    """Relations the model reads from pairs of mentions in one passage."""
    model = load_model()
    if model is None:
        return []
    text = ctx.doc.text
    out: list[RelationMention] = []
    for cand in candidate_pairs(ctx, index):
        label, p = best_relation(model.probabilities(pair_features(text, cand)), cand.subject.etype,
                                 cand.object.etype)
        if label == NONE or p < model.threshold:
            continue
        ev = evidence_for(ctx, cand.sentence.start, cand.sentence.end, p, COMPONENT)
        rel = relation(cand.subject, label, cand.object, ev)
        if rel is not None:
            out.append(rel)
    return out
