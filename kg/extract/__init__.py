"""The extraction stage: mentions, then relations and quantities, per document.

The components and what each needs are listed in ``EXTRACTION_COMPONENTS``;
``kg.extract.registry`` derives the order they run in.
"""
from __future__ import annotations

from kg.extract.context import ExtractionContext
from kg.extract.learned.relations import find_learned_relations
from kg.extract.mentions.find import find_mentions
from kg.extract.quantities.prose import find_quantities
from kg.extract.quantities.tables import find_table_quantities
from kg.extract.registry import Component, run_components
from kg.extract.relations.common import MentionIndex
from kg.extract.relations.company import find_company_relations
from kg.extract.relations.lists import find_lead_in_list_relations, find_list_relations
from kg.extract.relations.sentence import find_sentence_relations
from kg.extract.relations.structure import find_structure_relations
from kg.lexicon_index import LexiconIndex
from kg.models import Document, DocumentExtraction

__all__ = ["EXTRACTION_COMPONENTS", "extract_document"]

_INDEXED = ("context", "mention-index")

#: Every extraction component, in registration order (which only breaks ties:
#: the order they run in follows from ``requires``).
EXTRACTION_COMPONENTS: tuple[Component, ...] = (
    Component("mentions", find_mentions, ("context",), "mentions"),
    Component("mention-index", MentionIndex, ("context", "mentions"), "mention-index"),
    Component("relations-sentence", find_sentence_relations, _INDEXED, "relations", adds=True),
    Component("relations-list", find_list_relations, _INDEXED, "relations", adds=True),
    Component("relations-lead-in-list", find_lead_in_list_relations, _INDEXED, "relations", adds=True),
    Component("relations-company", find_company_relations, _INDEXED, "relations", adds=True),
    Component("relations-structure", find_structure_relations, _INDEXED, "relations", adds=True),
    Component("relations-model", find_learned_relations, _INDEXED, "relations", adds=True),
    Component("quantities-prose", find_quantities, _INDEXED, "quantities", adds=True),
    Component("quantities-tables", find_table_quantities, _INDEXED, "quantities", adds=True),
)


def extract_document(doc: Document, lexicon: LexiconIndex) -> DocumentExtraction:
    """Every mention, relation and quantity one document states."""
    out = run_components(EXTRACTION_COMPONENTS, {"context": ExtractionContext(doc, lexicon)})
    return DocumentExtraction(doc.doc_id, tuple(out["mentions"]), tuple(out.get("relations", ())),
                              tuple(out.get("quantities", ())))
