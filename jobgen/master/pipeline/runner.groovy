// The pipeline runtime's server side (started by server.groovy, after steps.groovy
// is loaded into the same class loader, so the step classes resolve here).
// A line protocol of JSON objects, one per line, over stdin/stdout:
//   in:  {"op":"run","run":ID,"script":TEXT,"params":{},"env":{},"job":FULL,"number":N}
//        {"op":"reply","call":CID,"value":{...}}
//   out: {"op":"ready"}
//        {"op":"call","run":ID,"call":CID,"step":"build","args":{...}}   (the master answers)
//        {"op":"done","run":ID,"result":R,"log":[lines],"error":MESSAGE|null,
//         "variables":{env.X set by the script},"artifacts":{path: text}}
//   a run's "previous" ({number, result} or null) is currentBuild.previousBuild.
// Each distinct script text is compiled once; every run gets a fresh Script and Binding.
import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import java.security.MessageDigest
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.ThreadFactory
import java.util.concurrent.atomic.AtomicLong
import org.codehaus.groovy.control.CompilerConfiguration
import org.codehaus.groovy.runtime.InvokerHelper

class PipelineServer {
    PrintStream protocol
    GroovyClassLoader loader
    Map compiled = new ConcurrentHashMap()  // sha256 of the script text -> Class
    Map pending = new ConcurrentHashMap()   // call id -> CompletableFuture<Map>
    AtomicLong calls = new AtomicLong()
    ExecutorService pool = Executors.newCachedThreadPool({ Runnable r ->
        Thread t = new Thread(r)
        t.daemon = true
        return t
    } as ThreadFactory)

    PipelineServer(PrintStream protocol, GroovyClassLoader parent) {
        this.protocol = protocol
        CompilerConfiguration config = new CompilerConfiguration()
        config.scriptBaseClass = 'PipelineScript'
        sandbox(parent, config)
        loader = new GroovyClassLoader(parent, config)
    }

    // jobgen's sandbox (jobgen/groovy/sandbox), when server.groovy loaded it: Jenkins' rules on every script.
    static void sandbox(GroovyClassLoader parent, CompilerConfiguration config) {
        try {
            parent.loadClass('JobgenSandboxCompiler').sandbox(config)
        } catch (ClassNotFoundException ignored) {
            // started without a sandbox directory: scripts run unchecked
        }
    }

    // A refused call, shown as Jenkins shows it: ScriptApprovalNote's line, then the exception.
    static String rejection(Throwable t, List log) {
        if (t.getClass().name != 'JobgenSandboxRejected') { return null }
        log << "${t.message}. Administrators can decide whether to approve or reject this signature.".toString()
        return "org.jenkinsci.plugins.scriptsecurity.sandbox.RejectedAccessException: ${t.message}".toString()
    }

    void serve(InputStream stdin) {
        send([op: 'ready'])
        BufferedReader input = new BufferedReader(new InputStreamReader(stdin, 'UTF-8'))
        JsonSlurper slurper = new JsonSlurper()
        String line
        while ((line = input.readLine()) != null) {
            Map message = slurper.parseText(line) as Map
            if (message.op == 'run') {
                pool.submit({ -> runOne(message) } as Runnable)
            } else if (message.op == 'reply') {
                pending[message.call as String]?.complete(message.value as Map)
            }
        }
        pool.shutdownNow()
    }

    void send(Map message) {
        String line = JsonOutput.toJson(message)
        synchronized (protocol) {
            protocol.print(line + '\n')
            protocol.flush()
        }
    }

    Class classFor(String text) {
        String key = MessageDigest.getInstance('SHA-256').digest(text.getBytes('UTF-8')).encodeHex().toString()
        Class found = compiled[key]
        if (found == null) {
            synchronized (loader) {
                found = compiled[key]
                if (found == null) {
                    String name = "WorkflowScript${compiled.size() + 1}.groovy"
                    found = loader.parseClass(new GroovyCodeSource(text, name, '/jobgen/pipeline'))
                    compiled[key] = found
                }
            }
        }
        return found
    }

    Map call(Object run, String step, Map args) {
        String id = calls.incrementAndGet().toString()
        CompletableFuture future = new CompletableFuture()
        pending[id] = future
        try {
            send([op: 'call', run: run, call: id, step: step, args: args])
            return future.get() as Map
        } finally {
            pending.remove(id)
        }
    }

    void runOne(Map request) {
        List log = Collections.synchronizedList([])
        String error = null
        String result = 'FAILURE'
        Map variables = [:]
        Map artifacts = [:]
        try {
            def run = request.run
            PipelineServer server = this
            PipelineHost host = [
                call: { String step, Map stepArgs -> server.call(run, step, stepArgs) },
                log: { String line -> log << line },
                pool: { -> server.pool },
            ] as PipelineHost
            PipelineEnv env = new PipelineEnv()
            env.vars.putAll(request.env as Map)
            String fullName = request.job
            PipelineRun current = new PipelineRun(projectName: fullName.tokenize('/').last(),
                fullProjectName: fullName, number: request.number as int,
                absoluteUrl: request.env.BUILD_URL, current: true)
            Map previous = request.previous as Map
            if (previous) {
                current.previousBuild = new PipelineRun(projectName: current.projectName,
                    fullProjectName: fullName, number: previous.number as int)
                current.previousBuild.@result = previous.result  // a past result is a fact
            }
            Binding binding = new Binding([__host: host, env: env, currentBuild: current,
                params: Collections.unmodifiableMap(new LinkedHashMap(request.params as Map))])
            try {
                InvokerHelper.createScript(classFor(request.script as String), binding).run()
                result = current.currentResult
            } catch (Throwable t) {
                String thrown = t instanceof PipelineInterrupted ? t.result : 'FAILURE'
                result = PipelineRun.worse(current.currentResult, thrown)
                boolean step = t instanceof PipelineAbort || t instanceof PipelineInterrupted
                error = step ? t.message : (rejection(t, log) ?: t.toString())
                log << "ERROR: ${error}".toString()
            }
            variables = new LinkedHashMap(env.overrides)
            artifacts = new LinkedHashMap(current.artifacts)
        } catch (Throwable t) {
            error = "the pipeline runtime failed: ${t}".toString()
        } finally {
            send([op: 'done', run: request.run, result: result, log: log, error: error,
                variables: variables, artifacts: artifacts])
        }
    }
}
