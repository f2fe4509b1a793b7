"""Benchmark tooling for kg build: corpus generator and runner."""
