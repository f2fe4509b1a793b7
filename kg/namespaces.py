"""The graph's namespaces and prefixes as plain strings.

``kg.vocab`` builds its rdflib namespaces from these. They live apart so
that the command line can name the prefixes in ``--help`` without
importing rdflib, which would slow every start.
"""
from __future__ import annotations

#: The project's own vocabulary (classes and properties). Stable: do not change.
AIKG_NS = "https://w3id.org/aikg/ns#"
#: Where the graph's instance IRIs live (entities, documents, statements).
AIKG_ID_NS = "https://w3id.org/aikg/id/"

#: Prefixes written into Turtle and predeclared for SPARQL queries.
PREFIXES: dict[str, str] = {
    "aikg": AIKG_NS,
    "id": AIKG_ID_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "sh": "http://www.w3.org/ns/shacl#",
}
#: One prefix per kind of instance, so Turtle and queries stay readable.
INSTANCE_PREFIXES: dict[str, str] = {
    name: f"{AIKG_ID_NS}{name}/"
    for name in ("model", "product", "feature", "person", "org", "event", "benchmark",
                 "doc", "stmt", "result", "price")
}
PREFIXES.update(INSTANCE_PREFIXES)
