"""Quantity components: benchmark scores and prices, from prose and from tables."""
