// jobgen test driver: runs many scenarios in one JVM.
// Usage: groovy driver.groovy INPUT.json OUTPUT.json
// INPUT: {"threads": n, "timeout": seconds, "sandbox": class path of jobgen's sandbox, "whitelist": FILE,
//         "support": support.groovy, "libraries": {name: {src, vars, resources}},
//         "scripts": {key: {"text": compiled test-mode script, "first": l, "last": l, "sandbox": l,
//                           "libraries": [@Library names], "loads": [library('x') names]}},
//         "scenarios": [{"id": ..., "script": key, "scenario": {job, params, answers, names}}]}
// OUTPUT: a list, one entry per scenario in input order: {"id", "result", "calls",
//         "reports", "registrations", "error": {kind, message, line} | null, "log"}.
// Each script is parsed once (its classes are shared); every scenario gets a
// fresh Script instance and Binding, so nothing recorded leaks between them.
// Lines from "sandbox" to "last" (the common library and the job's body) are
// compiled under jobgen's sandbox (Jenkins' rules); the mocks before them are not.
import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import java.util.concurrent.Callable
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.ThreadFactory
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException
import org.codehaus.groovy.control.CompilerConfiguration
import org.codehaus.groovy.control.MultipleCompilationErrorsException
import org.codehaus.groovy.control.messages.ExceptionMessage
import org.codehaus.groovy.control.messages.SyntaxErrorMessage
import org.codehaus.groovy.runtime.InvokerHelper

Map input = new JsonSlurper().parse(new File(args[0]), 'UTF-8')
ClassLoader scriptsParent = this.class.classLoader
CompilerConfiguration config = new CompilerConfiguration()
Class sandboxRules = null
sandboxChecks = null  // the checker class, read by runOne (a binding variable)
if (input.sandbox) {
    GroovyClassLoader tools = new GroovyClassLoader(this.class.classLoader)
    tools.addClasspath(input.sandbox as String)
    Class sandbox = tools.loadClass('JobgenSandboxCompiler')
    sandbox.start(new File(input.whitelist as String))
    sandbox.sandbox(config)
    sandboxChecks = tools.loadClass('JobgenSandbox')
    sandboxRules = tools.loadClass('JobgenSandboxRules')
    input.scripts.eachWithIndex { key, script, i ->
        sandbox.lines("JobgenScript${i + 1}.groovy".toString(), (script.sandbox ?: script.first) as int, script.last as int)
    }
    scriptsParent = tools
}
// Jenkins' imports (@NonCPS, @Library) and shared libraries: support.groovy.
GroovyClassLoader supportLoader = new GroovyClassLoader(scriptsParent)
supportLoader.parseClass(new File(input.support))
def support = supportLoader.loadClass('JobgenSupport').newInstance(supportLoader, config, input.libraries ?: [:])
support.trustLibraries(sandboxRules)
if (input.classes) { support.compileShared(input.classes as String) }  // the mocks' classes, once

Map compileError(MultipleCompilationErrorsException e, int first, int last) {
    def message = e.errorCollector.getError(0)
    if (message instanceof SyntaxErrorMessage) {
        def cause = message.cause
        // Outside the body (an unclosed bracket found in the epilogue): no line to point at.
        boolean inBody = cause.line >= first && cause.line <= last
        return [kind: 'compile', message: cause.originalMessage, line: inBody ? cause.line - first + 1 : null]
    }
    if (message instanceof ExceptionMessage && message.cause instanceof SecurityException) {
        return [kind: 'rejected', message: message.cause.message, line: null]  // @Grab and the like
    }
    return [kind: 'compile', message: e.message, line: null]
}

Map runOne(Map entry, Map scripts, Map compiling) {
    // Waits for its script's compilation, which was queued before every scenario.
    Map made = entry.script == null || compiling[entry.script] == null ? [:] : compiling[entry.script].get()
    def target = made.target
    Map script = entry.script == null ? null : scripts[entry.script]
    if (target == null) {
        return [result: null, calls: [], reports: [], registrations: [], log: [],
                error: [kind: 'internal', message: 'no such job', line: null]]
    }
    if (target instanceof Map) {
        return [result: null, calls: [], reports: [], registrations: [], error: target, log: []]
    }
    Map scenario = new LinkedHashMap(entry.scenario)
    scenario.bodyFirstLine = script.first
    scenario.bodyLastLine = script.last
    scenario.putAll(made.loaded ?: [:])
    Binding binding = new Binding([jobgenScenario: scenario])
    Throwable failure = null
    sandboxChecks?.takeRejected()  // the pool thread's last scenario is not this one
    try {
        InvokerHelper.createScript(target, binding).run()
    } catch (Throwable t) {
        failure = t
    }
    // A refused call fails the scenario even if the job caught it (Jenkins asks an administrator).
    Throwable rejected = sandboxChecks?.takeRejected()
    if (rejected != null) { failure = rejected }
    def state = binding.variables.__jobgen
    if (state == null) {
        return [result: null, calls: [], reports: [], registrations: [], log: [],
                error: [kind: 'internal', message: "the test-mode prelude did not run: ${failure}".toString(), line: null]]
    }
    return state.finish(failure)
}

int threads = Math.max(1, (input.threads ?: Runtime.runtime.availableProcessors()) as int)
ExecutorService pool = Executors.newFixedThreadPool(threads, { Runnable r ->
    Thread t = new Thread(r)
    t.daemon = true  // a runaway scenario must not keep the JVM alive after its timeout
    return t
} as ThreadFactory)
long timeout = (input.timeout ?: 30) as long
// Scripts compile one at a time on their own thread (the sandbox's transformer is
// shared), overlapping the runs of scripts already compiled; a scenario waits for its own.
ExecutorService compiler = Executors.newSingleThreadExecutor({ Runnable r ->
    Thread t = new Thread(r)
    t.daemon = true
    return t
} as ThreadFactory)
Map compiling = [:]
int n = 0
input.scripts.each { key, script ->
    int number = ++n
    compiling[key] = compiler.submit({
        Map made = support.compileScript(script, "JobgenScript${number}.groovy".toString())
        if (made.error instanceof MultipleCompilationErrorsException) {
            made.target = compileError(made.error, script.first as int, script.last as int)
        }
        return made
    } as Callable)
}
List futures = input.scenarios.collect { entry ->
    pool.submit({ runOne(entry, input.scripts, compiling) } as Callable)
}
List results = []
input.scenarios.eachWithIndex { entry, i ->
    Map outcome
    try {
        outcome = futures[i].get(timeout, TimeUnit.SECONDS)
    } catch (TimeoutException e) {
        futures[i].cancel(true)
        outcome = [result: null, calls: [], reports: [], registrations: [], log: [],
                   error: [kind: 'timeout', message: "no result after ${timeout} s (an endless loop?)".toString(), line: null]]
    } catch (Throwable t) {
        outcome = [result: null, calls: [], reports: [], registrations: [], log: [],
                   error: [kind: 'internal', message: t.toString(), line: null]]
    }
    results << ([id: entry.id] + outcome)
}
new File(args[1]).withWriter('UTF-8') { it << JsonOutput.toJson(results) }
pool.shutdownNow()
System.exit(0)
