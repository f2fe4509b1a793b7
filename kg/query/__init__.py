"""Using the graph: SPARQL queries with rdflib or Oxigraph, result formats, a persistent store and the SPARQL endpoint."""
