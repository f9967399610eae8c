// jobgen groovy_lib (test mode): placed before every orchestration's own Groovy.
// The mock library (the talk, slide 19): every Jenkins step our jobs use is a
// method here that records the call (name + normalised arguments) and answers
// from the scenario the driver puts in the binding as `jobgenScenario`.
// State lives in one JobgenState per run, in the binding: nothing is static,
// so runs sharing these compiled classes cannot see each other's calls.

// ---- jobgen: classes begin (jobgen test compiles them once for every script) ----
class JobgenAbort extends RuntimeException {
    // hudson.AbortException: error(), a failing sh, a misused step.
    JobgenAbort(String message) { super(message) }
}

class JobgenInterrupted extends InterruptedException {
    // FlowInterruptedException (an InterruptedException, as jobs test for):
    // a downstream build that did not succeed, an aborted input.
    String result
    boolean actual  // a real interruption (abort, timeout): retry and catchError let it through
    JobgenInterrupted(String result, boolean actual, String message) {
        super(message)
        this.result = result
        this.actual = actual
    }
}

class JobgenUnmocked extends RuntimeException {
    JobgenUnmocked(String message) { super(message) }
}

class JobgenSymbol {
    // What string(...), booleanParam(...), usernamePassword(...) and friends return.
    String kind
    Map args
}

class JobgenResponse {
    int status
    String content
}

class JobgenRun {
    // RunWrapper: what build() returns, and currentBuild.
    static final List ORDER = ['SUCCESS', 'UNSTABLE', 'FAILURE', 'NOT_BUILT', 'ABORTED']
    String projectName
    int number
    String result
    String absoluteUrl
    Map buildVariables = [:]
    String description
    String displayName
    boolean current
    JobgenRun previousBuild

    static String worse(String a, String b) {
        if (a == null) { return b }
        if (b == null) { return a }
        return ORDER.indexOf(b) > ORDER.indexOf(a) ? b : a
    }

    String getCurrentResult() { result ?: 'SUCCESS' }
    String getFullProjectName() { projectName }
    String getFullDisplayName() { "${projectName} #${number}".toString() }
    String getId() { number.toString() }
    String getDisplayName() { displayName ?: "#${number}".toString() }
    boolean resultIsBetterOrEqualTo(String other) { ORDER.indexOf(currentResult) <= ORDER.indexOf(other) }
    boolean resultIsWorseOrEqualTo(String other) { ORDER.indexOf(currentResult) >= ORDER.indexOf(other) }

    void setResult(String value) {
        if (!current) { throw new JobgenAbort("setResult is allowed only on currentBuild") }
        if (!ORDER.contains(value)) { throw new IllegalArgumentException("no such result: ${value}") }
        result = worse(result, value)  // Jenkins: a build result can only get worse
    }

    static JobgenRun finished(String job, int number, String result, Map vars) {
        def run = new JobgenRun(projectName: job, number: number, buildVariables: vars,
            absoluteUrl: "http://jenkins.test/job/${job}/${number}/".toString())
        run.@result = result  // a downstream result is a fact, not a setResult() call
        return run
    }

    String toString() { "build ${projectName} #${number}".toString() }
}

class JobgenEnv {
    // env: values are Strings, unknown names read as null, assignment sets them.
    Map vars = [:]
    def propertyMissing(String name) { vars[name] }
    def propertyMissing(String name, value) { vars[name] = value == null ? null : value.toString() }
    def getAt(String name) { vars[name] }
    void putAt(String name, value) { propertyMissing(name, value) }
    Map getEnvironment() { new LinkedHashMap(vars) }
}

class JobgenState {
    Map scenario
    Map answers
    Map names
    String job
    String scriptClass
    int bodyFirst
    int bodyLast
    JobgenEnv env = new JobgenEnv()
    Map params
    JobgenRun currentBuild
    List calls = []
    List log = []
    List reports = []
    List registrations = []
    Map counters = [:]
    Map workspace = [:]
    int nodeDepth = 0
    Throwable unmocked
    JobgenCallTree tree = new JobgenCallTree()  // the calls as they nest (calltree.groovy)
    Map nonCps = [:]  // class name -> names of its @NonCPS methods (set by the driver)
    Map globals = [:] // shared-library global variables loaded in this run, by name

    JobgenState(Map scenario, Script script) {
        this.scenario = scenario
        answers = scenario.answers ?: [:]
        names = scenario.names ?: [:]
        job = scenario.job ?: 'job'
        scriptClass = script.getClass().name
        nonCps = scenario.nonCps ?: [:]
        bodyFirst = (scenario.bodyFirstLine ?: 0) as int
        bodyLast = (scenario.bodyLastLine ?: Integer.MAX_VALUE) as int
        params = Collections.unmodifiableMap(new LinkedHashMap(scenario.params ?: [:]))
        String url = "http://jenkins.test/job/${job}/1/"
        currentBuild = new JobgenRun(projectName: job, number: 1, absoluteUrl: url, current: true)
        if (answers.previousBuild) {
            // The result of the job's previous build, for `fixed` notifications and the like.
            currentBuild.previousBuild = JobgenRun.finished(job, 0, answers.previousBuild.toString(), [:])
        }
        env.vars.putAll([JOB_NAME: job, JOB_BASE_NAME: job, BUILD_NUMBER: '1', BUILD_ID: '1',
                         BUILD_URL: url, JENKINS_URL: 'http://jenkins.test/'])
        env.vars.putAll(scenario.env ?: [:])  // node and label parameters' values (jobgen/groovy/defaults.py)
    }

    // ---- recording ----

    Map record(String step, List args) {
        JobgenSignatures.check(step, args)
        JobgenNonCps.check(this, step)
        List shown = args.collect { normalise(it) }
        Map call = [(step): shown.size() == 1 ? shown[0] : shown]
        calls << call
        return tree.add(call)
    }

    def block(String step, List args, Closure body) {
        return within(record(step, args), body)
    }

    def within(Map node, Closure body) { tree.within(node, body) }


    def normalise(value) {
        if (value == null || value instanceof Boolean || value instanceof Number) { return value }
        if (value instanceof CharSequence) { return value.toString() }
        if (value instanceof Closure) { return '{...}' }
        if (value instanceof JobgenSymbol) { return [(value.kind): normalise(value.args)] }
        if (value instanceof JobgenRun) { return value.toString() }
        if (value instanceof Map) {
            Map out = [:]
            value.each { k, v -> out[k.toString()] = normalise(v) }
            return out
        }
        if (value instanceof Collection || value instanceof Object[]) { return value.collect { normalise(it) } }
        if (value instanceof Enum) { return value.name() }
        // No identity hash codes in recorded calls: golden files must not depend on the run.
        return value.toString().replaceAll(/@[0-9a-f]{4,}/, '')
    }

    String common(name) {
        String text = name?.toString()
        if (text == null) { return null }
        if (names.containsKey(text)) { return names[text] }
        String last = text.tokenize('/') ? text.tokenize('/').last() : text
        return names.containsKey(last) ? names[last] : text
    }

    // ---- answers from the scenario ----

    def answer(String step, String key, fallback) {
        Map forStep = answers[step] instanceof Map ? answers[step] : [:]
        if (!forStep.containsKey(key)) { return fallback }
        return successive("${step}:${key}".toString(), forStep[key], fallback)
    }

    def successive(String counter, value, fallback) {
        // A list answers successive calls in turn; the last answer repeats.
        if (!(value instanceof List)) { return value }
        int i = (counters[counter] ?: 0) as int
        counters[counter] = i + 1
        return value ? value[Math.min(i, value.size() - 1)] : fallback
    }

    def answerMatching(String step, String text, fallback) {
        // Exact text first, then `re:` and glob keys in the order written, then `*`.
        Map forStep = answers[step] instanceof Map ? answers[step] : [:]
        if (text != null && forStep.containsKey(text)) { return answer(step, text, fallback) }
        String key = text == null ? null : forStep.keySet().find { k ->
            JobgenMatch.isPattern(k.toString()) && JobgenMatch.matches(k.toString(), text)
        }
        return answer(step, key != null ? key.toString() : '*', fallback)
    }

    def answerAny(String step) {
        // A step the catalogue does not know, answered by the scenario: one value for
        // every call, or a list for successive calls (the last repeats).
        return successive("any:${step}".toString(), answers[step], null)
    }

    int nextNumber(String jobName) {
        String counter = "number:${jobName}".toString()
        int n = ((counters[counter] ?: 0) as int) + 1
        counters[counter] = n
        return n
    }

    void needWorkspace(String step) {
        if (nodeDepth == 0) {
            throw new JobgenAbort("Required context class hudson.FilePath is missing\n" +
                "Perhaps you forgot to surround the ${step} step with a step that provides this, such as: node")
        }
    }

    def withEnvVars(Map vars, Closure body) {
        Map saved = new LinkedHashMap(env.vars)
        vars.each { k, v -> env.propertyMissing(k.toString(), v) }
        try {
            return body()
        } finally {
            env.vars = saved
        }
    }

    // ---- the end of a run ----

    Map finish(Throwable failure) {
        String result = currentBuild.currentResult
        Map error = null
        Throwable shown = unmocked ?: failure
        if (shown != null) {
            String thrown = (shown instanceof JobgenInterrupted) ? shown.result : 'FAILURE'
            result = JobgenRun.worse(result, thrown)
            error = [kind: kindOf(shown), message: messageOf(shown)] + JobgenLibraryFrames.where(this, shown)
        }
        return [result: result, calls: calls, reports: reports, registrations: registrations,
                error: error, log: log, tree: tree.shown()]
    }

    static String kindOf(Throwable t) {
        if (t instanceof JobgenMisuse) { return t.kind }
        if (t instanceof JobgenUnmocked) { return 'unmocked' }
        if (rejected(t)) { return 'rejected' }
        if (t instanceof JobgenAbort) { return 'error' }
        if (t instanceof JobgenInterrupted) { return 'interrupted' }
        return 'exception'
    }

    static boolean rejected(Throwable t) {
        // jobgen's sandbox refused a call (by name: a script run by hand has no sandbox loaded).
        return t.getClass().name == 'JobgenSandboxRejected'
    }

    static String messageOf(Throwable t) {
        if (t instanceof JobgenUnmocked || t instanceof JobgenAbort || t instanceof JobgenInterrupted || rejected(t)) {
            return t.message
        }
        return "${t.getClass().name}: ${t.message}".toString()
    }

    static String render(value) {
        // Groovy-literal form of an argument, for the `unmocked step` message.
        if (value == null) { return 'null' }
        if (value instanceof Closure) { return '{...}' }
        if (value instanceof CharSequence) {
            String s = value.toString().replace('\\', '\\\\').replace("'", "\\'").replace('\n', '\\n')
            return "'${s}'"
        }
        if (value instanceof Map) {
            return value ? '[' + value.collect { k, v -> "${k}: ${render(v)}" }.join(', ') + ']' : '[:]'
        }
        if (value instanceof Collection || value instanceof Object[]) {
            return '[' + value.collect { render(it) }.join(', ') + ']'
        }
        if (value instanceof JobgenSymbol) {
            return "${value.kind}(" + value.args.collect { k, v -> "${k}: ${render(v)}" }.join(', ') + ')'
        }
        return value.toString().replaceAll(/@[0-9a-f]{4,}/, '')
    }

    static String renderArgs(List args) {
        List parts = []
        args.each { a ->
            if (a instanceof Map && parts.isEmpty() && a) {
                parts.addAll(a.collect { k, v -> "${k}: ${render(v)}".toString() })
            } else {
                parts << render(a)
            }
        }
        return parts.join(', ')
    }
}
// ---- jobgen: classes end ----

__jobgen = new JobgenState(binding.variables.containsKey('jobgenScenario') ? jobgenScenario : [:], this)
env = __jobgen.env
params = __jobgen.params
currentBuild = __jobgen.currentBuild
jobgenLoadStaticLibraries()  // library.groovy

// ---- a step that is not in the catalogue ----

def methodMissing(String name, args) {
    List list = args instanceof Object[] ? args.toList() : [args]
    if (__jobgen.answers.containsKey(name) && !JobgenSignatures.PARAMETERS.containsKey(name)) {
        return jobgenAnswered(name, list)
    }
    def failure = new JobgenUnmocked("unmocked step ${name}(${JobgenState.renderArgs(list)})".toString())
    if (__jobgen.unmocked == null) { __jobgen.unmocked = failure }
    throw failure
}

def jobgenAnswered(String name, List list) {
    // A step answered by the scenario (`answers: {name: value}`): recorded, its body
    // (a trailing closure) runs, and it returns the answer, or the body's value.
    Map made = __jobgen.record(name, list)
    def value = __jobgen.answerAny(name)
    if (list && list[-1] instanceof Closure) {
        def fromBody = __jobgen.within(made, list[-1])
        return value == null ? fromBody : value
    }
    return value
}

// ---- parameter and credential helpers: values, not recorded as calls ----

def string(Map args) { new JobgenSymbol(kind: 'string', args: args) }
def text(Map args) { new JobgenSymbol(kind: 'text', args: args) }
def password(Map args) { new JobgenSymbol(kind: 'password', args: args) }
def booleanParam(Map args) { new JobgenSymbol(kind: 'booleanParam', args: args) }
def usernamePassword(Map args) { new JobgenSymbol(kind: 'usernamePassword', args: args) }
def usernameColonPassword(Map args) { new JobgenSymbol(kind: 'usernameColonPassword', args: args) }
def file(Map args) { new JobgenSymbol(kind: 'file', args: args) }
def sshUserPrivateKey(Map args) { new JobgenSymbol(kind: 'sshUserPrivateKey', args: args) }
def gitUsernamePassword(Map args) { new JobgenSymbol(kind: 'gitUsernamePassword', args: args) }

// ---- structure ----

def stage(name, Closure body) {
    return __jobgen.block('stage', [name, body], body)
}

def stage(Map args, Closure body) {
    return __jobgen.block('stage', [args, body], body)
}

def node(Closure body) { jobgenNode(null, [body], body) }
def node(label, Closure body) { jobgenNode(label?.toString(), [label, body], body) }
def node(Map args, Closure body) { jobgenNode(args.label?.toString(), [args, body], body) }

def jobgenNode(String label, List recorded, Closure body) {
    Map made = __jobgen.record('node', recorded)
    __jobgen.nodeDepth++
    try {
        return __jobgen.within(made) {
            __jobgen.withEnvVars([NODE_NAME: label ?: 'built-in', EXECUTOR_NUMBER: '0',
                                  WORKSPACE: "/workspace/${__jobgen.job}".toString()], body)
        }
    } finally {
        __jobgen.nodeDepth--
    }
}

def parallel(Map branches) {
    Map made = __jobgen.record('parallel', [branches])
    made.children = []
    boolean failFast = false
    branches.each { k, v ->
        if (k == 'failFast' && v instanceof Boolean) {
            failFast = v
        } else if (!(v instanceof Closure)) {
            throw new IllegalArgumentException("Expected a closure or failFast but found ${k}=${v}")
        }
    }
    Map results = [:]
    List failures = []
    // Branches run one after another in the order written, so runs are repeatable;
    // with failFast the branches after a failure never start (Jenkins aborts them).
    for (entry in branches) {
        if (entry.key == 'failFast' || (failFast && failures)) { continue }
        try {
            Map branch = [call: [branch: entry.key.toString()], children: []]
            made.children << branch  // a branch is a level of the call tree, not a call
            results[entry.key] = __jobgen.within(branch, entry.value)
        } catch (Throwable t) {
            __jobgen.log << "Failed in branch ${entry.key}".toString()
            failures << t
        }
    }
    if (failures) { throw jobgenMostSevere(failures) }
    return results
}

def jobgenMostSevere(List failures) {
    // Jenkins: ordinary exceptions < AbortException < FlowInterruptedException by result.
    def rank = { Throwable t ->
        if (t instanceof JobgenInterrupted) { return 2 + JobgenRun.ORDER.indexOf(t.result) }
        return t instanceof JobgenAbort ? 1 : 0
    }
    def worst = failures[0]
    failures.each { if (rank(it) > rank(worst)) { worst = it } }
    failures.each { if (!it.is(worst)) { worst.addSuppressed(it) } }
    return worst
}

// ---- downstream builds ----

def build(String job) { build([job: job]) }

def build(Map args) {
    Map shown = new LinkedHashMap(args)
    String job = __jobgen.common(args.job)
    shown.job = job
    __jobgen.record('build', [shown])
    if (job == null) { throw new JobgenAbort('build: the job parameter is required') }
    if (args.wait == false) { return null }
    def answer = __jobgen.answer('build', job, 'SUCCESS')
    Map run = answer instanceof Map ? answer : [result: answer]
    int number = run.number != null ? run.number as int : __jobgen.nextNumber(job)
    String result = (run.result ?: 'SUCCESS').toString()
    def wrapper = JobgenRun.finished(job, number, result, run.buildVariables ?: [:])
    __jobgen.log << "Starting building: ${job} #${number}".toString()
    if (args.propagate != false && result != 'SUCCESS') {
        throw new JobgenInterrupted(result, false,
            "${job} #${number} completed with status ${result} (propagate: false to ignore)".toString())
    }
    return wrapper
}

// ---- steps that run a body ----

def timeout(args, Closure body) {
    return __jobgen.block('timeout', [args, body], body)
}

def retry(count, Closure body) {
    Map made = __jobgen.record('retry', [count, body])
    int times = (count instanceof Map ? count.count : count) as int
    Throwable last = null
    for (int i = 1; i <= times; i++) {
        try {
            return __jobgen.within(made, body)
        } catch (Throwable t) {
            // Jenkins retries failures, not real interruptions (abort, timeout).
            if (t instanceof JobgenUnmocked || (t instanceof JobgenInterrupted && t.actual)) { throw t }
            last = t
            if (i < times) { __jobgen.log << "Retrying".toString() }
        }
    }
    throw last
}

def withCredentials(List bindings, Closure body) {
    Map made = __jobgen.record('withCredentials', [bindings, body])
    Map vars = [:]
    // Secrets are never in a scenario: every bound variable reads as the console mask.
    bindings.each { b ->
        Map a = b instanceof JobgenSymbol ? b.args : [:]
        ['variable', 'usernameVariable', 'passwordVariable', 'keyFileVariable', 'passphraseVariable'].each {
            if (a[it]) { vars[a[it].toString()] = '****' }
        }
        // The git plugin's binding has fixed names (GitUsernamePasswordBinding: GIT_USERNAME, GIT_PASSWORD).
        if (b instanceof JobgenSymbol && b.kind == 'gitUsernamePassword') {
            vars.GIT_USERNAME = '****'
            vars.GIT_PASSWORD = '****'
        }
    }
    return __jobgen.within(made) { __jobgen.withEnvVars(vars, body) }
}

def withEnv(List pairs, Closure body) {
    Map made = __jobgen.record('withEnv', [pairs, body])
    Map vars = [:]
    pairs.each { p ->
        String s = p.toString()
        int eq = s.indexOf('=')
        if (eq > 0) { vars[s.substring(0, eq)] = s.substring(eq + 1) }
    }
    return __jobgen.within(made) { __jobgen.withEnvVars(vars, body) }
}

def catchError(Closure body) { catchError([:], body) }

def catchError(Map args, Closure body) {
    Map made = __jobgen.record('catchError', [args, body])
    try {
        __jobgen.within(made, body)
    } catch (Throwable t) {
        if (t instanceof JobgenInterrupted && t.actual && args.catchInterruptions == false) { throw t }
        String buildResult = args.containsKey('buildResult') ? args.buildResult : 'FAILURE'
        if (buildResult != null && buildResult != 'SUCCESS') { currentBuild.result = buildResult }
        if (args.message) { __jobgen.log << args.message.toString() }
    }
    return null
}

// ---- simple steps ----

def echo(message) {
    __jobgen.record('echo', [message])
    __jobgen.log << String.valueOf(message)
    return null
}

def error(message) {
    __jobgen.record('error', [message])
    throw new JobgenAbort(String.valueOf(message))
}

def unstable(message) {
    __jobgen.record('unstable', [message])
    currentBuild.result = 'UNSTABLE'
    return null
}

def mail(Map args) {
    __jobgen.record('mail', [args])
    // answers: {mail: {ADDRESS or '*': {error: why}}}: the mail server refuses, and the step
    // fails as Jenkins' MailStep does when Transport.send throws.
    def answer = __jobgen.answer('mail', args.to?.toString(), null)
    if (answer == null) { answer = __jobgen.answer('mail', '*', null) }
    if (answer instanceof Map && answer.error) { throw new JobgenAbort(answer.error.toString()) }
    return null
}

def sleep(time) {
    __jobgen.record('sleep', [time])
    return null
}

def sh(String script) { sh([script: script]) }

def sh(Map args) {
    __jobgen.record('sh', [args])
    __jobgen.needWorkspace('sh')
    // An answer keyed `*` answers every script that has no answer of its own.
    def answer = __jobgen.answerMatching('sh', args.script?.toString(), '')
    Map out = answer instanceof Map ? answer : [stdout: answer]
    int status = (out.status ?: 0) as int
    if (args.returnStatus) { return status }
    if (status != 0) { throw new JobgenAbort("script returned exit code ${status}".toString()) }
    return args.returnStdout ? (out.stdout ?: '').toString() : null
}

def archiveArtifacts(String artifacts) { archiveArtifacts([artifacts: artifacts]) }

def archiveArtifacts(Map args) {
    __jobgen.record('archiveArtifacts', [args])
    __jobgen.needWorkspace('archiveArtifacts')
    return null
}

def specific(String buildNumber) { new JobgenSymbol(kind: 'specific', args: [buildNumber: buildNumber]) }

def copyArtifacts(Map args) {
    // answers: {copyArtifacts: {JOB: {PATH: JSON}}}: the files the job's build archived; each one
    // matching the filter lands in the workspace under target/, where readJSON finds it.
    Map shown = new LinkedHashMap(args)
    String job = __jobgen.common(args.projectName)
    shown.projectName = job
    __jobgen.record('copyArtifacts', [shown])
    __jobgen.needWorkspace('copyArtifacts')
    def archived = __jobgen.answer('copyArtifacts', job, null)
    String filter = (args.filter ?: '**').toString()
    Map copied = archived instanceof Map ? archived.findAll { path, json -> filter.tokenize(',')*.trim().contains(path) || filter == '**' } : [:]
    if (!copied && !args.optional) {
        throw new JobgenAbort("Failed to copy artifacts from ${job} with filter: ${filter} (answer copyArtifacts: {${job}: {${filter}: ...}})".toString())
    }
    String target = args.target ? args.target.toString().replaceAll('/+$', '') + '/' : ''
    copied.each { path, json -> __jobgen.workspace[target + path] = __jobgen.normalise(json) }
    return null
}

def readJSON(Map args) {
    __jobgen.record('readJSON', [args])
    if (args.text != null) { return new groovy.json.JsonSlurper().parseText(args.text.toString()) }
    __jobgen.needWorkspace('readJSON')
    String path = args.file?.toString()
    def found = __jobgen.workspace.containsKey(path) ? __jobgen.workspace[path] : __jobgen.answer('readJSON', path, null)
    if (found == null) {
        throw new JobgenAbort("readJSON: no file ${path} (write it first, or answer readJSON: {${path}: ...})".toString())
    }
    // A fresh copy, so the job cannot change the scenario's answer for a later read.
    return new groovy.json.JsonSlurper().parseText(groovy.json.JsonOutput.toJson(found))
}

def writeJSON(Map args) {
    __jobgen.record('writeJSON', [args])
    __jobgen.needWorkspace('writeJSON')
    __jobgen.workspace[args.file?.toString()] = __jobgen.normalise(args.json)
    return null
}

def httpRequest(String url) { httpRequest([url: url]) }

def httpRequest(Map args) {
    __jobgen.record('httpRequest', [args])
    String url = args.url?.toString()
    String body = args.requestBody?.toString()
    if ((args.httpMode ?: 'GET') == 'POST' && body != null) {
        if (url && url == params.REPORT_RETURN_URL?.toString()) { __jobgen.reports << jobgenJson(body) }
        if (url && url == params.REGISTRATION_RETURN_URL?.toString()) { __jobgen.registrations << jobgenJson(body) }
    }
    def answer = __jobgen.answer('httpRequest', url, [:])
    Map reply = answer instanceof Map ? answer : [content: answer]
    def response = new JobgenResponse(status: (reply.status ?: 200) as int, content: (reply.content ?: '').toString())
    String accepted = args.validResponseCodes ?: '100:399'
    if (!jobgenAccepted(response.status, accepted)) {
        throw new JobgenAbort("Fail: Status code ${response.status} is not in the accepted range: ${accepted}".toString())
    }
    return response
}

def jobgenJson(String text) {
    try {
        return new groovy.json.JsonSlurper().parseText(text)
    } catch (Exception e) {
        return [invalid_json: text]
    }
}

def jobgenAccepted(int status, String ranges) {
    return ranges.tokenize(',').any { r ->
        List ends = r.trim().tokenize(':')
        int low = ends[0] as int
        int high = (ends.size() > 1 ? ends[1] : ends[0]) as int
        status >= low && status <= high
    }
}

def input(message) { input([message: message]) }

def input(Map args) {
    __jobgen.record('input', [args])
    def answers = __jobgen.answers.input
    def answer = answers instanceof Map && !answers.containsKey('value') ? answers[args.message?.toString()] : answers
    if (answer == null) { answer = 'approve' }
    if (answer == 'abort') {
        throw new JobgenInterrupted('ABORTED', true, "Rejected: ${args.message}".toString())
    }
    return answer instanceof Map ? answer.value : null
}


// ---- jobgen: the mocks end here; what follows runs in the sandbox ----
