"""The extraction stage: mentions, then relations and quantities, per document."""
from __future__ import annotations

from kg.extract.context import ExtractionContext, LexiconIndex
from kg.extract.mentions.find import find_mentions
from kg.extract.quantities.prose import find_quantities
from kg.extract.quantities.tables import find_table_quantities
from kg.extract.relations.common import MentionIndex
from kg.extract.relations.company import find_company_relations
from kg.extract.relations.lists import find_lead_in_list_relations, find_list_relations
from kg.extract.relations.sentence import find_sentence_relations
from kg.extract.relations.structure import find_structure_relations
from kg.models import Document, DocumentExtraction

__all__ = ["LexiconIndex", "extract_document"]


def extract_document(doc: Document, lexicon: LexiconIndex) -> DocumentExtraction:
    """Every mention, relation and quantity one document states."""
    ctx = ExtractionContext(doc, lexicon)
    mentions = find_mentions(ctx)
    index = MentionIndex(ctx, mentions)
    relations = (find_sentence_relations(ctx, index) + find_list_relations(ctx, index)
                 + find_lead_in_list_relations(ctx, index)
                 + find_company_relations(ctx, index) + find_structure_relations(ctx, index))
    quantities = find_quantities(ctx, index) + find_table_quantities(ctx, index)
    return DocumentExtraction(doc.doc_id, tuple(mentions), tuple(relations), tuple(quantities))
