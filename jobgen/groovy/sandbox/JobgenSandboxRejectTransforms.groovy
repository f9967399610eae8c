// jobgen's Groovy sandbox (docs/sandbox.md): annotations that run code while
// compiling (@Grab downloads and loads jars, @ASTTest runs its closure) are
// refused before they act, with script-security's message
// (RejectASTTransformsCustomizer).
import org.codehaus.groovy.ast.AnnotatedNode
import org.codehaus.groovy.ast.AnnotationNode
import org.codehaus.groovy.ast.ClassCodeVisitorSupport
import org.codehaus.groovy.ast.ClassNode
import org.codehaus.groovy.ast.ImportNode
import org.codehaus.groovy.classgen.GeneratorContext
import org.codehaus.groovy.control.CompilePhase
import org.codehaus.groovy.control.SourceUnit
import org.codehaus.groovy.control.customizers.CompilationCustomizer

class JobgenSandboxRejectTransforms extends CompilationCustomizer {
    static final List<String> BLOCKED = ['groovy.transform.ASTTest', 'groovy.lang.Grab', 'groovy.lang.GrabConfig',
        'groovy.lang.GrabExclude', 'groovy.lang.GrabResolver', 'groovy.lang.Grapes',
        'groovy.transform.AnnotationCollector']

    JobgenSandboxRejectTransforms() {
        super(CompilePhase.CONVERSION)
    }

    void call(SourceUnit source, GeneratorContext context, ClassNode node) {
        def module = node.module
        List<ImportNode> imports = module.imports + module.starImports + (module.staticImports.values() as List) +
            (module.staticStarImports.values() as List)
        imports.each { check(it) }
        new ClassCodeVisitorSupport() {
            protected SourceUnit getSourceUnit() { source }

            void visitAnnotations(AnnotatedNode annotated) {
                check(annotated)
                super.visitAnnotations(annotated)
            }
        }.visitClass(node)
    }

    static void check(AnnotatedNode annotated) {
        annotated.annotations.each { AnnotationNode a ->
            String name = a.classNode.name
            // Before resolution a name may be short (Grab) or qualified (groovy.lang.Grab).
            if (BLOCKED.any { it == name || it.endsWith('.' + name) }) {
                throw new SecurityException("Annotation ${name} cannot be used in the sandbox.".toString())
            }
        }
    }
}
