// Downstream results for generated orchestrations (and any job that wants them).
// They call `build(..., propagate: false)` and read the returned RunWrapper: its
// getters are @Whitelisted, while the FlowInterruptedException a failing
// `build` throws has a getResult() the sandbox rejects (docs/jenkins-facts.md).

// The worse of the result so far and a finished downstream build's; a build that did
// not succeed sets this build's result (the phases after it then do not run).
def jobgenWorse(String current, run) {
    String result = run.result
    if (result == 'SUCCESS') {
        return current
    }
    currentBuild.result = result
    echo("jobgen: ${run.fullDisplayName} finished ${result}; the phases after it do not run")
    def order = ['SUCCESS', 'UNSTABLE', 'FAILURE', 'NOT_BUILT', 'ABORTED']
    return order.indexOf(result) > order.indexOf(current) ? result : current
}
