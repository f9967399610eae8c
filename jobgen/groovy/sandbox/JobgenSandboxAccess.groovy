// jobgen's Groovy sandbox (docs/sandbox.md): properties, attributes (.@) and subscripts.
// The order of the checks follows script-security's SandboxInterceptor
// (onGetProperty, onSetProperty, onGetAttribute, onGetArray ...): getter, boolean
// getter, extension getter, field, getProperty, then the static forms on a class.
import groovy.transform.CompileStatic
import java.lang.reflect.Field
import java.lang.reflect.Method
import java.lang.reflect.Modifier
import org.codehaus.groovy.runtime.InvokerHelper
import org.codehaus.groovy.runtime.metaclass.ClosureMetaMethod

@CompileStatic
class JobgenSandboxAccess {
    // Names a collection answers itself; any other name is read from each element (groovy-sandbox
    // ClosureSupport.BUILTIN_PROPERTIES).
    static final Set<String> BUILTIN = ['delegate', 'owner', 'maximumNumberOfParameters', 'parameterTypes',
        'metaClass', 'class', 'directive', 'resolveStrategy', 'thisObject'] as Set<String>

    static JobgenSandboxRules getRules() { JobgenSandbox.rules }

    // ---- property get ----

    static Object getProperty(Object receiver, boolean safe, boolean spread, Object property) {
        if (safe && receiver == null) { return null }
        String name = property.toString()
        if (spread || (receiver instanceof Collection && !BUILTIN.contains(name))) {
            List out = []
            Iterator it = InvokerHelper.asIterator(receiver)
            while (it.hasNext()) {
                Object each = it.next()
                out << (each == null ? null : getProperty(each, true, false, name))
            }
            return out
        }
        if (receiver instanceof Map) {
            // Groovy reads map.key as map.get(key): that is the call checked.
            JobgenSandbox.checkCall(receiver, 'get', [name] as Object[])
            return InvokerHelper.getProperty(receiver, name)
        }
        checkGet(receiver, name)
        return InvokerHelper.getProperty(receiver, name)
    }

    static void checkGet(Object receiver, String name) {
        if (receiver == null) { return }  // Groovy answers null.x with an exception of its own
        if (rules.trusts(receiver)) { return }
        boolean script = receiver instanceof Script
        if (script) {
            Script s = (Script) receiver
            // Binding variables and the global variables (env, params, currentBuild) are the script's to read.
            if (s.binding.hasVariable(name) || rules.globals.contains(name)) { return }
        }
        if (name == 'length' && receiver.getClass().isArray()) { return }
        if (rules.isDynamic(receiver.getClass())) { return }
        Candidates found = new Candidates(rules: rules)
        Object[] none = new Object[0]
        String cap = JobgenSandbox.capitalize(name)
        if (found.permits(rules.method(receiver, 'get' + cap, none))) { return }
        Method is = rules.method(receiver, 'is' + cap, none)
        if (is?.returnType == Boolean.TYPE && found.permits(is)) { return }
        Object[] self = [receiver] as Object[]
        for (Class dgm : JobgenSandbox.DGM) {
            if (found.permits(JobgenSandboxRules.declared(dgm, 'get' + cap, self))) { return }
            Method dgmIs = JobgenSandboxRules.declared(dgm, 'is' + cap, self)
            if (dgmIs?.returnType == Boolean.TYPE && found.permits(dgmIs)) { return }
        }
        if (found.permits(JobgenSandboxRules.field(receiver, name, rules))) { return }
        Method dynamic = rules.method(receiver, 'getProperty', [name] as Object[])
        if (dynamic != null && !synthetic(receiver, dynamic) && found.permits(dynamic)) { return }
        if (DefaultGroovyMethods_pick(receiver, 'get' + cap) instanceof ClosureMetaMethod) { return }
        if (receiver instanceof Class && found.permitsStatic((Class) receiver, ['get' + cap, 'is' + cap], none, name)) {
            return
        }
        if (script) {
            // An unknown name on the script: Groovy's own MissingPropertyException, as in Jenkins.
            throw new MissingPropertyException(name, receiver.getClass())
        }
        found.fail(receiver, name)
    }

    // ---- property set ----

    static Object setProperty(Object receiver, Object property, boolean safe, boolean spread, String op, Object value) {
        return assign(false, receiver, property, safe, spread, op, value)
    }

    // receiver.x = value (or receiver.@x with `attribute`); with `op`, a compound assignment:
    // a.x += y is a.x = a.x.plus(y), both halves checked.
    private static Object assign(boolean attribute, Object receiver, Object property, boolean safe, boolean spread,
            String op, Object value) {
        String name = property.toString()
        if (op != null) {
            Object old = attribute ? getAttribute(receiver, safe, spread, name) : getProperty(receiver, safe, spread, name)
            return assign(attribute, receiver, name, safe, spread, null, InvokerHelper.invokeMethod(old, op, value))
        }
        if (safe && receiver == null) { return value }
        if (spread) {
            InvokerHelper.asList(receiver).each { Object e -> if (e != null) { assign(attribute, e, name, true, false, null, value) } }
            return value
        }
        if (attribute) {
            checkField(receiver, name)
            InvokerHelper.setAttribute(receiver, name, value)
        } else {
            if (receiver instanceof Map) {
                JobgenSandbox.checkCall(receiver, 'put', [name, value] as Object[])
            } else {
                checkSet(receiver, name, value)
            }
            InvokerHelper.setProperty(receiver, name, value)
        }
        return value
    }

    static void checkSet(Object receiver, String name, Object value) {
        if (rules.trusts(receiver)) { return }
        if (receiver instanceof Script && name != 'binding' && name != 'metaClass') { return }
        if (rules.isDynamic(receiver.getClass())) { return }
        Candidates found = new Candidates(rules: rules)
        String setter = 'set' + JobgenSandbox.capitalize(name)
        Object[] arg = [value] as Object[]
        List<Method> setters = rules.methods(receiver, setter, 1)
        if (found.permits(setters.size() == 1 ? setters[0] : rules.method(receiver, setter, arg))) { return }
        Method dynamic = rules.method(receiver, 'setProperty', [name, value] as Object[])
        if (dynamic != null && !synthetic(receiver, dynamic) && found.permits(dynamic)) { return }
        if (found.permits(JobgenSandboxRules.field(receiver, name, rules))) { return }
        if (receiver instanceof Class && found.permitsStatic((Class) receiver, [setter], arg, name)) { return }
        found.fail(receiver, name)
    }

    // The members a property access could mean, tried in order: the first permitted one wins;
    // if none is, the first refused one is what the script is told (SandboxInterceptor's Rejector).
    static class Candidates {
        JobgenSandboxRules rules
        JobgenSandboxRejected rejected

        boolean permits(Method m) {
            if (m == null) { return false }
            if (rules.permits(m)) { return true }
            rejected = rejected ?: rules.reject(m)
            return false
        }

        boolean permits(Field f) {
            if (f == null) { return false }
            if (rules.permits(f)) { return true }
            rejected = rejected ?: rules.reject(f)
            return false
        }

        // The static getters/setters (by name), then the static field, of a class.
        boolean permitsStatic(Class c, List<String> names, Object[] args, String field) {
            for (String n : names) {
                Method m = JobgenSandboxRules.declared(c, n, args)
                if (m != null && Modifier.isStatic(m.modifiers) && permits(m)) { return true }
            }
            return permits(JobgenSandboxRules.staticField(c, field))
        }

        void fail(Object receiver, String name) {
            if (rejected != null) { throw JobgenSandbox.refuse(rejected) }
            throw unclassified(receiver, name)
        }
    }

    // ---- attributes: receiver.@field ----

    static Object getAttribute(Object receiver, boolean safe, boolean spread, Object property) {
        if (safe && receiver == null) { return null }
        String name = property.toString()
        if (spread) {
            return InvokerHelper.asList(receiver).collect { Object e -> e == null ? null : getAttribute(e, true, false, name) }
        }
        checkField(receiver, name)
        return InvokerHelper.getAttribute(receiver, name)
    }

    static Object setAttribute(Object receiver, Object property, boolean safe, boolean spread, String op, Object value) {
        return assign(true, receiver, property, safe, spread, op, value)
    }

    private static void checkField(Object receiver, String name) {
        Field field = JobgenSandboxRules.field(receiver, name, rules)
        if (field == null && receiver instanceof Class) { field = JobgenSandboxRules.staticField((Class) receiver, name) }
        if (field == null) { throw unclassified(receiver, name) }
        if (!rules.permits(field)) { throw JobgenSandbox.refuse(rules.reject(field)) }
    }

    // ---- subscripts: receiver[index] ----

    static Object getArray(Object receiver, Object index) {
        if (receiver != null && rules.isDynamic(receiver.getClass())) {
            // env[x]: EnvActionImpl has no getAt of its own, Groovy's getAt(Object, String) is refused.
            subscript(receiver, 'getAt', [index] as Object[])
        } else if (!(receiver != null && receiver.getClass().isArray() && index instanceof Integer)) {
            JobgenSandbox.checkCall(receiver, 'getAt', [index] as Object[])
        }
        return InvokerHelper.invokeMethod(receiver, 'getAt', [index] as Object[])
    }

    static Object setArray(Object receiver, Object index, String op, Object value) {
        if (op != null) {
            Object old = getArray(receiver, index)
            return setArray(receiver, index, null, InvokerHelper.invokeMethod(old, op, value))
        }
        if (receiver != null && rules.isDynamic(receiver.getClass())) {
            subscript(receiver, 'putAt', [index, value] as Object[])
        } else if (!(receiver != null && receiver.getClass().isArray() && index instanceof Integer)) {
            JobgenSandbox.checkCall(receiver, 'putAt', [index, value] as Object[])
        }
        InvokerHelper.invokeMethod(receiver, 'putAt', [index, value] as Object[])
        return value
    }

    private static void subscript(Object receiver, String method, Object[] args) {
        if (!JobgenSandbox.extension(receiver, method, args)) {
            throw new JobgenSandboxRejected('No such ' + method + ' method found: method ' + rules.name(receiver.getClass()))
        }
    }

    // ---- x.p++, ++x.p, a[i]--: read, step, write; the old or the new value ----

    static Object stepProperty(Object receiver, Object property, boolean safe, String op, boolean prefix) {
        Object old = getProperty(receiver, safe, false, property)
        Object stepped = InvokerHelper.invokeMethod(old, op, new Object[0])
        setProperty(receiver, property, safe, false, null, stepped)
        return prefix ? stepped : old
    }

    static Object stepArray(Object receiver, Object index, String op, boolean prefix) {
        Object old = getArray(receiver, index)
        Object stepped = InvokerHelper.invokeMethod(old, op, new Object[0])
        setArray(receiver, index, null, stepped)
        return prefix ? stepped : old
    }

    // ---- helpers ----

    private static boolean synthetic(Object receiver, Method m) {
        try {
            return receiver.getClass().getDeclaredMethod(m.name, m.parameterTypes).isSynthetic()
        } catch (NoSuchMethodException ignored) {
            return false
        }
    }

    private static Object DefaultGroovyMethods_pick(Object receiver, String getter) {
        try {
            return InvokerHelper.getMetaClass(receiver).pickMethod(getter, new Class[0])
        } catch (GroovyRuntimeException ignored) {
            return null
        }
    }

    static MissingPropertyException unclassified(Object receiver, String name) {
        return new MissingPropertyException('No such field found: field ' + rules.name(receiver.getClass()) + ' ' + name)
    }
}
