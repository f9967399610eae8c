// jobgen groovy_lib (test mode): Jenkins shared libraries, as pipeline-groovy-lib loads them.
// The driver compiles each library's vars/*.groovy once (jobgen/groovy/support.groovy) and
// hands the classes over in the scenario; here a run makes its own instances.

// ---- jobgen: classes begin (jobgen test compiles them once for every script) ----
class JobgenGlobalVar {
    // A library's global variable `name` (vars/name.groovy): `name(...)` runs its
    // call() method and is recorded as a step, with the calls it makes nested under it;
    // `name.other(...)` and `name.prop` reach the instance. One instance per run, made
    // on first use (Jenkins' UserDefinedGlobalVariable keeps it in the run's binding).
    String name
    Class type
    Script run
    def made

    def jobgenInstance() {
        if (made == null) {
            made = type.newInstance()
            made.setJobgenRun(run)  // a Script's property assignment would go to its binding
        }
        return made
    }

    def call(Object... args) {
        def state = run.binding.getVariable('__jobgen')
        Map node = state.record(name, args.toList())
        return state.within(node) { jobgenInstance().invokeMethod('call', args) }
    }

    // Declared, not missing-handlers, so the sandbox finds them on this (trusted) class.
    Object invokeMethod(String method, Object args) {
        if (method == 'call') { return call(args instanceof Object[] ? (Object[]) args : [args] as Object[]) }
        return jobgenInstance().invokeMethod(method, args)
    }
    Object getProperty(String property) { jobgenInstance().getProperty(property) }
    void setProperty(String property, Object value) { jobgenInstance().setProperty(property, value) }
}

class JobgenLoadedClasses {
    // What `library('name')` returns: `.com.acme.Tool` is the class, `.new(...)` makes one,
    // other methods are static calls (pipeline-groovy-lib LibraryStep.LoadedClasses).
    ClassLoader loader
    String prefix

    Object getProperty(String property) {
        if (property == 'loader' || property == 'prefix') { return this.@"${property}" }
        String name = prefix + property
        try {
            return new JobgenLoadedClass(type: loader.loadClass(name))
        } catch (ClassNotFoundException e) {
            return new JobgenLoadedClasses(loader: loader, prefix: name + '.')
        }
    }
}

class JobgenLoadedClass {
    Class type
    Object invokeMethod(String method, Object args) {
        Object[] list = args instanceof Object[] ? args : [args] as Object[]
        if (method == 'new') { return org.codehaus.groovy.runtime.InvokerHelper.invokeConstructorOf(type, list) }
        return org.codehaus.groovy.runtime.InvokerHelper.invokeStaticMethod(type, method, list)
    }
    Object getProperty(String property) { property == 'type' ? this.@type : type."${property}" }
}

class JobgenLibraryFrames {
    // Where a failure happened: the innermost frame in the job's own Groovy or in a
    // library's file (vars/NAME.groovy, src/a/b/C.groovy), as `[line:, file:]`.
    static Map where(JobgenState state, Throwable t) {
        Map files = state.scenario.libraryFiles ?: [:]
        List sources = state.scenario.librarySources ?: []
        for (Throwable cause = t; cause != null; cause = cause.cause) {
            for (StackTraceElement f : cause.stackTrace) {
                String cls = f.className
                if ((cls == state.scriptClass || cls.startsWith(state.scriptClass + '$')) &&
                        f.lineNumber >= state.bodyFirst && f.lineNumber <= state.bodyLast) {
                    return [line: f.lineNumber - state.bodyFirst + 1]
                }
                String outer = cls.tokenize('$')[0]
                String file = files[outer] ?: sources.collect { new File(it.toString(), outer.replace('.', '/') + '.groovy') }
                    .find { it.isFile() }?.path
                if (file != null && f.lineNumber > 0) { return [line: f.lineNumber, file: file] }
            }
        }
        return [line: null]
    }
}
// ---- jobgen: classes end ----

def jobgenAddLibrary(String name) {
    Map vars = (binding.variables.jobgenScenario?.libraryVars ?: [:])[name]
    if (vars == null) { return false }
    vars.each { String variable, Class type ->
        if (!__jobgen.globals.containsKey(variable)) {
            def global = new JobgenGlobalVar(name: variable, type: type, run: this)
            __jobgen.globals[variable] = global
            binding.setVariable(variable, global)
        }
    }
    return true
}

def library(String identifier) { library([identifier: identifier]) }

def library(Map args) {
    __jobgen.record('library', [args])
    String name = args.identifier?.toString()?.tokenize('@')?.getAt(0)
    if (!jobgenAddLibrary(name)) {
        throw new JobgenAbort("No library named ${name} found".toString())
    }
    return new JobgenLoadedClasses(loader: this.class.classLoader, prefix: '')
}

def libraryResource(String resource) { libraryResource([resource: resource]) }

def libraryResource(Map args) {
    __jobgen.record('libraryResource', [args])
    String resource = args.resource?.toString()
    List found = (binding.variables.jobgenScenario?.libraryResources ?: [])
        .collect { new File(it.toString(), resource) }.findAll { it.isFile() }
    if (!found) {
        throw new JobgenAbort("No such library resource ${resource} could be found.".toString())
    }
    return found[0].getText((args.encoding ?: 'UTF-8').toString())
}

def jobgenLoadStaticLibraries() {
    // `@Library('name') _` loads before the job's first line runs (called by the prelude).
    (binding.variables.jobgenScenario?.staticLibraries ?: []).each { jobgenAddLibrary(it.toString()) }
}
