// jobgen's Groovy sandbox (docs/sandbox.md): how a harness turns it on.
//   JobgenSandboxCompiler.start(whitelistFile)    once per JVM
//   JobgenSandboxCompiler.sandbox(config)         on each CompilerConfiguration that compiles job scripts
//   JobgenSandboxCompiler.lines(name, first, last) to sandbox only some lines of one source
import org.codehaus.groovy.control.CompilerConfiguration

class JobgenSandboxCompiler {
    static final JobgenSandboxTransformer TRANSFORMER = new JobgenSandboxTransformer()

    static void start(File whitelist) {
        JobgenSandbox.init(whitelist)
    }

    static CompilerConfiguration sandbox(CompilerConfiguration config) {
        config.addCompilationCustomizers(new JobgenSandboxRejectTransforms(), TRANSFORMER)
        return config
    }

    static void lines(String sourceName, int first, int last) {
        TRANSFORMER.ranges[sourceName] = [first, last]
    }

    // evaluate(text) from a sandboxed script: the text is compiled sandboxed as a
    // subclass of the calling script, so it sees the same steps and binding.
    static Object evaluate(Script script, String text) {
        CompilerConfiguration config = sandbox(new CompilerConfiguration())
        config.scriptBaseClass = script.getClass().name
        GroovyShell shell = new GroovyShell(script.getClass().classLoader, script.binding, config)
        return shell.evaluate(text)
    }
}
