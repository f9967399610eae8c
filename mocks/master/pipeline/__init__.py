"""Running pipeline jobs' Groovy in the embedded master (docs/promise.md)."""

from mocks.master.pipeline.executor import PipelineExecutor, install
from mocks.master.pipeline.runtime import GroovyRuntime, RuntimeStopped

__all__ = ["GroovyRuntime", "PipelineExecutor", "RuntimeStopped", "install"]
