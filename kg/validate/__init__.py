"""Stage 5, validate: the built graph is checked against the SHACL shapes in ``ontology/shapes.ttl``."""
