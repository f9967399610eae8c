// jobgen's Groovy sandbox (docs/sandbox.md): the mark of the sandboxed text's own code.
import java.lang.annotation.ElementType
import java.lang.annotation.Retention
import java.lang.annotation.RetentionPolicy
import java.lang.annotation.Target

// Put by the transformer on the classes, methods and fields the sandboxed text
// declares itself: the script's own code is allowed, as Jenkins allows classes
// its script class loader defined (GroovyClassLoaderWhitelist).
@Retention(RetentionPolicy.RUNTIME)
@Target([ElementType.TYPE, ElementType.METHOD, ElementType.FIELD, ElementType.CONSTRUCTOR])
@interface JobgenSandboxOwn {}

