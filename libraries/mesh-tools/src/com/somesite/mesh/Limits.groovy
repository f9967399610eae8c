package com.somesite.mesh

// A class of the library's src/: jobs and vars/ steps import it.
class Limits {
    static boolean acceptable(String verdict) {
        return verdict.startsWith('ok')
    }
}
