"""Stage 4, graph: resolved entities and statements become RDF triples and reified statement rows."""
