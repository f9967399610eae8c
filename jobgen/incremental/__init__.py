"""Incremental compile: caches around the phases, keyed by the content of every input."""
