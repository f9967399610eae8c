// The embedded master's pipeline runtime: one JVM serving every pipeline build.
// Usage: groovy server.groovy STEPS.groovy RUNNER.groovy [SANDBOX_CLASSPATH WHITELIST]
// With them (jobgen/groovy/sandbox), every script runs under jobgen's sandbox.
// The steps and the runner are loaded into one class loader so they see each other;
// the protocol itself is described in runner.groovy.

// The protocol owns stdout; anything a script or Groovy prints goes to stderr.
PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false, 'UTF-8')
System.setOut(System.err)
GroovyClassLoader loader = new GroovyClassLoader(this.class.classLoader)
if (args.length > 2) {
    loader.addClasspath(args[2])
    loader.loadClass('JobgenSandboxCompiler').start(new File(args[3]))
}
loader.parseClass(new File(args[0]))
Class server = loader.parseClass(new File(args[1]))
server.newInstance(protocol, loader).serve(System.in)
System.exit(0)
