"""The graph's vocabulary: namespaces, class and property names, IRI minting.

Everything that names a term in the graph comes from here, so that the
contract (``GRAPH_CONTRACT.md``) has exactly one home in the code (the
namespace strings themselves are in ``kg.namespaces``, which needs no rdflib).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from rdflib import Namespace, URIRef
from rdflib.namespace import ClosedNamespace

from kg import __version__

from kg.namespaces import AIKG_ID_NS, AIKG_NS, PREFIXES  # noqa: F401 (PREFIXES: re-exported)

AIKG_ID = Namespace(AIKG_ID_NS)

#: The five core entity classes the gold scoring counts.
CORE_CLASSES = ("Model", "Product", "Feature", "Person", "Company", "Organization")
#: Every class an entity node (not a document or quantity) can have.
ENTITY_CLASSES = CORE_CLASSES + ("Event", "Benchmark")
#: Quantity (n-ary) classes.
QUANTITY_CLASSES = ("BenchmarkResult", "Price")
ALL_CLASSES = ENTITY_CLASSES + ("Document",) + QUANTITY_CLASSES

@dataclass(frozen=True)
class RelationType:
    """One relation property: the classes its subject and object may have."""

    name: str
    domain: frozenset[str]
    range: frozenset[str]
    symmetric: bool = False


def _relation(name: str, domain: str, range_: str, symmetric: bool = False) -> RelationType:
    return RelationType(name, frozenset(domain.split()), frozenset(range_.split()), symmetric)


#: The relation table: the one statement of each relation's domain and range.
#: Resolution keeps only facts that fit it; the ontology's rdfs:domain and
#: rdfs:range and the shapes' sh:in lists are checked against it
#: (tests/graph/test_relation_table.py).
RELATIONS: dict[str, RelationType] = {r.name: r for r in (
    _relation("developedBy", "Model Product Feature", "Company Organization"),
    _relation("hasFeature", "Model Product", "Feature"),
    _relation("successorOf", "Model Product", "Model Product"),
    _relation("variantOf", "Model Product", "Model Product"),
    _relation("integratesWith", "Product Model", "Product Model", symmetric=True),
    _relation("basedOn", "Product Feature", "Model"),
    _relation("worksFor", "Person", "Company Organization"),
    _relation("announcedAt", "Model Product Feature", "Event"),
    _relation("partOf", "Event", "Event"),
    # The contract's rivals are companies, products and models; a university
    # named beside a company (清华大学) is not one ("Company ⊑ Organization",
    # not the other way round), and the shapes refuse it.
    _relation("competesWith", "Company Product Model", "Company Product Model", symmetric=True),
)}
#: Relation properties between entities, in the contract's order.
RELATION_PROPERTIES = tuple(RELATIONS)
SYMMETRIC_PROPERTIES = frozenset(name for name, r in RELATIONS.items() if r.symmetric)
PROVENANCE_PROPERTY = "mentionedIn"
#: Properties of statements, quantities and documents.
DATA_PROPERTIES = ("evidence", "startOffset", "endOffset", "confidence", "extractor", "model", "benchmark", "score",
                   "unit", "priceOf", "amount", "currency", "path", "sha256")

#: The vocabulary, closed: a term it does not declare (``AIKG.Modle``) raises
#: KeyError/AttributeError instead of minting an IRI nothing else knows.
AIKG = ClosedNamespace(AIKG_NS, list(ALL_CLASSES + RELATION_PROPERTIES + (PROVENANCE_PROPERTY,) + DATA_PROPERTIES))

def class_family(etype: str) -> str:
    """Classes that count as one kind of thing when names are matched:
    Company and Organization are one family (as in the gold scoring)."""
    return "Organization" if etype in ("Company", "Organization") else etype


#: IRI path segment for each class.
_CLASS_SEGMENT = {
    "Model": "model",
    "Product": "product",
    "Feature": "feature",
    "Person": "person",
    "Company": "org",
    "Organization": "org",
    "Event": "event",
    "Benchmark": "benchmark",
    "Document": "doc",
}

_UNSAFE_SLUG = re.compile(r"[^\w.\-~]+", re.UNICODE)


def slugify(name: str) -> str:
    """Readable, deterministic IRI segment for a canonical name.

    Latin names keep their letters (lower-cased); runs of anything else that
    is not a word character become ``-``; non-ASCII letters (Chinese names)
    are percent-encoded so that every triple store accepts the IRI.
    """
    text = unicodedata.normalize("NFKC", name).strip().lower()
    text = text.replace("·", "-").replace("•", "-")
    text = _UNSAFE_SLUG.sub("-", text).strip("-._~")
    if not text:
        text = "x" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]
    return quote(text, safe="-._~")


def entity_iri(etype: str, canonical_name: str):
    """IRI of an entity: class segment plus the slug of its canonical name."""
    return AIKG_ID[f"{_CLASS_SEGMENT[etype]}/{slugify(canonical_name)}"]


def document_iri(doc_id: str):
    """IRI of a Document node; ``doc_id`` is unique within a build."""
    return AIKG_ID[f"doc/{slugify(doc_id)}"]


def hashed_iri(kind: str, *parts: object):
    """IRI for a node that has no name of its own (statement, result, price).

    Derived from the node's content so that rebuilds and shards agree.
    """
    digest = hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:20]
    # URIRef directly: what AIKG_ID[...] makes, without the namespace lookup
    # (half a million of these in a large build).
    return URIRef(f"{AIKG_ID}{kind}/{digest}")


def extractor_id(component: str) -> str:
    """``component@version``, the value of ``aikg:extractor``."""
    return f"{component}@{__version__}"
