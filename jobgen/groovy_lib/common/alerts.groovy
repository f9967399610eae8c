// Threshold alerts of generated orchestrations (the component file's `alerts:`).
// The threshold was parsed when the component file was loaded; here one number from
// the metrics file is compared with one number through a fixed operator. Sandbox-safe:
// copyArtifacts, readJSON (pipeline-utility-steps, never JsonSlurper), Map.get and
// comparisons of Numbers (Comparable.compareTo) are on the stock whitelists
// (docs/jenkins-facts.md, features).

// The metrics file a step's build archived, copied into this workspace and read.
def jobgenReadMetrics(String job, int number, String file) {
    copyArtifacts(projectName: job, selector: specific(number.toString()), filter: file,
        target: 'jobgen-metrics', fingerprintArtifacts: false)
    return readJSON(file: 'jobgen-metrics/' + file)
}

// Whether `value op threshold` holds.
def jobgenBreached(Number value, String op, Number threshold) {
    if (op == '<') { return value < threshold }
    if (op == '<=') { return value <= threshold }
    if (op == '>') { return value > threshold }
    if (op == '>=') { return value >= threshold }
    if (op == '==') { return value == threshold }
    if (op == '!=') { return value != threshold }
    error("jobgen: unknown alert operator ${op}")
}

// Post the alert to the webhook in `credential` when the threshold is crossed; quiet otherwise.
// A metric that is missing or not a number fails the build: an alert that cannot be
// checked must not pass for a quiet one. The build's result is otherwise unchanged.
def jobgenAlert(Map metrics, String metric, String op, Number threshold, String credential, String message) {
    def value = metrics.get(metric)
    if (!(value instanceof Number)) {
        error("jobgen: the metrics hold no number `${metric}` (found ${value}); the alert ${metric} ${op} ${threshold} cannot be checked")
    }
    if (!jobgenBreached(value, op, threshold)) {
        echo("jobgen: alert quiet: ${metric} = ${value}, not ${op} ${threshold}")
        return false
    }
    echo("jobgen: ALERT ${metric} = ${value} ${op} ${threshold}; posting to the webhook in credential ${credential}")
    withCredentials([string(credentialsId: credential, variable: 'JOBGEN_ALERT_URL')]) {
        httpRequest(
            url: env.JOBGEN_ALERT_URL,
            httpMode: 'POST',
            contentType: 'APPLICATION_JSON',
            requestBody: groovy.json.JsonOutput.toJson([
                message: message + ' ' + env.BUILD_URL,
                metric: metric,
                value: value,
                condition: metric + ' ' + op + ' ' + threshold,
                job: env.JOB_NAME,
                build: env.BUILD_NUMBER,
                url: env.BUILD_URL,
            ]),
        )
    }
    return true
}
