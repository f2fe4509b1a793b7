"""Mention components: each finds one kind of entity mention in a document (lexicon names, organisations, people, events, features, benchmarks, names by shape)."""
