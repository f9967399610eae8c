"""The Jinja2 environments templates render in, with the safety switches on.

XML templates autoescape, and a carriage return becomes `&#13;` because an
XML parser would otherwise fold it into a newline. Groovy and shell templates
do not autoescape; values go into them only through the `groovy` and `sh`
filters (jobgen.render.escape). StrictUndefined turns a misspelt variable
into an error instead of "".
"""

from __future__ import annotations

import contextlib
from collections.abc import MutableMapping
from functools import cache, lru_cache
from typing import Any

import jinja2
import jinja2.bccache
from markupsafe import Markup, escape

from jobgen.plan.inputs import TEMPLATES
from jobgen.plan.specs import Param, Retention, VersionLookup
from jobgen.render.build_calls import assign, build_call, groovy_literal
from jobgen.render.escape import comment_text, shell_word, variable_name


def _xml_value(value: object) -> object:
    """What autoescaping then escapes: `value` itself, but a carriage return as `&#13;`.

    Jinja escapes whatever this returns, so only a string with a carriage return is
    escaped here (and marked safe); every other value is escaped once, by Jinja alone
    (hundreds of thousands of values a build).
    """
    if isinstance(value, Markup) or not isinstance(value, str) or "\r" not in value:
        return value
    return Markup(str(escape(value)).replace("\r", "&#13;"))


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Templates compiled once per user, not once per process (a tenth of a second of
    every command that renders, twice in a cold compile's two renderers).

    Jinja's own per-user folder in the temp dir (`_jinja2-cache-<uid>`): made 0700 and
    refused unless this user owns it with that mode; each entry is keyed by its
    template's source checksum and written to a temporary file first. Never in the
    jobs repository: a clone could carry a forged entry, and its bytecode would run.
    """

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        # A full or read-only temp dir: the template is compiled again next time.
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    try:
        return _CompiledTemplates()
    except (OSError, RuntimeError):  # no private temp folder to be had: compile each time
        return None


class _Environment(jinja2.Environment):
    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._loaded: dict[str, jinja2.Template] = {}

    def template(self, name: str) -> jinja2.Template:
        """`get_template` without its lookup in Jinja's locked LRU cache (templates never
        reload: auto_reload is off), 37,000 renders a cold compile of 1000 components."""
        found = self._loaded.get(name)
        if found is None:
            found = self._loaded[name] = self.get_template(name)
        return found

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals as one plain dict, not Jinja's ChainMap over the environment's.

        Every render, macro call and include copies them into a new context, and a
        ChainMap is copied key by key in Python: a tenth of each render. The environment's
        globals are all set before its first template loads (`environment`).
        """
        return {**self.globals, **(d or {})}


@cache
def environment(xml: bool) -> _Environment:
    """The shared template environment for XML (autoescaped) or for text (Groovy, shell)."""
    env = _Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=xml,
        finalize=_xml_value if xml else None,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["groovy"] = groovy_literal
    env.filters["sh"] = shell_word
    env.filters["comment"] = comment_text
    env.filters["var"] = variable_name
    # Filters, not globals: a filter is called straight, a global through Jinja's Context.call
    # (44,000 calls a cold compile of 1000 components).
    if xml:
        env.filters["parameters"] = parameters_xml
        env.filters["parameter"] = parameter_xml
        env.filters["discarder"] = discarder_xml
    else:
        env.filters["toolchain"] = toolchain_sh
        env.filters["build_call"] = build_call
        env.filters["assign"] = assign
        env.filters["version_lookup"] = version_lookup
    return env


@lru_cache(maxsize=64)
def discarder_xml(retention: Retention) -> Markup:
    """The build discarder (the `discarder` macro of macros.xml.j2), once per distinct setting.

    Every XML job has one and a repository has a handful of settings: a macro call and
    the import of its template in each of 19,000 renders cost more than its text.
    """
    macro = environment(True).template("macros.xml.j2").module.discarder  # type: ignore[attr-defined]
    return Markup(macro(retention))


# A repository has about four distinct lists a component, a job's and its stable job's
# rendered far apart (stable jobs last): 4096 entries began evicting at 1000 components.
@lru_cache(maxsize=1 << 16)
def parameters_xml(params: tuple[Param, ...]) -> Markup:
    """A job's parameter definitions (parameters.xml.j2), rendered once per distinct list.

    Jobs share their lists (an entry and its stable job, every job of a release's
    integration phase): rendered per job they were a third of each XML render. The
    text depends only on the parameters' values, so one render serves every job
    whose parameters are equal; it is already escaped XML (Markup), written as is.
    """
    return Markup(render_template("parameters.xml.j2", params=params))


# 15,500 definitions in the distinct lists of a cold compile of 1000 components, 3,000 distinct.
@lru_cache(maxsize=1 << 16)
def parameter_xml(param: Param) -> Markup:
    """One parameter's definition (parameters.xml.j2's `definition` macro), once per distinct
    parameter: most of a list's parameters are in many lists (GIT_HASH in every one)."""
    return Markup(_parameters_module(environment(True)).definition(param))


@cache
def _parameters_module(env: _Environment) -> Any:
    """parameters.xml.j2 as a module, for its macro: made once per environment (with no
    parameters, so its own text is empty)."""
    return env.template("parameters.xml.j2").make_module({"params": ()})


@lru_cache(maxsize=256)
def toolchain_sh(tool: str, version: str) -> str:
    """The lines installing and selecting one tool (toolchain/<tool>.sh.j2), once per version.

    Every worker has one or two and a repository a handful of versions: an include per
    worker cost a template lookup and a context each.
    """
    return render_template(f"toolchain/{tool}.sh.j2", version=version)


# An integration phase looks up the few components a release runs with: 7,500 lookups a cold
# compile of 1000 components, 2,000 distinct.
@lru_cache(maxsize=1 << 14)
def version_lookup(lookup: VersionLookup, release: str) -> str:
    """How an orchestration finds the commit `lookup.component` runs (versions.groovy.j2),
    rendered once per lookup and release job (its stable `<env>-release` job as the
    orchestration names it): the text depends on nothing else."""
    return render_template("versions.groovy.j2", l=lookup, release=release)


def render_template(template: str, **context: object) -> str:
    """Render one template by file name; `.xml.j2` templates autoescape."""
    xml = template.endswith(".xml.j2")
    return environment(xml).template(template).render(**context)
