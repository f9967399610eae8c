// jobgen's Groovy sandbox (docs/sandbox.md): the compilation customizers a
// sandboxed compile adds, and the lines of each source they apply to.
import java.util.concurrent.ConcurrentHashMap
import org.codehaus.groovy.ast.ClassNode
import org.codehaus.groovy.classgen.GeneratorContext
import org.codehaus.groovy.control.CompilePhase
import org.codehaus.groovy.control.SourceUnit
import org.codehaus.groovy.control.customizers.CompilationCustomizer

class JobgenSandboxTransformer extends CompilationCustomizer {
    // Source name -> [first, last]: the sandboxed lines. A source not named here is sandboxed whole.
    final Map<String, List<Integer>> ranges = new ConcurrentHashMap<String, List<Integer>>()

    JobgenSandboxTransformer() {
        super(CompilePhase.CANONICALIZATION)
    }

    void call(SourceUnit source, GeneratorContext context, ClassNode node) {
        List<Integer> range = ranges[source.name]
        new JobgenSandboxVisitor(source, range ? range[0] : 0, range ? range[1] : Integer.MAX_VALUE).sandbox(node)
    }
}
