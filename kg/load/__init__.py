"""Stage 1, load: source files become ``Document`` values (text, metadata, headings, prose spans) or ``Skipped`` with a reason."""
