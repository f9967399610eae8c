// jobgen's Groovy sandbox (docs/sandbox.md): the checks the transformed code calls.
// Every method call, property and attribute access, subscript, constructor and
// cast in sandboxed code arrives here (transformer.groovy rewrites it), is
// checked against the rules, and only then performed. The order of the checks
// follows script-security's SandboxInterceptor and groovy-sandbox's Checker.
import groovy.transform.CompileStatic
import java.lang.reflect.Constructor
import java.lang.reflect.Method
import java.lang.reflect.Modifier
import org.codehaus.groovy.runtime.DateGroovyMethods
import org.codehaus.groovy.runtime.DefaultGroovyMethods
import org.codehaus.groovy.runtime.EncodingGroovyMethods
import org.codehaus.groovy.runtime.InvokerHelper
import org.codehaus.groovy.runtime.MetaClassHelper
import org.codehaus.groovy.runtime.ProcessGroovyMethods
import org.codehaus.groovy.runtime.ScriptBytecodeAdapter
import org.codehaus.groovy.runtime.StringGroovyMethods
import org.codehaus.groovy.runtime.metaclass.ClosureMetaMethod

@CompileStatic
class JobgenSandbox {
    static volatile JobgenSandboxRules rules

    // The extension-method classes SandboxInterceptor looks in (DGM_CLASSES), those Groovy 2.4 has here.
    static final List<Class> DGM = [DefaultGroovyMethods, StringGroovyMethods, EncodingGroovyMethods,
        DateGroovyMethods, ProcessGroovyMethods] as List<Class>
    static final Set<String> NUMBER_MATH = ['plus', 'minus', 'multiply', 'div', 'compareTo', 'or', 'and', 'xor',
        'intdiv', 'mod', 'leftShift', 'rightShift', 'rightShiftUnsigned'] as Set<String>

    // The first refusal on this thread: `jobgen test` fails a scenario on it even when
    // the job caught the exception, as Jenkins queues every refused signature for approval.
    static final ThreadLocal<JobgenSandboxRejected> FIRST = new ThreadLocal<JobgenSandboxRejected>()

    static void init(File whitelist) {
        rules = JobgenSandboxRules.read(whitelist)
    }

    static JobgenSandboxRejected refuse(JobgenSandboxRejected rejected) {
        if (FIRST.get() == null) { FIRST.set(rejected) }
        return rejected
    }

    static JobgenSandboxRejected takeRejected() {
        JobgenSandboxRejected first = FIRST.get()
        FIRST.remove()
        return first
    }

    // ---- method calls ----

    static Object call(Object receiver, boolean safe, boolean spread, Object name, Object[] args) {
        String method = name.toString()
        if (receiver == null) {
            return safe ? null : InvokerHelper.invokeMethod(null, method, args)
        }
        if (spread) {
            List out = []
            Iterator it = InvokerHelper.asIterator(receiver)
            while (it.hasNext()) {
                Object each = it.next()
                out << (each == null ? null : call(each, true, false, method, args))
            }
            return out
        }
        if (receiver instanceof Script && method == 'evaluate' && args.length == 1 && args[0] instanceof CharSequence
                && !ownScriptMethod(receiver.getClass(), method)) {
            return evaluate((Script) receiver, args[0].toString())
        }
        checkCall(receiver, method, args)
        return InvokerHelper.invokeMethod(receiver, method, args)
    }

    static Object staticCall(Class receiver, String method, Object[] args) {
        Method m = JobgenSandboxRules.declared(receiver, method, args)
        if (m == null) {
            throw JobgenSandbox.refuse(new JobgenSandboxRejected('No such static method found: staticMethod ' + rules.name(receiver) + ' ' +
                method + rules.argTypes(args)))
        }
        if (!rules.permits(m)) { throw JobgenSandbox.refuse(rules.reject(m)) }
        return InvokerHelper.invokeStaticMethod(receiver, method, args)
    }

    static void checkCall(Object receiver, String method, Object[] args) {
        if (rules.trusts(receiver)) { return }  // a harness's stand-in for trusted library code
        if (receiver instanceof Closure && (method == 'call' || method == 'doCall')) {
            return  // a closure: its body is sandboxed where it was written
        }
        if (receiver instanceof Script) {
            checkScriptCall((Script) receiver, method, args)
            return
        }
        if (rules.isDynamic(receiver.getClass()) && (method == 'getProperty' || method == 'setProperty')) {
            return  // env.getProperty('X'): EnvActionImpl's own (CpsWhitelist)
        }
        if (receiver instanceof Class) {
            // Foo.bar(): a static method of Foo, or Class.forName() reached through any class.
            Method s = staticOf((Class) receiver, method, args) ?: staticOf(Class, method, args)
            if (s != null) {
                if (!rules.permits(s)) { throw JobgenSandbox.refuse(rules.reject(s)) }
                return
            }
        }
        Method m = rules.method(receiver, method, args)
        if (m != null) {
            if (rules.permits(m)) { return }
            if (method == 'invokeMethod' && args.length == 2 && args[1] instanceof Object[]) {
                throw JobgenSandbox.refuse(new JobgenSandboxRejected('method', rules.name(m.declaringClass) + ' invokeMethod' +
                    rules.types(m.parameterTypes) + ' (' + rules.name(receiver.getClass()) + ' ' + args[0] +
                    rules.argTypes((Object[]) args[1]) + ')'))
            }
            throw JobgenSandbox.refuse(rules.reject(m))
        }
        if (receiver instanceof Number && NUMBER_MATH.contains(method)) { return }
        if (extension(receiver, method, args)) { return }
        if (receiver instanceof Map && ((Map) receiver).get(method) instanceof Closure) { return }
        if (receiver instanceof GroovyObject) {
            // No such method: Groovy would go to invokeMethod, which is checked like any method.
            checkCall(receiver, 'invokeMethod', [method, args] as Object[])
            return
        }
        if (metaMethod(receiver, method, args) instanceof ClosureMetaMethod) { return }
        throw new MissingMethodException(method, receiver.getClass(), args)
    }

    private static void checkScriptCall(Script script, String method, Object[] args) {
        Class c = script.getClass()
        if (ownScriptMethod(c, method) || rules.steps.contains(method)) { return }
        if (script.binding.hasVariable(method) && script.binding.getVariable(method) instanceof Closure) { return }
        Method m = rules.method(script, method, args)
        if (m != null && !rules.permits(m)) { throw JobgenSandbox.refuse(rules.reject(m)) }
        // Not a method at all: the script's methodMissing answers, as Jenkins' DSL
        // answers "No such DSL method" for a step that does not exist.
    }

    private static Method staticOf(Class c, String method, Object[] args) {
        for (Class t = c; t != null; t = t.superclass) {
            Method m = JobgenSandboxRules.declared(t, method, args)
            if (m != null && Modifier.isStatic(m.modifiers)) { return m }
        }
        return null
    }

    // An extension method (DefaultGroovyMethods ...): true if permitted, rejected if found and not.
    static boolean extension(Object receiver, String method, Object[] args) {
        Object[] self = new Object[args.length + 1]
        self[0] = receiver
        System.arraycopy(args, 0, self, 1, args.length)
        Method found = null
        for (Class dgm : DGM) {
            Method m = JobgenSandboxRules.declared(dgm, method, self)
            if (m != null) {
                if (rules.permits(m)) { return true }
                if (found == null) { found = m }
            }
        }
        if (found != null) { throw JobgenSandbox.refuse(rules.reject(found)) }
        return false
    }

    private static Object metaMethod(Object receiver, String method, Object[] args) {
        Class[] types = new Class[args.length]
        for (int i = 0; i < args.length; i++) { types[i] = args[i] == null ? null : args[i].getClass() }
        try {
            return DefaultGroovyMethods.getMetaClass(receiver).pickMethod(method, types)
        } catch (GroovyRuntimeException ignored) {
            return null
        }
    }

    private static final Map<Class, Set<String>> OWN_METHODS = new java.util.concurrent.ConcurrentHashMap<Class, Set<String>>()

    static boolean ownScriptMethod(Class c, String method) {
        Set<String> names = OWN_METHODS[c]
        if (names == null) {
            names = new HashSet<String>()
            for (Class t = c; t != null && t != Script; t = t.superclass) {
                t.declaredMethods.each { Method m -> if (m.isAnnotationPresent(JobgenSandboxOwn)) { names.add(m.name) } }
            }
            OWN_METHODS[c] = names
        }
        return names.contains(method)
    }

    // evaluate(String): Jenkins runs the text as script code, in the sandbox (CpsScript.evaluate).
    private static Object evaluate(Script script, String text) {
        return JobgenSandboxCompiler.evaluate(script, text)
    }

    // x.&name: a closure whose every call is checked like x.name(...) (Jenkins' sandbox checks a
    // method pointer when it is called, SandboxedMethodClosure).
    static Object methodPointer(Object receiver, Object name) {
        String method = name.toString()
        if (receiver == null) { throw new NullPointerException('Cannot get a method pointer on null: ' + method) }
        return { Object[] args -> call(receiver, false, false, method, args) }
    }

    // ---- constructors and casts ----

    static Object construct(Class type, Object[] args) {
        Constructor c = JobgenSandboxRules.constructor(type, args)
        if (c == null) {
            throw JobgenSandbox.refuse(new JobgenSandboxRejected('No such constructor found: new ' + rules.name(type) + rules.argTypes(args)))
        }
        if (!rules.permits(c)) { throw JobgenSandbox.refuse(rules.reject(c)) }
        if (JobgenSandboxRules.own(type)) { checkParent(type) }
        if (c.parameterTypes.length == 0 && args.length == 1 && args[0] instanceof Map && !JobgenSandboxRules.own(type)) {
            Object made = InvokerHelper.invokeConstructorOf(type, new Object[0])
            ((Map) args[0]).each { Object k, Object v -> setProperty(made, k, false, false, null, v) }
            return made
        }
        return InvokerHelper.invokeConstructorOf(type, args)
    }

    private static final Map<Class, Boolean> PARENTS = new java.util.concurrent.ConcurrentHashMap<Class, Boolean>()

    // A class of the script runs its parent's constructor too (super(...), written or not). Jenkins
    // checks that exact call (groovy-sandbox checkedSuperConstructor); here the parent must have a
    // constructor a script may call, so `class O extends FileOutputStream` cannot open a file.
    private static void checkParent(Class type) {
        Class parent = type.superclass
        while (parent != null && JobgenSandboxRules.own(parent)) { parent = parent.superclass }
        if (parent == null || parent == Object || PARENTS[parent]) { return }
        List<Constructor> all = (parent.declaredConstructors as List<Constructor>).sort { Constructor k -> k.toString() }
        if (all.any { Constructor k -> rules.permits(k) }) {
            PARENTS[parent] = true
            return
        }
        Constructor shown = all.find { Constructor k -> k.parameterTypes.length == 0 } ?: (all ? all[0] : null)
        if (shown != null) { throw JobgenSandbox.refuse(rules.reject(shown)) }
    }

    // super.name(...) in a class of the script: checked as SandboxInterceptor.onSuperCall does.
    static Object superCall(Class sender, Object receiver, Object name, Object[] args) {
        String method = name.toString()
        Method m = rules.method(receiver, method, args)
        if (m == null) {
            throw JobgenSandbox.refuse(new JobgenSandboxRejected('No such method found: super.method ' +
                rules.name(receiver.getClass()) + ' ' + method + rules.argTypes(args)))
        }
        if (!rules.permits(m)) { throw JobgenSandbox.refuse(rules.reject(m)) }
        // Groovy names the parent as the sender of a super call (AsmClassGenerator).
        return ScriptBytecodeAdapter.invokeMethodOnSuperN(sender.superclass, (GroovyObject) receiver, method, args)
    }

    static Object cast(Class type, Object value, boolean coerce) {
        checkCast(type, value)
        return coerce ? ScriptBytecodeAdapter.asType(value, type) : ScriptBytecodeAdapter.castToType(value, type)
    }

    private static void checkCast(Class type, Object value) {
        if (value == null || type.isInstance(value)) { return }
        if (Collection.isAssignableFrom(type) && type.package?.name == 'java.util') { return }
        Class plain = type.isPrimitive() ? null : type
        if (type == Boolean.TYPE || type == Boolean) {
            checkCall(value, 'asBoolean', new Object[0])
        } else if (type.isPrimitive() || type == String || Number.isAssignableFrom(type) || type == Character) {
            return  // plain conversions, no reflection
        } else if (type.isInterface()) {
            // A closure or map coerced to an interface: each of its methods would be called.
            type.methods.each { Method m -> checkCall(value, m.name, defaults(m.parameterTypes)) }
        } else if (Modifier.isAbstract(type.modifiers) && (value instanceof Closure || value instanceof Map)) {
            type.constructors.each { Constructor k -> check(k) }
        } else if (plain != null && !type.isArray() && type != Object &&
                (value instanceof Collection || value instanceof Map || value.getClass().isArray())) {
            // [x] as File calls new File(x): the constructor is what is checked.
            Object[] args = value instanceof Map ? [value] as Object[] :
                value instanceof Collection ? ((Collection) value).toArray() : (Object[]) value
            Constructor c = JobgenSandboxRules.constructor(type, args)
            if (c == null) {
                throw JobgenSandbox.refuse(new JobgenSandboxRejected('No such constructor found: new ' + rules.name(type) + rules.argTypes(args)))
            }
            check(c)
        } else if (type.isArray() && value instanceof Collection) {
            ((Collection) value).each { Object e -> checkCast(type.componentType, e) }
        } else if (type == File && value instanceof CharSequence) {
            check(File.getConstructor(String))
        }
    }

    private static void check(Constructor c) {
        if (!rules.permits(c)) { throw JobgenSandbox.refuse(rules.reject(c)) }
    }

    private static Object[] defaults(Class[] types) {
        Object[] out = new Object[types.length]
        for (int i = 0; i < types.length; i++) {
            if (types[i] == Boolean.TYPE) { out[i] = false } else if (types[i].isPrimitive()) { out[i] = 0 }
        }
        return out
    }

    // ---- properties, attributes, subscripts: see JobgenSandboxAccess ----

    static Object setProperty(Object receiver, Object property, boolean safe, boolean spread, String op, Object value) {
        return JobgenSandboxAccess.setProperty(receiver, property, safe, spread, op, value)
    }

    static String capitalize(String name) {
        return MetaClassHelper.capitalize(name)
    }
}
