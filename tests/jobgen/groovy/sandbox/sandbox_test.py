"""jobgen's sandbox refuses what Jenkins' script-security refuses, with Jenkins' message.

Every case is a pipeline script run on the embedded master's pipeline runtime
(one JVM for the module, the sandbox on, `build` answered by a stub). The
expected messages are script-security's: "Scripts not permitted to use " + type
+ " " + signature (RejectedAccessException.java:46-48), signatures printed by
StaticWhitelist.rejectMethod/rejectNew/rejectStaticMethod/rejectField
(StaticWhitelist.java:241-268), names by EnumeratingWhitelist.getName (:118-125).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jobgen.master.pipeline.runtime import GroovyRuntime
from tests.pipeline_runtime import finished, pipeline_runtime, run_pipeline

RunWrapper = "org.jenkinsci.plugins.workflow.support.steps.build.RunWrapper"
DGM = "org.codehaus.groovy.runtime.DefaultGroovyMethods"


@pytest.fixture(scope="module")
def runtime() -> Iterator[GroovyRuntime]:
    with pipeline_runtime() as started:
        yield started


def run(runtime: GroovyRuntime, script: str, **env: str) -> dict[str, Any]:
    """The script as build #1 of `t`, parameter P set, every downstream build failing."""
    return run_pipeline(runtime, script, finished("FAILURE"), {"P": "p-value"}, **env)


def refused(runtime: GroovyRuntime, script: str, **env: str) -> str:
    """The signature the sandbox refused (the run must have failed on it)."""
    answer = run(runtime, script, **env)
    error = str(answer.get("error"))
    prefix = "org.jenkinsci.plugins.scriptsecurity.sandbox.RejectedAccessException: "
    assert answer["result"] == "FAILURE" and error.startswith(prefix), answer
    message = error.removeprefix(prefix)
    assert message.startswith("Scripts not permitted to use ")
    return message.removeprefix("Scripts not permitted to use ")


# ---- one test per rule --------------------------------------------------------------


def test_a_method_outside_the_whitelist(runtime: GroovyRuntime) -> None:
    assert (
        refused(runtime, "'x'.getClass().getClassLoader()")
        == "method java.lang.Class getClassLoader"
    )


def test_a_static_method_outside_the_whitelist(runtime: GroovyRuntime) -> None:
    signature = refused(runtime, "System.getProperty('user.home')")
    assert signature == "staticMethod java.lang.System getProperty java.lang.String"


def test_a_constructor_outside_the_whitelist(runtime: GroovyRuntime) -> None:
    signature = refused(runtime, "new ProcessBuilder(['id']).start()")
    assert signature == "new java.lang.ProcessBuilder java.util.List"


def test_properties_are_checked_as_their_getters_setters_and_fields(runtime: GroovyRuntime) -> None:
    # onGetProperty/onSetProperty: getter, then field; a static field on a class.
    assert refused(runtime, "'x'.class.classLoader") == "method java.lang.Class getClassLoader"
    assert refused(runtime, "currentBuild.number = 5") == f"method {RunWrapper} setNumber int"
    assert refused(runtime, "System.out.println('x')") == "staticField java.lang.System out"


def test_execute_runs_no_process(runtime: GroovyRuntime) -> None:
    # blacklist:91 (Groovy 2.4.21 keeps String.execute() in DefaultGroovyMethods)
    assert refused(runtime, "'id'.execute().text") == f"staticMethod {DGM} execute java.lang.String"


def test_new_file_reads_nothing(runtime: GroovyRuntime) -> None:
    # blacklist:25; the implicit cast `File f = [...]` is the same constructor (preCheckedCast)
    assert refused(runtime, "new File('/etc/passwd').text") == "new java.io.File java.lang.String"
    assert (
        refused(runtime, "File f = ['/etc/passwd']\nf.text") == "new java.io.File java.lang.String"
    )
    assert refused(runtime, "(['/etc/passwd'] as File).text") == "new java.io.File java.lang.String"


def test_the_environment_of_the_master_is_not_readable(runtime: GroovyRuntime) -> None:
    # blacklist:68-69
    assert (
        refused(runtime, "System.getenv('HOME')")
        == "staticMethod java.lang.System getenv java.lang.String"
    )
    assert refused(runtime, "System.getenv()") == "staticMethod java.lang.System getenv"


def test_the_masters_token_and_home_files_are_out_of_reach(runtime: GroovyRuntime) -> None:
    # JENKINS_HOME holds the users and their tokens: a path from env is still a File.
    home = "new File(env.JENKINS_HOME, 'users/admin/config.xml').text"
    assert refused(runtime, home, JENKINS_HOME="/var/jenkins") == (
        "new java.io.File java.lang.String java.lang.String"
    )
    assert (
        refused(runtime, "Thread.currentThread()") == "staticMethod java.lang.Thread currentThread"
    )


def test_class_for_name_loads_nothing(runtime: GroovyRuntime) -> None:
    signature = refused(runtime, "Class.forName('java.lang.Runtime')")
    assert signature == "staticMethod java.lang.Class forName java.lang.String"
    # Reached through any class object, it is still Class.forName (Checker.checkedCall).
    assert refused(runtime, "String.forName('java.lang.Runtime')") == signature


def test_metaclass_tricks_are_refused(runtime: GroovyRuntime) -> None:
    assert refused(runtime, "String.metaClass.foo = { -> 1 }") == (
        f"staticMethod {DGM} getMetaClass java.lang.Class"
    )
    assert refused(runtime, "[].metaClass") == f"staticMethod {DGM} getMetaClass java.lang.Object"
    assert refused(runtime, "'x'.invokeMethod('execute', null)") == (
        f"staticMethod {DGM} invokeMethod java.lang.Object java.lang.String java.lang.Object"
    )


def test_grab_is_refused_before_it_downloads(runtime: GroovyRuntime) -> None:
    # RejectASTTransformsCustomizer.java:52-54,96
    answer = run(
        runtime,
        "@Grab('commons-io:commons-io:2.6')\nimport org.apache.commons.io.FileUtils\necho 'x'",
    )
    assert answer["result"] == "FAILURE"
    assert "Annotation Grab cannot be used in the sandbox." in str(answer["error"])


def test_evaluate_runs_its_text_in_the_sandbox(runtime: GroovyRuntime) -> None:
    # CpsWhitelist.java:40-44: evaluate is allowed; what it evaluates is sandboxed too.
    answer = run(runtime, "echo(String.valueOf(evaluate('6 * 7')))")
    assert (answer["result"], answer["log"]) == ("SUCCESS", ["42"])
    assert (
        refused(runtime, "evaluate(\"new File('/etc/passwd').text\")")
        == "new java.io.File java.lang.String"
    )


def test_the_result_of_a_failed_build_is_not_readable_from_the_exception(
    runtime: GroovyRuntime,
) -> None:
    # The old generated failure path: FlowInterruptedException.getResult is not whitelisted
    # (FlowInterruptedException.java:91 has no @Whitelisted; no whitelist line names it).
    script = (
        "try {\n  build(job: 'down')\n} catch (e) {\n"
        "  if (e instanceof InterruptedException) { echo(e.result.toString()) }\n  throw e\n}\n"
    )
    assert refused(runtime, script) == (
        "method org.jenkinsci.plugins.workflow.steps.FlowInterruptedException getResult"
    )


def test_a_refusal_is_logged_as_jenkins_logs_it(runtime: GroovyRuntime) -> None:
    # ScriptApprovalNote.java:56 and its message (scripts/Messages.properties:4)
    answer = run(runtime, "echo 'before'\nSystem.getenv('HOME')")
    assert answer["log"][:2] == [
        "before",
        "Scripts not permitted to use staticMethod java.lang.System getenv java.lang.String. "
        "Administrators can decide whether to approve or reject this signature.",
    ]


def test_a_class_of_the_script_cannot_borrow_a_refused_parent(
    runtime: GroovyRuntime, tmp_path: Path
) -> None:
    # groovy-sandbox checks super(...) and super.x() (Checker.checkedSuperConstructor,
    # SandboxInterceptor.java:390-399): extending a class does not open its members.
    target = tmp_path / "opened"
    script = f"class O extends FileOutputStream {{ O() {{ super('{target}') }} }}\nnew O()"
    assert refused(runtime, script) == "new java.io.FileOutputStream java.io.File"
    assert not target.exists()
    script = (
        "class X extends Exception {\n  X() { super('x') }\n"
        "  def wipe() { super.setStackTrace(new StackTraceElement[0]) }\n}\nnew X().wipe()"
    )
    assert refused(runtime, script) == (
        "method java.lang.Throwable setStackTrace java.lang.StackTraceElement[]"
    )


def test_a_method_pointer_is_checked_when_called(runtime: GroovyRuntime) -> None:
    # SandboxTransformer.java:569-577: a method pointer is checked as the call it makes.
    answer = run(runtime, "def twice(x) { x * 2 }\necho([1, 2].collect(this.&twice).join(','))")
    assert (answer["error"], answer["log"]) == (None, ["2,4"])
    assert refused(runtime, "def run = 'id'.&execute\nrun()") == (
        f"staticMethod {DGM} execute java.lang.String"
    )


def test_env_is_read_by_name_not_by_subscript(runtime: GroovyRuntime) -> None:
    # CpsWhitelist.java:72-77 allows EnvActionImpl's getProperty/setProperty; env[x] is Groovy's
    # getAt(Object, String), blacklisted (blacklist:102).
    answer = run(runtime, "env.A = 'a'\necho(env.A + env.getProperty('A') + env.JOB_NAME)")
    assert (answer["error"], answer["log"]) == (None, ["aat"])
    assert refused(runtime, "echo(env['A'])") == (
        f"staticMethod {DGM} getAt java.lang.Object java.lang.String"
    )


# ---- what stays allowed -----------------------------------------------------------


def test_steps_globals_and_the_language_core_are_allowed(runtime: GroovyRuntime) -> None:
    script = """
def r = build(job: 'down', propagate: false)
def names = [' a ', 'b'].collect { it.trim().toUpperCase() }.join(',')
def m = [k: 1]
m.j = 2
m['i'] = 3
env.EXTRA = 'e'
currentBuild.description = 'd'
echo(groovy.json.JsonOutput.toJson([r: r.result, names: names, sum: m.k + m.j + m.i,
    p: params.P, e: env.EXTRA, n: currentBuild.number, full: r.fullProjectName]))
"""
    answer = run(runtime, script)
    assert answer["error"] is None, answer
    assert answer["log"][-1] == (
        '{"r":"FAILURE","names":"A,B","sum":6,"p":"p-value","e":"e","n":1,"full":"down"}'
    )


def test_the_scripts_own_methods_classes_and_closures_are_allowed(runtime: GroovyRuntime) -> None:
    # GroovyClassLoaderWhitelist.java:36-48: what the script's class loader defined.
    script = """
class Counter {
    int n = 0
    def add(int k) { n += k; return this }
}
def twice(x) { x * 2 }
def c = { a -> twice(a) + 1 }
echo(String.valueOf(new Counter().add(c(3)).add(1).n))
"""
    answer = run(runtime, script)
    assert (answer["error"], answer["log"]) == (None, ["8"])


def test_json_of_an_arbitrary_object_is_refused(runtime: GroovyRuntime) -> None:
    # blacklist:3: JsonOutput.toJson(Object) is not allowed, toJson(Map) is (generic-whitelist:13).
    assert refused(runtime, "groovy.json.JsonOutput.toJson(currentBuild)") == (
        "staticMethod groovy.json.JsonOutput toJson java.lang.Object"
    )
