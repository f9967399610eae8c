// Promise callbacks (the talk, slides 8 and 11): a platform application
// triggers an orchestration with callback URLs; the build registers itself at
// REGISTRATION_RETURN_URL when it starts and always posts the report
// {Process, Status, Reason, Data, Log} to REPORT_RETURN_URL when it ends.
// Shared by prod and test mode; only sandbox-safe calls (httpRequest step,
// groovy.json.JsonOutput), fully qualified because imports cannot follow the prelude.

def promisePost(String url, Map payload) {
    return httpRequest(url: url, httpMode: 'POST', contentType: 'APPLICATION_JSON',
        requestBody: groovy.json.JsonOutput.toJson(payload))
}

def promiseRegister() {
    if (!params.REGISTRATION_RETURN_URL) {
        return null
    }
    return promisePost(params.REGISTRATION_RETURN_URL as String,
        [build_url: env.BUILD_URL, job: env.JOB_NAME, number: currentBuild.number])
}

def promiseReport(String status, String reason, Map data, Map log) {
    if (!params.REPORT_RETURN_URL) {
        echo "promise: no REPORT_RETURN_URL, report not sent (${status}: ${reason})"
        return null
    }
    // Process is the name withPromise was given; a bare call reports the job's name.
    String process = env.PROMISE_PROCESS ?: env.JOB_NAME
    return promisePost(params.REPORT_RETURN_URL as String,
        [Process: process, Status: status, Reason: reason, Data: data ?: [:], Log: log ?: [:]])
}

def withPromise(String process, Closure body) {
    env.PROMISE_PROCESS = process
    Map log = [build_url: env.BUILD_URL]
    def data = null
    try {
        promiseRegister()
        data = body()
    } catch (err) {
        // The report must go out whatever failed; the rethrow then fails the build.
        String reason = err.message ?: err.toString()
        promiseReport('FAILURE', reason, promiseData(data), log)
        throw err
    }
    String current = currentBuild.currentResult
    if (current != 'SUCCESS') {
        promiseReport('FAILURE', "build result is ${current}".toString(), promiseData(data), log)
    } else {
        promiseReport('SUCCESS', "${process} completed".toString(), promiseData(data), log)
    }
    return data
}

def promiseData(data) {
    if (data == null) {
        return [:]
    }
    return (data instanceof Map) ? data : [value: data]
}
