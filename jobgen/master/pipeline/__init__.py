"""Running pipeline jobs' Groovy in the embedded master (docs/promise.md)."""

from jobgen.master.pipeline.executor import PipelineExecutor, install
from jobgen.master.pipeline.runtime import GroovyRuntime, RuntimeStopped

__all__ = ["GroovyRuntime", "PipelineExecutor", "RuntimeStopped", "install"]
