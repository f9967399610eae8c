// jobgen test driver support: what Jenkins' Groovy shell adds around a pipeline script.
// Loaded by driver.groovy; classes only.
//  - the star import of com.cloudbees.groovy.cps (so `@NonCPS` resolves) and the
//    import of org.jenkinsci.plugins.workflow.libs.Library (so `@Library('x') _` does),
//    as workflow-cps' CpsGroovyShellFactory and pipeline-groovy-lib's LibraryDecorator add;
//  - shared libraries: `src/` on the class path of the scripts that use the library,
//    `vars/*.groovy` compiled as scripts whose unknown methods are the run's steps
//    (docs/jenkins-facts.md, `## testing`).
import org.codehaus.groovy.control.CompilerConfiguration
import org.codehaus.groovy.control.customizers.ImportCustomizer
import java.lang.reflect.Method

abstract class JobgenLibraryScript extends Script {
    // The base class of a library's vars/*.groovy: like Jenkins' CpsScript, a step or
    // global it does not define itself is the run's (the job script holds the mocks).
    Script jobgenRun

    def methodMissing(String name, args) {
        if (jobgenRun == null) { throw new MissingMethodException(name, getClass(), args as Object[]) }
        return jobgenRun.invokeMethod(name, args)
    }

    def propertyMissing(String name) {
        if (jobgenRun == null) { throw new MissingPropertyException(name, getClass()) }
        return jobgenRun.getProperty(name)
    }
}

class JobgenSupport {
    static final String NONCPS = 'com.cloudbees.groovy.cps.NonCPS'
    GroovyClassLoader base
    CompilerConfiguration scripts  // the job scripts' (the sandbox's, when on), with the imports
    Set trustedLoaders = Collections.newSetFromMap(new java.util.IdentityHashMap())
    Map libraries            // name -> [src: dir|null, vars: dir|null, resources: dir|null]
    Map loaders = [:]        // library names joined -> the loader of scripts using them
    Map vars = [:]           // library names joined -> [library: [variable: Class]]

    JobgenSupport(ClassLoader parent, CompilerConfiguration scripts, Map libraries) {
        this.libraries = libraries ?: [:]
        this.scripts = scripts
        scripts.addCompilationCustomizers(imports())
        base = new GroovyClassLoader(parent)
        base.parseClass('package com.cloudbees.groovy.cps\nimport java.lang.annotation.*\n' +
            '@Retention(RetentionPolicy.RUNTIME) @interface NonCPS {}\n', 'NonCPS.groovy')
        base.parseClass('package org.jenkinsci.plugins.workflow.libs\nimport java.lang.annotation.*\n' +
            '@Retention(RetentionPolicy.RUNTIME) @interface Library { String[] value(); boolean changelog() default true }\n',
            'Library.groovy')
    }

    static ImportCustomizer imports() {
        ImportCustomizer imports = new ImportCustomizer()
        imports.addStarImports('com.cloudbees.groovy.cps')
        imports.addImports('org.jenkinsci.plugins.workflow.libs.Library')
        return imports
    }

    static CompilerConfiguration config(String baseClass) {
        // A library's code: trusted, as a global library is on Jenkins (not sandboxed).
        CompilerConfiguration config = new CompilerConfiguration()
        config.addCompilationCustomizers(imports())
        if (baseClass) { config.scriptBaseClass = baseClass }
        return config
    }

    void trustLibraries(Class rules) {
        // Jenkins lets sandboxed code call into classes its script class loaders defined
        // (script-security ClassLoaderWhitelist): here a library's classes and the mocks'
        // wrappers around its global variables.
        if (rules == null) { return }
        rules.trusted = { Class c ->
            c.name in WRAPPERS || (c.classLoader instanceof GroovyClassLoader.InnerLoader && trustedLoaders.contains(c.classLoader.parent))
        }
    }
    static final Set WRAPPERS = ['JobgenGlobalVar', 'JobgenLoadedClasses', 'JobgenLoadedClass'] as Set

    void compileShared(String classes) {
        // The mocks' classes (jobgen/groovy/hoist.py): every script's loader finds them here.
        base.parseClass(new GroovyCodeSource(classes, 'JobgenMocks.groovy', '/jobgen/mocks'))
    }

    List unknown(List names) { names.findAll { !libraries.containsKey(it) } }

    synchronized GroovyClassLoader loaderFor(List names) {
        String key = names.toSorted().join(',')
        if (!loaders.containsKey(key)) {
            GroovyClassLoader loader = new GroovyClassLoader(base, config(null))
            trustedLoaders << loader
            names.each { name ->
                if (libraries[name]?.src) { loader.addClasspath(libraries[name].src.toString()) }
            }
            loaders[key] = loader
            vars[key] = compileVars(names, loader)
        }
        return loaders[key]
    }

    Map varsFor(List names) {
        loaderFor(names)
        return vars[names.toSorted().join(',')]
    }

    Map compileVars(List names, GroovyClassLoader loader) {
        // Each vars/NAME.groovy is the class NAME, compiled once; a run makes its own instance.
        GroovyClassLoader varsLoader = new GroovyClassLoader(loader, config('JobgenLibraryScript'))
        trustedLoaders << varsLoader
        Map out = [:]
        names.each { name ->
            Map found = [:]
            String dir = libraries[name]?.vars
            if (dir) {
                (new File(dir).listFiles() ?: []).findAll { it.name.endsWith('.groovy') }.sort { it.name }.each { f ->
                    found[f.name[0..-8]] = varsLoader.parseClass(f)
                }
            }
            out[name] = found
        }
        return out
    }

    Map compileScript(Map script, String fileName) {
        // [target: the script's class, or why it cannot run (a Map), loaded: what its
        // runs need from its libraries]; a compile failure comes back as `error`.
        List declared = script.libraries ?: []
        List missing = unknown(declared)
        if (missing) {
            // pipeline-groovy-lib LibraryDecorator: the run fails before it starts.
            return [target: [kind: 'library', line: null, message:
                "Loading libraries failed: Could not find any definition of libraries ${missing}".toString()]]
        }
        // `library('x')` of an unknown x fails when called, as on Jenkins.
        List names = (declared + (script.loads ?: [])).unique() - unknown(script.loads ?: [])
        try {
            GroovyClassLoader own = new GroovyClassLoader(loaderFor(names), scripts)
            Class cls = own.parseClass(new GroovyCodeSource(script.text.toString(), fileName, '/jobgen/script'))
            Map vars = varsFor(names)
            return [target: cls, loaded: [
                libraryVars: vars, staticLibraries: declared,
                libraryResources: names.collect { libraries[it]?.resources }.findAll { it },
                librarySources: names.collect { libraries[it]?.src }.findAll { it },
                libraryFiles: vars.collectEntries { lib, found ->
                    found.collectEntries { var, c -> [(c.name): "${libraries[lib].vars}/${var}.groovy".toString()] }
                },
                nonCps: nonCpsMethods([cls] + vars.values().collectMany { it.values() as List })]]
        } catch (org.codehaus.groovy.control.MultipleCompilationErrorsException e) {
            return [error: e]
        }
    }

    Class nonCpsAnnotation() { base.loadClass(NONCPS) }

    Map nonCpsMethods(List classes) {
        // class name -> the names of its methods annotated @NonCPS.
        Class annotation = nonCpsAnnotation()
        Map out = [:]
        classes.each { Class c ->
            List names = c.declaredMethods.findAll { Method m -> m.isAnnotationPresent(annotation) }*.name
            if (names) { out[c.name] = names as Set }
        }
        return out
    }
}
