"""Shared fixtures. Tests mirror the source tree: jobgen/x/y.py -> tests/jobgen/x/y_test.py."""
