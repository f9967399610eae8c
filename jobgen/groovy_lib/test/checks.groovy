// jobgen groovy_lib (test mode): checks a call as Jenkins would before the step runs.
// Placed after the prelude; classes only, so its position does not matter.

// ---- jobgen: classes begin (jobgen test compiles them once for every script) ----
class JobgenMisuse extends JobgenUnmocked {
    // A call Jenkins would refuse or mishandle whatever the scenario expects: a
    // parameter the step does not have, a step called from a @NonCPS method.
    String kind
    JobgenMisuse(String kind, String message) {
        super(message)
        this.kind = kind
    }
}

class JobgenSignatures {
    // The named parameters of each catalogue step: its @DataBoundConstructor
    // parameters and @DataBoundSetter fields/methods, read from the plugins'
    // sources (docs/jenkins-facts.md, `## testing`, names the file and line of each).
    // Jenkins logs "WARNING: Unknown parameter(s) found for class type ..." and
    // ignores the argument, so a misspelt one silently changes what the job does.
    static final Map PARAMETERS = [
        build: ['job', 'parameters', 'wait', 'waitForStart', 'quietPeriod', 'propagate'],
        sh: ['script', 'returnStdout', 'encoding', 'returnStatus', 'label'],
        node: ['label'],
        stage: ['name', 'concurrency'],
        echo: ['message'],
        error: ['message'],
        unstable: ['message'],
        sleep: ['time', 'unit'],
        timeout: ['time', 'unit', 'activity'],
        retry: ['count', 'conditions'],
        catchError: ['message', 'buildResult', 'stageResult', 'catchInterruptions'],
        withEnv: ['overrides'],
        withCredentials: ['bindings'],
        mail: ['subject', 'body', 'from', 'to', 'cc', 'bcc', 'replyTo', 'charset', 'mimeType'],
        archiveArtifacts: ['artifacts', 'excludes', 'onlyIfSuccessful', 'fingerprint', 'allowEmptyArchive',
                           'defaultExcludes', 'caseSensitive', 'followSymlinks'],
        input: ['message', 'id', 'submitter', 'submitterParameter', 'cancel', 'ok', 'parameters'],
        readJSON: ['file', 'text', 'returnPojo'],
        writeJSON: ['json', 'file', 'pretty', 'returnText'],
        httpRequest: ['url', 'ignoreSslErrors', 'httpMode', 'httpProxy', 'validResponseCodes',
                      'validResponseContent', 'acceptType', 'contentType', 'timeout', 'consoleLogResponseBody',
                      'quiet', 'authentication', 'proxyAuthentication', 'requestBody', 'useSystemProperties',
                      'customHeaders', 'formData', 'outputFile', 'responseHandle', 'uploadFile', 'multipartName',
                      'wrapAsMultipart', 'useNtlm'],
    ]

    static void check(String step, List args) {
        List known = PARAMETERS[step]
        // Named arguments arrive as one leading Map (Groovy collects `job: 'x'` into it).
        if (known == null || !args || !(args[0] instanceof Map)) { return }
        for (key in ((Map) args[0]).keySet()) {
            String name = key.toString()
            if (known.contains(name)) { continue }
            String close = closest(name, known)
            String hint = close ? "did you mean `${close}`?" : "its parameters are ${known.join(', ')}"
            throw new JobgenMisuse('signature', "${step}() has no parameter `${name}`; ${hint}".toString())
        }
    }

    static String closest(String word, List candidates) {
        String best = null
        int bestDistance = Integer.MAX_VALUE
        for (c in candidates) {
            int d = distance(word.toLowerCase(), c.toString().toLowerCase())
            if (d < bestDistance) { best = c; bestDistance = d }
        }
        // Close enough to be a slip of the keyboard, not a different word.
        return bestDistance <= Math.max(1, (int) (word.length() / 3)) ? best : null
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1]
        for (int j = 0; j <= b.length(); j++) { previous[j] = j }
        for (int i = 1; i <= a.length(); i++) {
            int[] row = new int[b.length() + 1]
            row[0] = i
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1
                row[j] = Math.min(Math.min(row[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost)
            }
            previous = row
        }
        return previous[b.length()]
    }
}

class JobgenNonCps {
    // Steps whose execution completes inside start() (SynchronousStepExecution): they
    // work from a @NonCPS method. Every other step suspends the CPS thread, which a
    // @NonCPS method cannot do; Jenkins then logs the mismatch and returns the step's
    // value from the method, skipping the rest of it (workflow-cps, docs/jenkins-facts.md).
    static final Set SYNCHRONOUS = ['echo', 'error', 'unstable'] as Set

    static void check(JobgenState state, String step) {
        if (!state.nonCps || SYNCHRONOUS.contains(step)) { return }
        String method = callerMethod(state)
        if (method == null) { return }
        throw new JobgenMisuse('noncps', ("expected to call ${method} but wound up catching ${step}; " +
            'see: https://jenkins.io/redirect/pipeline-cps-method-mismatches/ ' +
            "(a step cannot run inside a @NonCPS method: Jenkins skips the rest of it)").toString())
    }

    static String callerMethod(JobgenState state) {
        // The method of the job's (or a library's) own code that made the current call,
        // as Jenkins names it, if it is annotated @NonCPS (closures inside it included).
        for (StackTraceElement f : Thread.currentThread().stackTrace) {
            String cls = f.className
            boolean inScript = (cls == state.scriptClass || cls.startsWith(state.scriptClass + '$')) &&
                f.lineNumber >= state.bodyFirst && f.lineNumber <= state.bodyLast
            String owner = inScript ? state.scriptClass : state.nonCps.keySet().find { it != state.scriptClass && (cls == it || cls.startsWith(it + '$')) }
            if (owner == null) { continue }
            String method = f.methodName
            if (cls != owner) {
                def m = java.util.regex.Pattern.compile('\\$_(.+?)_closure\\d+').matcher(cls)
                method = m.find() ? m.group(1) : method
            }
            if (!(state.nonCps[owner] ?: []).contains(method)) { return null }
            return "${owner == state.scriptClass ? 'WorkflowScript' : owner}.${method}".toString()
        }
        return null
    }
}

class JobgenMatch {
    // Keys of `sh` answers: exact text, `re:REGEX` (searched, as Python's re.search),
    // a glob (`*`, `?`, `[...]`), or `*` alone for any other script.
    static final Map PATTERNS = [:].asSynchronized()

    static boolean isPattern(String key) {
        return key != '*' && (key.startsWith('re:') || key.contains('*') || key.contains('?') || key.contains('['))
    }

    static boolean matches(String key, String text) {
        java.util.regex.Pattern pattern = PATTERNS[key]
        if (pattern == null) {
            String source = key.startsWith('re:') ? key.substring(3) : globToRegex(key)
            pattern = java.util.regex.Pattern.compile(source, java.util.regex.Pattern.DOTALL)
            PATTERNS[key] = pattern
        }
        return pattern.matcher(text).find()
    }

    static String globToRegex(String glob) {
        StringBuilder out = new StringBuilder('^')
        int i = 0
        while (i < glob.length()) {
            char c = glob.charAt(i)
            if (c == '*') {
                out.append('.*')
            } else if (c == '?') {
                out.append('.')
            } else if (c == '[' && glob.indexOf(']', i + 2) > 0) {
                int end = glob.indexOf(']', i + 2)
                String inside = glob.substring(i + 1, end)
                if (inside.startsWith('!')) { inside = '^' + inside.substring(1) }
                out.append('[').append(inside.replace('\\', '\\\\')).append(']')
                i = end
            } else {
                out.append(java.util.regex.Pattern.quote(String.valueOf(c)))
            }
            i++
        }
        return out.append('$').toString()
    }
}
// ---- jobgen: classes end ----
