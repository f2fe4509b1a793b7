"""Learned decisions on top of the rules: a relation model trained on the
annotated corpus (``corpus/``). The rules and the lexicon propose mentions;
the model decides which pairs of them in one passage stand in which relation.

A learned model is data with a recipe: ``features.py`` and ``candidates.py``
say what it sees, ``train.py`` writes ``relation_model.json`` from
``corpus/`` (byte-identically on a rerun), and ``relations.py`` is the
extraction component that reads it.
"""
