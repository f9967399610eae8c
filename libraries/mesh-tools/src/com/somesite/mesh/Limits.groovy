package com.somesite.mesh

class Limits {
    static boolean acceptable(String verdict) { verdict.startsWith('ok') }
}
