"""kg: build a knowledge graph of AI launches from news, blogs and transcripts."""

__version__ = "0.1.0"
