// jobgen's Groovy sandbox (docs/sandbox.md): what a refused call throws.
import groovy.transform.CompileStatic

// RejectedAccessException: same message, same signature format.
@CompileStatic
class JobgenSandboxRejected extends SecurityException {
    final String signature

    JobgenSandboxRejected(String type, String details) {
        super('Scripts not permitted to use ' + type + ' ' + details)
        signature = type + ' ' + details
    }

    JobgenSandboxRejected(String message) {
        super(message)
        signature = null
    }
}

