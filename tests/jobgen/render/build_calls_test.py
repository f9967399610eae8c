"""An orchestration's phases, each way its calls can be written, byte for byte.

The expected text is what jobgen wrote before the guards and the assign macro moved
into build_calls.py (orchestration.groovy.j2): every branch of the phase loop once.
"""

import dataclasses
from pathlib import Path

from jobgen.diagnostics import SourcePos
from jobgen.plan.model import Job
from jobgen.plan.specs import (
    AlertCheck,
    Arg,
    BuildCall,
    GeneratedScript,
    Notify,
    Param,
    Phase,
    PipelineSpec,
    Retention,
    VersionLookup,
)
from jobgen.render.build_calls import groovy_literal, guards
from jobgen.render.escape import groovy_string
from jobgen.render.renderer import _groovy_body, _References
from jobgen.render.templates import render_template

EXPECTED = Path(__file__).with_name("build_calls_orchestration.groovy")
POS = SourcePos("components/app.yaml", 1, 1)
GIT = Arg("GIT_HASH", "git_hash")


def _call(target: str, *args: Arg, branch: str = "", stable: bool = False) -> BuildCall:
    return BuildCall(target, (GIT, *args), branch, stable)


def _phases() -> tuple[Phase, ...]:
    at = (VersionLookup("lib", "LIB_VERSION", "lib/lib-qa-release"),)
    both = (*at, VersionLookup("db", "DB_VERSION", "db/db-qa-release"))
    version = Arg("GIT_HASH", "version", "lib")
    return (
        # one call, always run; records its build for later phases
        Phase("build", (_call("app-build"),), POS, record="build"),
        # several calls, none guarded, after an approval
        Phase(
            "test",
            (
                _call("app-test", Arg("N", "build_number", "build"), branch="unit"),
                _call("app-lint", Arg("MODE", "literal", "it's"), branch="lint"),
            ),
            POS,
            approval="ops",
            approval_message="Go?",
        ),
        # one call guarded by a version another component runs at
        Phase(
            "integration: one",
            (BuildCall("lib-release", (version,), "lib", True),),
            POS,
            integration=True,
            needs=(("HEROKU_APP", "where it deploys"),),
            lookups=at,
        ),
        # several calls, each run only when its component's version was given
        Phase(
            "integration: present",
            (
                BuildCall("lib-release", (version,), "lib", True),
                BuildCall("db-release", (Arg("P", "param", "HEROKU_APP"),), "db", True),
            ),
            POS,
            integration=True,
            lookups=both,
            given_only=True,
        ),
        # several calls, one guarded, then alerts on the first
        Phase(
            "mixed",
            (
                _call("app-stage", branch="stage"),
                BuildCall("lib-release", (version,), "lib", True),
            ),
            POS,
            alerts=(AlertCheck("app-stage", "metrics.json", "p95", ">", "2.5", "hook", "slow"),),
            lookups=at,
        ),
    )


def test_every_kind_of_phase_is_written_as_before():
    script = GeneratedScript("app", "https://x/app.git", "main", "linux", _phases(), None)
    script_notify = dataclasses.replace(script, notify=Notify(("failure",), ("a@b",), None))
    names = ["app", "app-build", "app-test", "app-lint", "app-stage", "lib-release", "db-release"]
    full = {n: f"{n.split('-')[0]}/{n}-v1" for n in names}
    full |= {"lib-release": "lib/lib-release", "db-release": "db/db-release"}
    texts = []
    for each in (script, script_notify):
        params = (Param("HEROKU_APP", required=True), Param("LIB_VERSION"))
        spec = PipelineSpec("d", params, Retention(1, 2), each)
        job = Job("app", "app", "orchestration", "app", "pipeline.xml.j2", (), POS, spec=spec)
        texts.append(_groovy_body(job, spec, _References(job, full)))
    assert "\n".join(texts) == EXPECTED.read_text(encoding="utf-8")


HOSTILE = "it's \\ ${x}\n\u00e9\u2028"


def test_each_call_is_guarded_by_its_own_component_on_hostile_names():
    # A presence phase: each call runs only when its component's version was given, under
    # the parameter of that component's first lookup, whatever the names hold.
    lookups = (
        VersionLookup(HOSTILE, "P'1", "a/rel"),
        VersionLookup("db", "DB\\V", "db/rel"),
        VersionLookup(HOSTILE, "LATER", "a/other"),
    )
    version = Arg("GIT_HASH", "version", HOSTILE)
    calls = (
        BuildCall("db-release", (Arg("GIT_HASH", "version", "db"),), "db", True),
        BuildCall("a-release", (version,), HOSTILE, True),
    )
    given = Phase("p", calls, POS, integration=True, lookups=lookups, given_only=True)
    assert guards(given) == ["params['DB\\\\V']", "params['P\\'1']"]
    # Otherwise a call at another component's version runs when that one runs here.
    found = dataclasses.replace(given, given_only=False, calls=(*calls, _call("plain")))
    escaped = "'it\\'s \\\\ ${x}\\n\u00e9\u2028'"  # U+2028 is no control character
    assert guards(found) == ["jobgenVersions['db']", f"jobgenVersions[{escaped}]", ""]


def test_a_groovy_literal_from_the_cache_is_the_escaped_literal_of_that_very_value():
    # Values that differ only in what escaping changes: each must get its own literal,
    # the first time and the next (from the cache), in build calls and in templates.
    values = ["a'b", "a\\'b", "a\\\\'b", "${x}", "$\\{x}", "a\nb", "a\\nb", "\u00e9", "e\u0301", ""]
    for value in [*values, *values]:
        expected = groovy_string(value)
        assert groovy_literal(value) == expected
        assert render_template("required.groovy.j2", required=[value]).count(expected) == 1
    assert len({groovy_literal(v) for v in values}) == len(values)
