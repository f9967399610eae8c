"""Every Groovy jobgen generates calls only what script-security's stock whitelists allow.

A static check over the compiled scripts of the example repository (every
orchestration, alias, self-deploy job and the resolver), not a sandbox: each
member read or call must be one of the signatures below, each named with the
whitelist entry or @Whitelisted getter that allows it (docs/jenkins-facts.md,
`## realjobs`). The `sandbox` helper's runtime test runs the same scripts.
"""

from __future__ import annotations

import re

import pytest
from lxml import etree

from jobgen.load.loader import load
from jobgen.plan.groovy_tokens import Token, tokenize
from jobgen.plan.planner import plan
from jobgen.plan.specs import HandScript, PipelineSpec
from jobgen.render.plugins import STEP_PLUGINS
from jobgen.render.renderer import render
from jobgen.render.rewrite import RESOLVER
from jobgen.render.templates import render_template
from tests.jobgen.render.renderer_test import fixed_versions
from tests.repos import EXAMPLES

# member -> what allows it (script-security generic-whitelist at a5f0130, workflow-support
# RunWrapper.java at 3ea0255). A new member needs its fact here and in docs/jenkins-facts.md.
ALLOWED_MEMBERS = {
    "result": "RunWrapper.getResult/setResult @Whitelisted (RunWrapper.java:95,182)",
    "currentResult": "RunWrapper.getCurrentResult @Whitelisted (RunWrapper.java:188)",
    "previousBuild": "RunWrapper.getPreviousBuild @Whitelisted (RunWrapper.java:264)",
    "fullDisplayName": "RunWrapper.getFullDisplayName @Whitelisted (RunWrapper.java:244)",
    "number": "RunWrapper.getNumber @Whitelisted (RunWrapper.java:134)",
    "buildVariables": "RunWrapper.getBuildVariables @Whitelisted (RunWrapper.java:300,330)",
    "description": "RunWrapper.setDescription @Whitelisted (RunWrapper.java:103)",
    "message": "method java.lang.Throwable getMessage (generic-whitelist:304)",
    "trim": "method java.lang.String trim (generic-whitelist:283)",
    "toLowerCase": "method java.lang.String toLowerCase (generic-whitelist:279)",
    "toString": "method java.lang.Object toString (generic-whitelist:224)",
    "contains": "method java.util.Collection contains java.lang.Object (generic-whitelist:632)",
    "indexOf": "method java.util.List indexOf java.lang.Object (generic-whitelist:726)",
    "keySet": "method java.util.Map keySet (generic-whitelist:755)",
    "get": "method java.util.Map get java.lang.Object (generic-whitelist:752)",
    "join": "staticMethod DefaultGroovyMethods join java.lang.Iterable java.lang.String (:1062)",
    "collect": "staticMethod DefaultGroovyMethods collect java.util.Map groovy.lang.Closure (:919)",
    "toJson": "staticMethod groovy.json.JsonOutput toJson java.util.Map (generic-whitelist:13)",
}
# `params.X` reads a Map (SandboxInterceptor.onGetProperty lets Map keys through); `env.X`
# reads and writes EnvActionImpl (CpsWhitelist.java:72-75).
OPEN_RECEIVERS = {"params", "env", "buildVariables"}  # buildVariables: a Map (lifecycle)
QUALIFIED = ("groovy", ".", "json", ".", "JsonOutput")
# On a caught exception only Throwable.getMessage and Object.toString are whitelisted (the
# sandbox looks a call up in the most general supertype: GroovyCallSiteSelector.java:145-160);
# FlowInterruptedException.getResult() is not (FlowInterruptedException.java:91, no @Whitelisted).
ON_CAUGHT = {"message", "toString"}
# Not steps: Groovy keywords and builtins that compile to no sandboxed call.
KEYWORDS = {"if", "for", "while", "catch", "switch", "return", "def", "String", "Map", "println"}
SYMBOLS = {
    "string",  # StringParameterValue / StringBinding symbols inside build and withCredentials
    "lastSuccessful",  # copyartifact StatusBuildSelector @Symbol (StatusBuildSelector.java:74)
}


def _scripts() -> tuple[dict[str, str], set[str]]:
    planned = plan(load([EXAMPLES]).repo, target="qa-qa").plan
    artifacts = render(fixed_versions(planned), owner="jobs-repo")
    scripts = {job.full_name: job.groovy for job in artifacts.jobs if job.groovy}
    hand = {
        job.full_name
        for job in artifacts.jobs
        if isinstance(job.job.spec, PipelineSpec) and isinstance(job.job.spec.script, HandScript)
    }
    for alias in artifacts.aliases:
        script = etree.fromstring(alias.config_xml).findtext("definition/script")
        if script is not None:  # a stable watcher is a freestyle job: no script
            scripts[alias.full_name] = script
    scripts["resolver"] = render_template(
        "resolver.groovy.j2", resolver=RESOLVER, names=[("a", "a-v1-abc1234")]
    )
    return scripts, hand


SCRIPTS, HAND_WRITTEN = _scripts()


def _code_tokens(text: str) -> list[Token]:
    """The tokens of the code, and of the code inside every `${...}` of a GString."""
    tokens = list(tokenize(text))
    inner = [
        t
        for token in tokens
        if token.kind == "string" and token.interpolated
        for expr in re.findall(r"\$\{([^}]*)\}", text[token.inner[0] : token.inner[1]])
        for t in tokenize(expr)
    ]
    return tokens + inner


def problems(text: str) -> list[str]:
    """Each call or member read of `text` that the stock whitelists do not allow."""
    tokens = _code_tokens(text)
    texts = [t.text for t in tokens]
    # Methods the script defines, and the closures it is given (`Closure body`: CpsClosure calls).
    defined = {texts[i + 1] for i, t in enumerate(texts[:-1]) if t in ("def", "Closure")}
    caught = {texts[i + 2] for i, t in enumerate(texts[:-2]) if t == "catch"}
    found = []
    for i, token in enumerate(tokens):
        if token.kind != "ident":
            continue
        before = texts[i - 1] if i else ""
        after = texts[i + 1] if i + 1 < len(texts) else ""
        receiver = texts[i - 2] if i > 1 else ""
        if token.text == "new":
            found.append(f"new {after}: constructors need their own whitelist entry")
        elif before in (".", "?."):
            if tuple(texts[i - 4 : i + 1]) == QUALIFIED or receiver in OPEN_RECEIVERS:
                continue
            if receiver in caught and token.text not in ON_CAUGHT:
                found.append(
                    f"{receiver}.{token.text}: only getMessage and toString are whitelisted"
                    " on a caught exception"
                )
            elif token.text not in ALLOWED_MEMBERS and texts[i - 2 : i] != ["groovy", "."]:
                found.append(f"{receiver}.{token.text}: not in the stock whitelists")
        elif after == "(" and before not in ("def", "new"):
            name = token.text
            if name not in STEP_PLUGINS and name not in defined | KEYWORDS | SYMBOLS:
                found.append(f"{name}(): neither a step, a symbol nor a method of the script")
    return found


def build_calls_without_propagate(text: str) -> list[str]:
    """Each `build(...)` that would throw on a failed downstream build instead of returning it."""
    tokens = [t.text for t in tokenize(text)]
    bad = []
    for i, token in enumerate(tokens):
        if token != "build" or i + 1 >= len(tokens) or tokens[i + 1] != "(":
            continue
        if i and tokens[i - 1] == "def":
            continue
        depth, j = 0, i + 1
        args = []
        while j < len(tokens):
            depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(tokens[j], 0)
            args.append(tokens[j])
            if depth == 0:
                break
            j += 1
        flat = " ".join(args)
        if "propagate : false" not in flat and "wait : false" not in flat:
            bad.append(flat[:120])
    return bad


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_every_generated_script_calls_only_whitelisted_signatures(name: str) -> None:
    assert problems(SCRIPTS[name]) == []


@pytest.mark.parametrize("name", sorted(set(SCRIPTS) - HAND_WRITTEN))
def test_downstream_results_are_read_from_the_run_wrapper(name: str) -> None:
    # pipeline-build-step BuildTriggerListener.java:68-76: with propagate (the default) a
    # failed build arrives as FlowInterruptedException; with propagate: false as a RunWrapper.
    assert build_calls_without_propagate(SCRIPTS[name]) == []


def test_the_old_failure_path_is_caught_by_the_check() -> None:
    old = (
        "try { build(job: 'x') } catch (e) {\n"
        "    jobgenResult = e.result.toString() == 'ABORTED' ? 'ABORTED' : 'FAILURE'\n}"
    )
    assert problems(old) == [
        "e.result: only getMessage and toString are whitelisted on a caught exception",
    ]
    assert build_calls_without_propagate(old) == ["( job : 'x' )"]
    assert problems("def f = new File('/etc/passwd')") == [
        "new File: constructors need their own whitelist entry"
    ]
    assert problems("def x = 'ls'.execute()") == ["'ls'.execute: not in the stock whitelists"]


def test_the_checked_scripts_cover_every_generated_kind() -> None:
    text = "\n".join(SCRIPTS.values())
    for shape in (
        "propagate: false",  # orchestrations and aliases
        "mail(",  # notify
        "httpRequest(",  # webhook and promise
        "input(",  # approval
        "INTEGRATION",  # the integration phase
        "gitUsernamePassword(",  # repo_credentials
        "jobgen diff",  # self-deploy
        RESOLVER,
    ):
        assert shape in text, shape
