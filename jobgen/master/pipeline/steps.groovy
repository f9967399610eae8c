// The Jenkins steps the embedded master's pipeline runs offer (docs/promise.md).
// Every compiled job script (the PROD library around the job's body) is compiled
// with PipelineScript as its base class, so `build`, `parallel`, `httpRequest` ...
// resolve to the methods below. `build` asks the master (the Python side) to run
// the downstream job through its own queue; `httpRequest` makes a real HTTP call,
// to loopback only: the embedded master never reaches past 127.0.0.1.
// Not groovy_lib/test: that is the unit-test mock library and records instead.
import java.util.concurrent.Callable
import java.util.concurrent.ExecutorService
import java.util.concurrent.Future

class PipelineAbort extends RuntimeException {
    // hudson.AbortException: error(), a misused step; fails the build.
    PipelineAbort(String message) { super(message) }
}

class PipelineInterrupted extends InterruptedException {
    // FlowInterruptedException: a downstream build that did not succeed.
    String result
    PipelineInterrupted(String result, String message) {
        super(message)
        this.result = result
    }
}

class PipelineSymbol {
    // What string(...), booleanParam(...) and the credential helpers return.
    String kind
    Map args
}

class PipelineResponse {
    int status
    String content
}

class PipelineRun {
    // RunWrapper: what build() returns, and currentBuild.
    static final List ORDER = ['SUCCESS', 'UNSTABLE', 'FAILURE', 'NOT_BUILT', 'ABORTED']
    String projectName
    String fullProjectName
    int number
    String result
    String absoluteUrl
    Map buildVariables = [:]
    boolean current
    PipelineRun previousBuild
    String description
    String displayName
    Map artifacts = Collections.synchronizedMap([:])  // relative path -> text, archived by this run

    static String worse(String a, String b) {
        if (a == null) { return b }
        if (b == null) { return a }
        return ORDER.indexOf(b) > ORDER.indexOf(a) ? b : a
    }

    String getCurrentResult() { result ?: 'SUCCESS' }
    String getId() { number.toString() }
    String getFullDisplayName() { "${fullProjectName} #${number}".toString() }
    String getDisplayName() { displayName ?: "#${number}".toString() }
    boolean resultIsBetterOrEqualTo(String other) { ORDER.indexOf(currentResult) <= ORDER.indexOf(other) }
    boolean resultIsWorseOrEqualTo(String other) { ORDER.indexOf(currentResult) >= ORDER.indexOf(other) }

    void setResult(String value) {
        if (!current) { throw new PipelineAbort('setResult is allowed only on currentBuild') }
        if (value == null) { return }
        if (!ORDER.contains(value)) { throw new IllegalArgumentException("no such result: ${value}") }
        result = worse(result, value)  // Jenkins: a build result only gets worse
    }

    String toString() { "${fullProjectName} #${number}".toString() }
}

class PipelineEnv {
    // env: String values, unknown names read as null, assignment sets them.
    // `overrides` are the script's own assignments (EnvActionImpl): a downstream run's
    // buildVariables (RunWrapper.getBuildVariables: getOverriddenEnvironment).
    Map vars = Collections.synchronizedMap([:])
    Map overrides = Collections.synchronizedMap([:])
    def propertyMissing(String name) { vars[name] }
    def propertyMissing(String name, value) {
        String text = value == null ? null : value.toString()
        vars[name] = text
        overrides[name] = text
    }
    def getAt(String name) { vars[name] }
    void putAt(String name, value) { propertyMissing(name, value) }
    Map getEnvironment() { new LinkedHashMap(vars) }
}

interface PipelineHost {
    // The master's side of a run: builds downstream jobs, keeps the console log.
    Map call(String step, Map args)
    void log(String line)
    ExecutorService pool()
}

abstract class PipelineScript extends Script {
    static final Set LOOPBACK = ['127.0.0.1', 'localhost', '::1', '[::1]'] as Set

    PipelineHost getHost() { binding.getVariable('__host') as PipelineHost }

    // ---- a step that does not exist ----

    def methodMissing(String name, args) {
        throw new PipelineAbort("No such DSL method '${name}' found among the embedded master's steps".toString())
    }

    // ---- helpers: values, not steps ----

    def string(Map args) { new PipelineSymbol(kind: 'string', args: args) }
    def text(Map args) { new PipelineSymbol(kind: 'text', args: args) }
    def password(Map args) { new PipelineSymbol(kind: 'password', args: args) }
    def booleanParam(Map args) { new PipelineSymbol(kind: 'booleanParam', args: args) }
    def usernamePassword(Map args) { new PipelineSymbol(kind: 'usernamePassword', args: args) }

    // ---- console ----

    // As the Credentials Binding plugin's console filter: a bound secret never reaches the
    // log, whichever step writes the line (http_request logs the URL it calls).
    void masterLog(String line) { host.log(masked(line)) }

    void println(Object value) { masterLog(String.valueOf(value)) }
    void echo(Object message) { masterLog(String.valueOf(message)) }

    void error(Object message) { throw new PipelineAbort(String.valueOf(message)) }

    void unstable(Object message) {
        masterLog("WARNING: ${message}".toString())
        currentBuildRun().setResult('UNSTABLE')
    }

    PipelineRun currentBuildRun() { binding.getVariable('currentBuild') as PipelineRun }

    // ---- structure ----

    def stage(Object name, Closure body) {
        String shown = name instanceof Map ? name.name : name
        masterLog("[Pipeline] { (${shown})".toString())
        try {
            return body()
        } finally {
            masterLog('[Pipeline] }')
        }
    }

    def node(Closure body) { onNode(null, body) }
    def node(Object label, Closure body) { onNode(label instanceof Map ? label.label : label, body) }

    def onNode(Object label, Closure body) {
        masterLog("[Pipeline] node${label ? " (${label})" : ''}: Running on Built-In Node".toString())
        PipelineEnv env = binding.getVariable('env') as PipelineEnv
        int depth = binding.hasVariable('__nodeDepth') ? binding.getVariable('__nodeDepth') as int : 0
        binding.setVariable('__nodeDepth', depth + 1)
        try {
            return withEnv(["NODE_NAME=built-in", "WORKSPACE=/workspace/${env.JOB_NAME}".toString()], body)
        } finally {
            binding.setVariable('__nodeDepth', depth)
        }
    }

    def withEnv(List vars, Closure body) {
        PipelineEnv env = binding.getVariable('env') as PipelineEnv
        Map saved = new LinkedHashMap(env.vars)
        vars.each { String pair ->
            int eq = pair.indexOf('=')
            env.vars[pair.substring(0, eq)] = pair.substring(eq + 1)
        }
        try {
            return body()
        } finally {
            env.vars.clear()
            env.vars.putAll(saved)
            env.vars.putAll(env.overrides)  // env.X = ... holds for the rest of the run
        }
    }

    def timeout(Object args, Closure body) { body() }

    def retry(Object count, Closure body) {
        int times = (count instanceof Map ? count.count : count) as int
        for (int i = 1; ; i++) {
            try {
                return body()
            } catch (PipelineInterrupted stop) {
                throw stop  // an abort is not retried
            } catch (Exception e) {
                if (i >= times) { throw e }
                masterLog("Retrying: ${e.message}".toString())
            }
        }
    }

    def sleep(Object time) {
        long seconds = (time instanceof Map ? time.time : time) as long
        Thread.sleep(Math.min(seconds, 60L) * 1000L)
    }

    def catchError(Map args = [:], Closure body) {
        try {
            return body()
        } catch (Exception e) {
            masterLog("ERROR: ${e.message}".toString())
            currentBuildRun().setResult((args.buildResult ?: 'FAILURE').toString())
            return null
        }
    }

    def sh(Object args) {
        // No-op workers: the embedded master does not run shell scripts (they would
        // reach for git remotes, S3 ...); it logs them and answers empty output.
        Map call = args instanceof Map ? args : [script: args]
        if (!binding.hasVariable('__nodeDepth') || (binding.getVariable('__nodeDepth') as int) == 0) {
            throw new PipelineAbort('Required context class hudson.FilePath is missing\n' +
                'Perhaps you forgot to surround the sh step with a step that provides this, such as: node')
        }
        // A master started with run_shell runs the script for real (in its workspace folder);
        // otherwise the master answers `ran: false` and the step is the no-op above.
        PipelineEnv env = binding.getVariable('env') as PipelineEnv
        Map answer = host.call('sh', [script: call.script.toString(), env: env.environment,
            returnStdout: call.returnStdout == true])
        if (answer.error) { throw new PipelineAbort(answer.error.toString()) }
        if (!answer.ran) {
            masterLog("+ ${call.script} (embedded master: not run)".toString())
            if (call.returnStdout) { return '' }
            if (call.returnStatus) { return 0 }
            return null
        }
        (answer.log ?: '').toString().readLines().each { String line -> masterLog(line) }
        int status = answer.status as int
        if (status != 0 && !call.returnStatus) {
            throw new PipelineAbort("script returned exit code ${status}".toString())
        }
        if (call.returnStatus) { return status }
        return call.returnStdout ? answer.stdout.toString() : null
    }

    // ---- withCredentials: values from the master's credentials store, masked in the log ----

    def withCredentials(List bindings, Closure body) {
        List pairs = []
        List secrets = []
        bindings.each { b ->
            if (!(b instanceof PipelineSymbol) || !b.args.credentialsId) {
                throw new PipelineAbort("withCredentials: not a credentials binding: ${b}".toString())
            }
            Map found = host.call('credentials', [id: b.args.credentialsId.toString()])
            if (found.error) { throw new PipelineAbort(found.error.toString()) }
            if (b.kind == 'usernamePassword') {
                pairs << "${b.args.usernameVariable}=${found.username}".toString()
                pairs << "${b.args.passwordVariable}=${found.password}".toString()
            } else if (b.kind == 'string') {
                pairs << "${b.args.variable}=${found.password}".toString()
            } else {
                throw new PipelineAbort("withCredentials: ${b.kind} bindings are not supported".toString())
            }
            secrets << found.password.toString()
        }
        List masks = masks()
        masks.addAll(secrets)
        try {
            return withEnv(pairs, body)
        } finally {
            secrets.each { masks.remove(it) }
        }
    }

    List masks() {
        if (!binding.hasVariable('__masks')) { binding.setVariable('__masks', Collections.synchronizedList([])) }
        return binding.getVariable('__masks') as List
    }

    String masked(String line) {
        // As the Credentials Binding plugin: a bound secret never reaches the console log.
        String shown = line
        masks().findAll { it }.each { String secret -> shown = shown.replace(secret, '****') }
        return shown
    }

    // ---- the workspace: files of this run, kept in memory; archived ones reach the master ----

    Map workspace() {
        if (!binding.hasVariable('__nodeDepth') || (binding.getVariable('__nodeDepth') as int) == 0) {
            throw new PipelineAbort('Required context class hudson.FilePath is missing\n' +
                'Perhaps you forgot to surround the step with a step that provides this, such as: node')
        }
        if (!binding.hasVariable('__workspace')) { binding.setVariable('__workspace', Collections.synchronizedMap([:])) }
        return binding.getVariable('__workspace') as Map
    }

    def writeFile(Map args) {
        if (args.file == null || args.text == null) { throw new PipelineAbort('writeFile: file and text are required') }
        workspace()[args.file.toString()] = args.text.toString()
        return null
    }

    def readFile(Object args) {
        String file = (args instanceof Map ? args.file : args).toString()
        String text = workspace()[file]
        if (text == null) { throw new java.nio.file.NoSuchFileException("/workspace/${file}".toString()) }
        return text
    }

    boolean fileExists(Object args) {
        String file = (args instanceof Map ? args.file : args).toString()
        return workspace().containsKey(file)
    }

    def archiveArtifacts(Object args) {
        // ArtifactArchiver: comma-separated Ant globs; no match fails the build unless allowEmptyArchive.
        Map call = args instanceof Map ? args : [artifacts: args]
        Map files = workspace()
        List matched = files.keySet().findAll { String name ->
            call.artifacts.toString().split(',')*.trim().any { glob(it).matcher(name).matches() }
        }.sort()
        if (!matched && !call.allowEmptyArchive) {
            throw new PipelineAbort("No artifacts found that match the file pattern \"${call.artifacts}\". Configuration error?".toString())
        }
        masterLog("Archiving artifacts")
        matched.each { String name -> currentBuildRun().artifacts[name] = files[name] }
        return null
    }

    static java.util.regex.Pattern glob(String pattern) {
        // An Ant pattern: ** any path, * any name part, ? one character.
        StringBuilder regex = new StringBuilder()
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i)
            if (pattern.startsWith('**/', i)) { regex.append('(?:.*/)?'); i += 2 }
            else if (pattern.startsWith('**', i)) { regex.append('.*'); i += 1 }
            else if (c == (char) '*') { regex.append('[^/]*') }
            else if (c == (char) '?') { regex.append('[^/]') }
            else { regex.append(java.util.regex.Pattern.quote(c.toString())) }
        }
        return java.util.regex.Pattern.compile(regex.toString())
    }

    // ---- input: the run pauses until someone proceeds or aborts over REST ----

    def input(String message) { input([message: message]) }

    def input(Map args) {
        if (!args.message) { throw new PipelineAbort('input: the message parameter is required') }
        if (args.parameters) { throw new PipelineAbort('input: parameters are not supported by the embedded master') }
        masterLog("${args.message}\nProceed or Abort".toString())
        Map answer = host.call('input', [message: args.message.toString(), id: args.id, submitter: args.submitter])
        if (answer.error) { throw new PipelineAbort(answer.error.toString()) }
        if (answer.outcome == 'abort') {
            masterLog("Rejected by ${answer.by}".toString())
            throw new PipelineInterrupted('ABORTED', "Rejected by ${answer.by}".toString())
        }
        masterLog("Approved by ${answer.by}".toString())
        return null  // no parameters and no submitterParameter: the step returns null
    }

    def lastSuccessful(Map args = [:]) { new PipelineSymbol(kind: 'lastSuccessful', args: args) }
    // copyartifact's SpecificBuildSelector (@Symbol specific): a number, or a permalink.
    def specific(String buildNumber) { new PipelineSymbol(kind: 'specific', args: [buildNumber: buildNumber]) }

    def copyArtifacts(Map args) {
        // copyartifact's CopyArtifact step: the project is named from the copying job's folder;
        // lastSuccessful (the default) selects the newest build at least UNSTABLE (SUCCESS with
        // stable: true), specific a build number or a permalink.
        Map files = workspace()
        String project = args.projectName.toString()
        PipelineSymbol selector = args.selector instanceof PipelineSymbol ? args.selector : lastSuccessful()
        String number = selector.kind == 'specific' ? selector.args.buildNumber.toString() :
            (selector.args.stable == true ? 'lastStableBuild' : 'lastSuccessfulBuild')
        Map answer = host.call('copyArtifacts', [project: project, number: number])
        if (answer.error) { throw new PipelineAbort(answer.error.toString()) }
        if (answer.number == null) {
            String message = "Unable to find a build for artifact copy from: ${project}".toString()
            if (args.optional) { masterLog(message); return null }
            throw new PipelineAbort(message)
        }
        String filter = (args.filter ?: '**').toString()
        String target = args.target ? args.target.toString().replaceAll('/+$', '') + '/' : ''
        Map copied = (answer.artifacts as Map).findAll { name, text ->
            filter.split(',')*.trim().any { glob(it).matcher(name as String).matches() }
        }
        copied.each { name, text -> files[target + name] = text }
        masterLog("Copied ${copied.size()} artifact${copied.size() == 1 ? '' : 's'} from \"${answer.full_name}\" build number ${answer.number}".toString())
        if (!copied && !args.optional) {
            throw new PipelineAbort("Failed to copy artifacts from ${project} with filter: ${filter}".toString())
        }
        return null
    }
    def mail(Map args) { masterLog("mail to ${args.to}: ${args.subject} (embedded master: not sent)".toString()) }

    // ---- parallel: every branch on its own thread ----

    def parallel(Map branches) {
        boolean failFast = branches.failFast == true
        Map closures = branches.findAll { k, v -> k != 'failFast' }
        Map futures = [:]
        closures.each { name, body ->
            if (!(body instanceof Closure)) {
                throw new IllegalArgumentException("Expected a closure or failFast but found ${name}=${body}")
            }
            futures[name] = host.pool().submit({ -> body.call() } as Callable)
        }
        Map results = [:]
        List failures = []
        futures.each { name, Future future ->
            try {
                results[name] = future.get()
            } catch (java.util.concurrent.ExecutionException e) {
                masterLog("Failed in branch ${name}".toString())
                failures << e.cause
                if (failFast) { futures.values()*.cancel(true) }
            } catch (java.util.concurrent.CancellationException e) {
                failures << new PipelineInterrupted('ABORTED', "branch ${name} aborted (failFast)".toString())
            }
        }
        if (failures) { throw mostSevere(failures) }
        return results
    }

    static Throwable mostSevere(List failures) {
        // Jenkins: ordinary exceptions < AbortException < FlowInterruptedException by result.
        def rank = { Throwable t ->
            if (t instanceof PipelineInterrupted) { return 2 + PipelineRun.ORDER.indexOf(t.result) }
            return t instanceof PipelineAbort ? 1 : 0
        }
        Throwable worst = failures[0]
        failures.each { if (rank(it) > rank(worst)) { worst = it } }
        return worst
    }

    // ---- downstream builds, on the master itself ----

    def build(String job) { build([job: job]) }

    def build(Map args) {
        if (!args.job) { throw new PipelineAbort('build: the job parameter is required') }
        Map values = [:]
        (args.parameters ?: []).each { p ->
            if (!(p instanceof PipelineSymbol)) { throw new PipelineAbort("build: not a parameter: ${p}".toString()) }
            values[p.args.name.toString()] = p.args.value == null ? '' : p.args.value.toString()
        }
        boolean wait = args.wait != false
        Map answer = host.call('build', [job: args.job.toString(), parameters: values, wait: wait])
        if (answer.error) { throw new PipelineAbort(answer.error.toString()) }
        if (!wait) { return null }
        String result = answer.result.toString()
        masterLog("Build ${answer.full_name} #${answer.number} completed: ${result}".toString())
        def run = new PipelineRun(projectName: answer.name, fullProjectName: answer.full_name,
            number: answer.number as int, absoluteUrl: answer.url,
            buildVariables: Collections.unmodifiableMap(new LinkedHashMap(answer.variables ?: [:])))
        run.@result = result  // a downstream result is a fact, not a setResult() call
        if (args.propagate != false && result != 'SUCCESS') {
            throw new PipelineInterrupted(result,
                "${answer.full_name} #${answer.number} completed with status ${result} (propagate: false to ignore)".toString())
        }
        return run
    }

    // ---- httpRequest: a real HTTP call, loopback only ----

    def httpRequest(Object args) {
        Map call = args instanceof Map ? args : [url: args]
        URL url = new URL(call.url.toString())
        if (!LOOPBACK.contains(url.host)) {
            throw new PipelineAbort("httpRequest: the embedded master only calls 127.0.0.1, not ${url.host}".toString())
        }
        String mode = (call.httpMode ?: 'GET').toString()
        HttpURLConnection connection = (HttpURLConnection) url.openConnection()
        connection.requestMethod = mode
        connection.connectTimeout = 30000
        connection.readTimeout = ((call.timeout ?: 60) as int) * 1000
        if (call.contentType == 'APPLICATION_JSON') {
            connection.setRequestProperty('Content-Type', 'application/json; charset=UTF-8')
        }
        (call.customHeaders ?: []).each { h -> connection.setRequestProperty(h.name.toString(), h.value.toString()) }
        if (call.requestBody != null) {
            connection.doOutput = true
            connection.outputStream.withStream { it << call.requestBody.toString().getBytes('UTF-8') }
        }
        int status = connection.responseCode
        InputStream stream = status >= 400 ? connection.errorStream : connection.inputStream
        String content = stream == null ? '' : stream.getText('UTF-8')
        masterLog("HttpMethod: ${mode} URL: ${url} Response Code: HTTP/1.1 ${status}".toString())
        if (!validStatus(status, (call.validResponseCodes ?: '100:399').toString())) {
            throw new PipelineAbort("Fail: Status code ${status} is not in the accepted range: ${call.validResponseCodes ?: '100:399'}".toString())
        }
        return new PipelineResponse(status: status, content: content)
    }

    // ---- files a run reads (issue 16) ----

    def readJSON(Map args) {
        // pipeline-utility-steps' readJSON: `text:` or a workspace `file:`; a Map or a List.
        String text = args.text != null ? args.text.toString() : workspace()[args.file?.toString()]
        if (text == null) { throw new java.io.FileNotFoundException("/workspace/${args.file} does not exist.".toString()) }
        return new groovy.json.JsonSlurper().parseText(text)
    }


    static boolean validStatus(int status, String ranges) {
        return ranges.split(',').any { String range ->
            List bounds = range.trim().split(':')*.trim()
            int low = bounds[0] as int
            int high = (bounds.size() > 1 ? bounds[1] : bounds[0]) as int
            status >= low && status <= high
        }
    }
}
