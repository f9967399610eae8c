// meshCheck(file: 's3://...'): the mesh check every uploaded model goes through.
// A Jenkins shared library global step (vars/): jobs load it with @Library('mesh-tools') _
import com.somesite.mesh.Limits

def call(Map args) {
    String limits = libraryResource('mesh/limits.json').trim()
    String verdict = sh(returnStdout: true, script: "mesh-check --limits '${limits}' ${args.file}").trim()
    if (!Limits.acceptable(verdict)) {
        error("mesh ${args.file} rejected: ${verdict}")
    }
    return verdict
}

// Plain computation, no steps: @NonCPS is allowed (and faster on Jenkins).
@NonCPS
def summary(String verdict) {
    return verdict.tokenize(',').collect { it.trim() }.join(' / ')
}
