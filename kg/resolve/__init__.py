"""Stage 3, resolve: mentions across documents become entities (one node per real-world thing), and relations the resolved entities imply are inferred."""
