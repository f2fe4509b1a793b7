"""Stage 6, export: one module per output file (Turtle, TriG, N-Quads, GraphML, the HTML view)."""
