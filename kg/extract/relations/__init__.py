"""Relation components: each proposes relation mentions from one kind of passage (a sentence, a list under a heading, company cues, document structure)."""
