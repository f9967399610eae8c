// jobgen's Groovy sandbox (docs/sandbox.md): the compile-time rewrite.
// Every method call, property/attribute read and write, subscript, constructor,
// cast and ++/-- on a property in the sandboxed lines becomes a call to
// JobgenSandbox / JobgenSandboxAccess, which checks it and then performs it
// (groovy-sandbox's SandboxTransformer does the same for Jenkins, at the same
// phase, CANONICALIZATION). Lines outside [first, last] are left alone: under
// `jobgen test` that is the mock library, kept outside as Jenkins keeps step
// implementations outside its sandbox.
import org.codehaus.groovy.ast.AnnotatedNode
import org.codehaus.groovy.ast.AnnotationNode
import org.codehaus.groovy.ast.ClassCodeExpressionTransformer
import org.codehaus.groovy.ast.ClassHelper
import org.codehaus.groovy.ast.ClassNode
import org.codehaus.groovy.ast.DynamicVariable
import org.codehaus.groovy.ast.expr.ArgumentListExpression
import org.codehaus.groovy.ast.expr.AttributeExpression
import org.codehaus.groovy.ast.expr.BinaryExpression
import org.codehaus.groovy.ast.expr.CastExpression
import org.codehaus.groovy.ast.expr.ClassExpression
import org.codehaus.groovy.ast.expr.ClosureExpression
import org.codehaus.groovy.ast.expr.ConstantExpression
import org.codehaus.groovy.ast.expr.ConstructorCallExpression
import org.codehaus.groovy.ast.expr.DeclarationExpression
import org.codehaus.groovy.ast.expr.Expression
import org.codehaus.groovy.ast.expr.ListExpression
import org.codehaus.groovy.ast.expr.MethodCallExpression
import org.codehaus.groovy.ast.expr.MethodPointerExpression
import org.codehaus.groovy.ast.expr.PostfixExpression
import org.codehaus.groovy.ast.expr.PrefixExpression
import org.codehaus.groovy.ast.expr.PropertyExpression
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression
import org.codehaus.groovy.ast.expr.TupleExpression
import org.codehaus.groovy.ast.expr.VariableExpression
import org.codehaus.groovy.control.SourceUnit
import org.codehaus.groovy.syntax.Token
import org.codehaus.groovy.syntax.Types

class JobgenSandboxVisitor extends ClassCodeExpressionTransformer {
    static final ClassNode CHECKER = ClassHelper.make(JobgenSandbox)
    static final ClassNode ACCESS = ClassHelper.make(JobgenSandboxAccess)
    static final ClassNode OWN = ClassHelper.make(JobgenSandboxOwn)
    // Compound assignment -> the operator method Groovy calls (a += b is a = a.plus(b)).
    static final Map<Integer, String> COMPOUND = [
        (Types.PLUS_EQUAL): 'plus', (Types.MINUS_EQUAL): 'minus', (Types.MULTIPLY_EQUAL): 'multiply',
        (Types.DIVIDE_EQUAL): 'div', (Types.INTDIV_EQUAL): 'intdiv', (Types.MOD_EQUAL): 'mod',
        (Types.POWER_EQUAL): 'power', (Types.LEFT_SHIFT_EQUAL): 'leftShift',
        (Types.RIGHT_SHIFT_EQUAL): 'rightShift', (Types.RIGHT_SHIFT_UNSIGNED_EQUAL): 'rightShiftUnsigned',
        (Types.BITWISE_AND_EQUAL): 'and', (Types.BITWISE_OR_EQUAL): 'or', (Types.BITWISE_XOR_EQUAL): 'xor',
    ]
    // Declared types whose implicit cast never constructs anything.
    static final Set<String> PLAIN = ['java.lang.Object', 'java.lang.String', 'java.lang.Boolean',
        'java.lang.Integer', 'java.lang.Long', 'java.lang.Double', 'java.util.Map', 'java.util.List'] as Set

    final SourceUnit source
    final int first
    final int last
    ClassNode current  // the class being rewritten: the sender of its super calls

    JobgenSandboxVisitor(SourceUnit source, int first, int last) {
        this.source = source
        this.first = first
        this.last = last
    }

    protected SourceUnit getSourceUnit() { source }

    void sandbox(ClassNode node) {
        current = node
        // The text's own classes, methods and fields are the script's to use (GroovyClassLoaderWhitelist).
        if (!node.isScript() && inside(node)) { mark(node) }
        node.methods.each { if (inside(it) && !it.isSynthetic()) { mark(it) } }
        node.fields.each { if (inside(it)) { mark(it) } }
        visitClass(node)
    }

    private boolean inside(AnnotatedNode node) {
        return node.lineNumber >= first && node.lineNumber <= last
    }

    private static void mark(AnnotatedNode node) {
        AnnotationNode own = new AnnotationNode(OWN)
        own.setRuntimeRetention(true)  // retention is read before this phase: say it here
        node.addAnnotation(own)
    }

    Expression transform(Expression exp) {
        if (exp == null) { return null }
        if (exp.lineNumber > 0 && (exp.lineNumber < first || exp.lineNumber > last)) { return exp }
        Expression out = rewrite(exp)
        if (!out.is(exp)) { out.sourcePosition = exp }
        return out
    }

    private Expression rewrite(Expression exp) {
        if (exp instanceof ClosureExpression) {
            exp.code.visit(this)  // a closure's body is code like any other
            return exp
        }
        if (exp instanceof MethodCallExpression) { return methodCall(exp) }
        if (exp instanceof StaticMethodCallExpression) {
            return check(CHECKER, 'staticCall', new ClassExpression(exp.ownerType), new ConstantExpression(exp.method),
                arguments(exp.arguments))
        }
        if (exp instanceof ConstructorCallExpression && !exp.isSpecialCall()) {
            return check(CHECKER, 'construct', new ClassExpression(exp.type), arguments(exp.arguments))
        }
        if (exp instanceof AttributeExpression) {
            return check(ACCESS, 'getAttribute', transform(exp.objectExpression), flag(exp.safe), flag(exp.spreadSafe),
                transform(exp.property))
        }
        if (exp instanceof PropertyExpression) {
            return check(ACCESS, 'getProperty', transform(exp.objectExpression), flag(exp.safe), flag(exp.spreadSafe),
                transform(exp.property))
        }
        if (exp instanceof VariableExpression && dynamic(exp)) {
            // Not a local: a binding variable or a property of the script (AsmClassGenerator's rule).
            return check(ACCESS, 'getProperty', VariableExpression.THIS_EXPRESSION, flag(false), flag(false),
                new ConstantExpression(exp.name))
        }
        if (exp instanceof DeclarationExpression) { return declaration(exp) }
        if (exp instanceof BinaryExpression) { return binary(exp) }
        if (exp instanceof CastExpression) {
            return check(CHECKER, 'cast', new ClassExpression(exp.type), transform(exp.expression), flag(exp.coerce))
        }
        if (exp instanceof PostfixExpression) { return step(exp, exp.expression, exp.operation, false) }
        if (exp instanceof PrefixExpression) { return step(exp, exp.expression, exp.operation, true) }
        if (exp instanceof MethodPointerExpression) {
            return check(CHECKER, 'methodPointer', transform(exp.expression), transform(exp.methodName))
        }
        return super.transform(exp)
    }

    private Expression methodCall(MethodCallExpression call) {
        Expression receiver = call.objectExpression
        if (receiver instanceof VariableExpression && receiver.isSuperExpression()) {
            return check(CHECKER, 'superCall', new ClassExpression(current), VariableExpression.THIS_EXPRESSION,
                transform(call.method), arguments(call.arguments))
        }
        Expression target = call.isImplicitThis() ? VariableExpression.THIS_EXPRESSION : transform(receiver)
        return check(CHECKER, 'call', target, flag(call.safe), flag(call.spreadSafe), transform(call.method),
            arguments(call.arguments))
    }

    private Expression declaration(DeclarationExpression exp) {
        if (exp.isMultipleAssignmentDeclaration()) {
            exp.rightExpression = transform(exp.rightExpression)
            return exp
        }
        VariableExpression variable = exp.variableExpression
        Expression value = transform(exp.rightExpression)
        ClassNode type = variable.originType
        if (!ClassHelper.isPrimitiveType(type) && !PLAIN.contains(type.name) && !variable.isDynamicTyped()) {
            // An implicit cast can construct (File f = ['/etc/passwd']): check it like an explicit one.
            value = check(CHECKER, 'cast', new ClassExpression(type), value, flag(false))
        }
        DeclarationExpression out = new DeclarationExpression(variable, exp.operation, value)
        out.declaringClass = exp.declaringClass
        return out
    }

    private Expression binary(BinaryExpression exp) {
        int op = exp.operation.type
        Expression left = exp.leftExpression
        if (op == Types.LEFT_SQUARE_BRACKET) {
            return check(ACCESS, 'getArray', transform(left), transform(exp.rightExpression))
        }
        if (!Types.ofType(op, Types.ASSIGNMENT_OPERATOR)) { return super.transform(exp) }
        Expression compound = op == Types.ASSIGN ? ConstantExpression.NULL : new ConstantExpression(COMPOUND[op])
        Expression value = transform(exp.rightExpression)
        if (left instanceof VariableExpression && dynamic(left)) {
            return check(ACCESS, 'setProperty', VariableExpression.THIS_EXPRESSION, new ConstantExpression(left.name),
                flag(false), flag(false), compound, value)
        }
        if (left instanceof AttributeExpression) {
            return check(ACCESS, 'setAttribute', transform(left.objectExpression), transform(left.property),
                flag(left.safe), flag(left.spreadSafe), compound, value)
        }
        if (left instanceof PropertyExpression) {
            return check(ACCESS, 'setProperty', transform(left.objectExpression), transform(left.property),
                flag(left.safe), flag(left.spreadSafe), compound, value)
        }
        if (left instanceof BinaryExpression && left.operation.type == Types.LEFT_SQUARE_BRACKET) {
            return check(ACCESS, 'setArray', transform(left.leftExpression), transform(left.rightExpression),
                compound, value)
        }
        BinaryExpression out = new BinaryExpression(left, exp.operation, value)
        return out
    }

    private Expression step(Expression exp, Expression operand, Token operation, boolean prefix) {
        String op = operation.type == Types.PLUS_PLUS ? 'next' : 'previous'
        if (operand instanceof VariableExpression && dynamic(operand)) {
            return check(ACCESS, 'stepProperty', VariableExpression.THIS_EXPRESSION, new ConstantExpression(operand.name),
                flag(false), new ConstantExpression(op), flag(prefix))
        }
        if (operand instanceof PropertyExpression && !(operand instanceof AttributeExpression)) {
            return check(ACCESS, 'stepProperty', transform(operand.objectExpression), transform(operand.property),
                flag(operand.safe), new ConstantExpression(op), flag(prefix))
        }
        if (operand instanceof BinaryExpression && operand.operation.type == Types.LEFT_SQUARE_BRACKET) {
            return check(ACCESS, 'stepArray', transform(operand.leftExpression), transform(operand.rightExpression),
                new ConstantExpression(op), flag(prefix))
        }
        return super.transform(exp)
    }

    private static boolean dynamic(VariableExpression exp) {
        return exp.accessedVariable instanceof DynamicVariable && !exp.isThisExpression() && !exp.isSuperExpression()
    }

    // Arguments as one Object[] (spread arguments stay spread, as in a list literal).
    private Expression arguments(Expression args) {
        List<Expression> items = args instanceof TupleExpression ? args.expressions.collect { transform(it) } : [transform(args)]
        return new MethodCallExpression(new ListExpression(items), 'toArray', ArgumentListExpression.EMPTY_ARGUMENTS)
    }

    private static Expression flag(boolean value) {
        return new ConstantExpression(Boolean.valueOf(value))
    }

    private static Expression check(ClassNode owner, String name, Expression... args) {
        return new StaticMethodCallExpression(owner, name, new ArgumentListExpression(args))
    }
}
