// meshCheck(file: 's3://...'): the mesh checks every model goes through.
import com.somesite.mesh.Limits

def call(Map args) {
    String limits = libraryResource('mesh/limits.json')
    def verdict = sh(returnStdout: true, script: "mesh-check --limits '${limits.trim()}' ${args.file}").trim()
    if (!Limits.acceptable(verdict)) {
        error("mesh ${args.file} rejected: ${verdict}")
    }
    return verdict
}

@NonCPS
def summary(String verdict) {
    return verdict.tokenize(',').collect { it.trim() }.join(' / ')
}
