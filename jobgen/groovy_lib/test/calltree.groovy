// jobgen groovy_lib (test mode): the call tree of a run. A call made inside a block
// (stage, node, a parallel branch, a library step...) is that block's child; golden
// files and `within:` expectations read it. Classes only.

// ---- jobgen: classes begin (jobgen test compiles them once for every script) ----
class JobgenCallTree {
    List top = []     // [call: [step: args], children: [...] | null]
    List frames = []  // the children lists of the blocks running now, innermost last

    Map add(Map call) {
        Map made = [call: call, children: null]
        (frames ? frames[-1] : top) << made
        return made
    }

    def within(Map node, Closure body) {
        // Parallel branches run one after another (prelude), so one stack is enough.
        if (node.children == null) { node.children = [] }
        frames << node.children
        try {
            return body()
        } finally {
            frames.remove(frames.size() - 1)
        }
    }

    List shown() { shown(top) }

    static List shown(List nodes) {
        // What golden files show: `step: args`, and `calls:` under a block that made any.
        return nodes.collect { n ->
            n.children ? new LinkedHashMap(n.call) + [calls: shown(n.children)] : n.call
        }
    }
}
// ---- jobgen: classes end ----
