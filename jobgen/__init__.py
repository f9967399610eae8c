"""jobgen: compile component files into versioned, immutable Jenkins jobs.

The flow is load -> plan -> version -> render -> deploy; each phase is a
subpackage with one public entry taking the previous phase's data.
"""

__version__ = "0.1.0"
