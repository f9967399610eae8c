// jobgen's Groovy sandbox (docs/sandbox.md): the rules.
// What a sandboxed script may touch, read from whitelist.txt, and how a call
// site is resolved to the one Java member whose signature is checked. The
// signature strings and the message follow script-security (RejectedAccessException,
// StaticWhitelist.rejectMethod, GroovyCallSiteSelector); docs/jenkins-facts.md
// names the lines.
import groovy.transform.CompileStatic
import java.lang.reflect.Constructor
import java.lang.reflect.Field
import java.lang.reflect.Method
import java.lang.reflect.Modifier
import java.util.concurrent.ConcurrentHashMap

@CompileStatic
class JobgenSandboxRules {
    final Set<String> signatures = new HashSet<String>()
    final Set<String> steps = new HashSet<String>()
    final Set<String> globals = new HashSet<String>()
    final Map<String, String> standIns = new HashMap<String, String>()
    final Set<String> dynamic = new HashSet<String>()
    private final Map<Class, List<Class>> typeCache = new ConcurrentHashMap<Class, List<Class>>()
    private final Map<Method, Boolean> permitted = new ConcurrentHashMap<Method, Boolean>()
    // Call site selection is the costly part of a check: its answer per (class, name, argument classes).
    private static final Map<List, Object> SELECTED = new ConcurrentHashMap<List, Object>()
    private static final Object NONE = new Object()

    static JobgenSandboxRules read(File file) {
        JobgenSandboxRules rules = new JobgenSandboxRules()
        file.getText('UTF-8').readLines().each { String raw ->
            int hash = raw.indexOf('#')
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).trim()
            if (!line) { return }
            List<String> words = line.tokenize(' ')
            switch (words[0]) {
                case 'step': rules.steps.add(words[1]); break
                case 'global': rules.globals.add(words[1]); break
                case 'standin': rules.standIns[words[1]] = words[2]; break
                case 'dynamic': rules.dynamic.add(words[1]); break
                default: rules.signatures.add(words.join(' '))
            }
        }
        return rules
    }

    // ---- names, as EnumeratingWhitelist.getName prints them ----

    String name(Class c) {
        if (c.isArray()) { return name(c.componentType) + '[]' }
        String standIn = standIns[c.name]
        if (standIn != null) { return standIn }
        // A compiled job script stands for Jenkins' script class.
        if (Script.isAssignableFrom(c) && c != Script) { return 'WorkflowScript' }
        return c.name
    }

    String types(Class[] params) {
        StringBuilder out = new StringBuilder()
        params.each { Class p -> out.append(' ').append(name(p)) }
        return out.toString()
    }

    String argTypes(Object[] args) {
        StringBuilder out = new StringBuilder()
        args.each { Object a -> out.append(' ').append(a == null ? 'null' : name(a.getClass())) }
        return out.toString()
    }

    // ---- what is allowed ----

    // Set by a harness: classes it trusts as Jenkins trusts a global shared library's
    // (jobgen test's libraries, jobgen/groovy/support.groovy).
    static Closure trusted = null

    static boolean own(Class c) {
        return c.isAnnotationPresent(JobgenSandboxOwn) || (trusted != null && trusted(c))
    }

    static boolean trusts(Object receiver) {
        return trusted != null && receiver != null && !(receiver instanceof Class) && trusted(receiver.getClass())
    }

    boolean permits(Method m) {
        Boolean known = permitted[m]
        if (known == null) {
            String kind = Modifier.isStatic(m.modifiers) ? 'staticMethod ' : 'method '
            known = own(m.declaringClass) || m.isAnnotationPresent(JobgenSandboxOwn) ||
                signatures.contains(kind + name(m.declaringClass) + ' ' + m.name + types(m.parameterTypes))
            permitted[m] = known
        }
        return known
    }

    boolean permits(Constructor c) {
        return own(c.declaringClass) || signatures.contains('new ' + name(c.declaringClass) + types(c.parameterTypes))
    }

    boolean permits(Field f) {
        if (own(f.declaringClass) || f.isAnnotationPresent(JobgenSandboxOwn)) { return true }
        String kind = Modifier.isStatic(f.modifiers) ? 'staticField ' : 'field '
        return signatures.contains(kind + name(f.declaringClass) + ' ' + f.name)
    }

    boolean isDynamic(Class c) {
        return dynamic.contains(name(c))
    }

    JobgenSandboxRejected reject(Method m) {
        String kind = Modifier.isStatic(m.modifiers) ? 'staticMethod' : 'method'
        return new JobgenSandboxRejected(kind, name(m.declaringClass) + ' ' + m.name + types(m.parameterTypes))
    }

    JobgenSandboxRejected reject(Constructor c) {
        return new JobgenSandboxRejected('new', name(c.declaringClass) + types(c.parameterTypes))
    }

    JobgenSandboxRejected reject(Field f) {
        String kind = Modifier.isStatic(f.modifiers) ? 'staticField' : 'field'
        return new JobgenSandboxRejected(kind, name(f.declaringClass) + ' ' + f.name)
    }

    // ---- call site selection, as GroovyCallSiteSelector does it ----

    List<Class> supertypes(Class c) {
        List<Class> found = typeCache[c]
        if (found == null) {
            LinkedHashSet<Class> seen = new LinkedHashSet<Class>()
            visit(seen, c)
            found = new ArrayList<Class>(seen)
            typeCache[c] = found
        }
        return found
    }

    private static void visit(Set<Class> seen, Class c) {
        // Supertypes first, so a method is named by the most general type declaring it.
        if (c.superclass != null) { visit(seen, c.superclass) }
        c.interfaces.each { Class i -> visit(seen, i) }
        seen.add(c)
    }

    Method method(Object receiver, String name, Object[] args) {
        List<Class> all = supertypes(receiver.getClass())
        if (all.contains(GroovyInterceptable) && name != 'invokeMethod') {
            return method(receiver, 'invokeMethod', [name, args] as Object[])
        }
        for (Class c : all) {
            Method m = declared(c, name, args)
            if (m != null) { return m }
        }
        return receiver instanceof GString ? declared(String, name, args) : null
    }

    List<Method> methods(Object receiver, String name, int arity) {
        List<Method> found = []
        supertypes(receiver.getClass()).each { Class c ->
            c.declaredMethods.each { Method m -> if (m.name == name && m.parameterTypes.length == arity) { found << m } }
        }
        return found
    }

    static Method declared(Class c, String name, Object[] args) {
        List key = selectionKey(c, name, args)
        Object known = key == null ? null : SELECTED[key]
        if (known != null) { return known.is(NONE) ? null : (Method) known }
        Method found = select(c, name, args)
        if (key != null) { SELECTED[key] = found == null ? NONE : found }
        return found
    }

    private static List selectionKey(Class c, String name, Object[] args) {
        List key = new ArrayList(args.length + 2)
        key.add(c)
        key.add(name)
        for (Object a : args) {
            if (a instanceof Long) { return null }  // whether a long fits an int depends on its value
            key.add(a == null ? null : a.getClass())
        }
        return key
    }

    private static Method select(Class c, String name, Object[] args) {
        Method best = null
        for (Method m : c.declaredMethods) {
            if (m.name == name && matches(m.parameterTypes, args, varargs(m.parameterTypes, m.isVarArgs(), args))) {
                if (best == null || moreSpecific(m.parameterTypes, m.isVarArgs(), best.parameterTypes, best.isVarArgs())) {
                    best = m
                }
            }
        }
        return best
    }

    static Constructor constructor(Class c, Object[] args) {
        Constructor best = null
        for (Constructor k : c.declaredConstructors) {
            if (matches(k.parameterTypes, args, varargs(k.parameterTypes, k.isVarArgs(), args))) {
                if (best == null || moreSpecific(k.parameterTypes, k.isVarArgs(), best.parameterTypes, best.isVarArgs())) {
                    best = k
                }
            }
        }
        if (best == null && args.length == 1 && args[0] instanceof Map) {
            // Groovy's map constructor: the no-argument constructor, then a property set per key.
            best = c.declaredConstructors.find { Constructor k -> k.parameterTypes.length == 0 } as Constructor
        }
        return best
    }

    static Field field(Object receiver, String name, JobgenSandboxRules rules) {
        for (Class c : rules.supertypes(receiver.getClass())) {
            Field f = c.declaredFields.find { Field x -> x.name == name } as Field
            if (f != null) { return f }
        }
        return null
    }

    static Field staticField(Class c, String name) {
        return c.declaredFields.find { Field x -> x.name == name && Modifier.isStatic(x.modifiers) } as Field
    }

    private static boolean varargs(Class[] params, boolean declared, Object[] args) {
        if (declared) { return true }
        if (params.length < 2) { return false }
        int last = params.length - 1
        if (!params[last].isArray() || args.length <= params.length) { return false }
        Class component = params[last].componentType
        for (int i = last; i < args.length; i++) {
            if (args[i] != null && !component.isInstance(args[i])) { return false }
        }
        return true
    }

    private static boolean matches(Class[] params, Object[] args, boolean varargs) {
        if (varargs && params.length > 0) {
            int fixed = params.length - 1
            if (args.length < fixed) { return false }
            for (int i = 0; i < fixed; i++) { if (!accepts(params[i], args[i])) { return false } }
            if (args.length == params.length && (args[fixed] == null || params[fixed].isInstance(args[fixed]))) {
                return true  // the array itself was passed
            }
            Class component = params[fixed].componentType
            for (int i = fixed; i < args.length; i++) { if (!accepts(component, args[i])) { return false } }
            return true
        }
        if (params.length != args.length) { return false }
        for (int i = 0; i < params.length; i++) { if (!accepts(params[i], args[i])) { return false } }
        return true
    }

    private static final Map<Class, Class> BOXES = [(Integer.TYPE): Integer, (Long.TYPE): Long, (Boolean.TYPE): Boolean,
        (Double.TYPE): Double, (Float.TYPE): Float, (Short.TYPE): Short, (Byte.TYPE): Byte,
        (Character.TYPE): Character] as Map<Class, Class>

    private static boolean accepts(Class param, Object arg) {
        if (arg == null) { return !param.isPrimitive() }
        if (param.isInstance(arg)) { return true }
        if (param.isPrimitive()) {
            Class box = BOXES[param]
            if (box.isInstance(arg)) { return true }
            if (box == Long && arg instanceof Integer) { return true }  // widening
            if (box == Integer && arg instanceof Long) {
                long n = (Long) arg
                return n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE
            }
            return false
        }
        return param == String && arg instanceof GString
    }

    // GroovyCallSiteSelector.isMoreSpecific: varargs lose; else the first parameter that differs decides.
    private static boolean moreSpecific(Class[] more, boolean moreVar, Class[] less, boolean lessVar) {
        if (lessVar && !moreVar) { return true }
        if (!lessVar && moreVar) { return false }
        if (more.length != less.length) { return more.length > less.length }
        for (int i = 0; i < more.length; i++) {
            Class a = more[i].isPrimitive() ? BOXES[more[i]] : more[i]
            Class b = less[i].isPrimitive() ? BOXES[less[i]] : less[i]
            if (a.isAssignableFrom(b)) { return false }
            if (b.isAssignableFrom(a)) { return true }
            if (a == Long && b == Integer) { return false }
            if (a == Integer && b == Long) { return true }
        }
        return Arrays.toString(more) > Arrays.toString(less)  // incomparable: any fixed choice
    }
}
