package dev.euclid.chat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Python's arithmetic operators on template values: bool is an int, int/int is a float, // and %
 * floor, ints never overflow, str + int is a TypeError, and an Undefined operand raises.
 */
final class PyArithmetic {
    private PyArithmetic() {}

    static Object add(Object a, Object b) {
        undefinedOperand(a, b);
        if (PyOps.isNumber(a) && PyOps.isNumber(b)) {
            if (a instanceof Double || b instanceof Double) return PyOps.toDouble(a) + PyOps.toDouble(b);
            return PyOps.integer(PyOps.bigOf(a).add(PyOps.bigOf(b)));
        }
        if (a instanceof Markup || b instanceof Markup) {
            if (PyOps.isString(a) && PyOps.isString(b)) return new Markup(Markup.of(a).text() + Markup.of(b).text());
        } else if (a instanceof String x && b instanceof String y) {
            PyOps.checkLength((long) x.length() + y.length());
            return x + y;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            PyOps.checkLength((long) x.size() + y.size());
            List<Object> out = new ArrayList<>(x);
            out.addAll(y);
            return out;
        }
        if (a instanceof PyTuple x && b instanceof PyTuple y) {
            List<Object> out = new ArrayList<>(x.items());
            out.addAll(y.items());
            return new PyTuple(out);
        }
        if (a instanceof String || a instanceof List || a instanceof PyTuple) {
            throw PyError.type("can only concatenate " + PyStr.typeName(a) + " (not \"" + PyStr.typeName(b) + "\") to "
                    + PyStr.typeName(a));
        }
        throw unsupported("+", a, b);
    }

    static Object subtract(Object a, Object b) {
        undefinedOperand(a, b);
        if (!PyOps.isNumber(a) || !PyOps.isNumber(b)) throw unsupported("-", a, b);
        if (a instanceof Double || b instanceof Double) return PyOps.toDouble(a) - PyOps.toDouble(b);
        return PyOps.integer(PyOps.bigOf(a).subtract(PyOps.bigOf(b)));
    }

    static Object multiply(Object a, Object b) {
        undefinedOperand(a, b);
        if (PyOps.isNumber(a) && PyOps.isNumber(b)) {
            if (a instanceof Double || b instanceof Double) return PyOps.toDouble(a) * PyOps.toDouble(b);
            return PyOps.integer(PyOps.bigOf(a).multiply(PyOps.bigOf(b)));
        }
        if (PyOps.isInt(a) && !PyOps.isNumber(b)) return multiply(b, a);
        if (PyOps.isInt(b)) {
            long n = Math.max(0, PyOps.toLong(b));
            if (PyOps.isString(a)) {
                String s = PyOps.text(a);
                PyOps.checkLength(s.length() * n);
                String out = s.repeat((int) n);
                return a instanceof Markup ? new Markup(out) : out;
            }
            if (a instanceof List<?> l) {
                PyOps.checkLength(l.size() * n);
                List<Object> out = new ArrayList<>();
                for (long i = 0; i < n; i++) out.addAll(l);
                return out;
            }
            if (a instanceof PyTuple t) return new PyTuple((List<Object>) multiply(t.items(), b));
        }
        throw unsupported("*", a, b);
    }

    static Object divide(Object a, Object b) {
        undefinedOperand(a, b);
        if (!PyOps.isNumber(a) || !PyOps.isNumber(b)) throw unsupported("/", a, b);
        double y = PyOps.toDouble(b);
        if (y == 0) throw new PyError("ZeroDivisionError", "division by zero");
        return PyOps.toDouble(a) / y;
    }

    static Object floorDivide(Object a, Object b) {
        undefinedOperand(a, b);
        if (!PyOps.isNumber(a) || !PyOps.isNumber(b)) throw unsupported("//", a, b);
        if (a instanceof Double || b instanceof Double) {
            double y = PyOps.toDouble(b);
            if (y == 0) throw new PyError("ZeroDivisionError", "float floor division by zero");
            return Math.floor(PyOps.toDouble(a) / y);
        }
        BigInteger y = PyOps.bigOf(b);
        if (y.signum() == 0) throw new PyError("ZeroDivisionError", "integer division or modulo by zero");
        BigInteger[] qr = PyOps.bigOf(a).divideAndRemainder(y);
        BigInteger q = qr[0];
        if (qr[1].signum() != 0 && qr[1].signum() != y.signum()) q = q.subtract(BigInteger.ONE);
        return PyOps.integer(q);
    }

    static Object modulo(Object a, Object b) {
        if (a instanceof Undefined u) throw u.error();
        if (PyOps.isString(a)) { // str % x is tried before x's own %, so even an Undefined x is formatted
            String out = PyFormat.percent(PyOps.text(a), b);
            return a instanceof Markup ? new Markup(out) : out;
        }
        if (b instanceof Undefined u) throw u.error();
        if (!PyOps.isNumber(a) || !PyOps.isNumber(b)) throw unsupported("%", a, b);
        if (a instanceof Double || b instanceof Double) {
            double x = PyOps.toDouble(a), y = PyOps.toDouble(b);
            if (y == 0) throw new PyError("ZeroDivisionError", "float modulo");
            double r = x % y;
            if (r != 0 && (r < 0) != (y < 0)) r += y;
            return r;
        }
        BigInteger y = PyOps.bigOf(b);
        if (y.signum() == 0) throw new PyError("ZeroDivisionError", "integer division or modulo by zero");
        BigInteger r = PyOps.bigOf(a).mod(y.abs());
        if (y.signum() < 0 && r.signum() != 0) r = r.add(y);
        return PyOps.integer(r);
    }

    static Object power(Object a, Object b) {
        undefinedOperand(a, b);
        if (!PyOps.isNumber(a) || !PyOps.isNumber(b)) throw unsupported("** or pow()", a, b);
        if (a instanceof Double || b instanceof Double || PyOps.toLong(b) < 0) return Math.pow(PyOps.toDouble(a), PyOps.toDouble(b));
        long exponent = PyOps.toLong(b);
        if (exponent > 4096) throw new PyError("OverflowError", "exponent " + exponent + " is too large for a template");
        return PyOps.integer(PyOps.bigOf(a).pow((int) exponent));
    }

    static Object negate(Object a) {
        if (a instanceof Undefined u) throw u.error();
        if (a instanceof Double d) return -d;
        if (PyOps.isNumber(a)) return PyOps.integer(PyOps.bigOf(a).negate());
        throw PyError.type("bad operand type for unary -: '" + PyStr.typeName(a) + "'");
    }

    static Object plus(Object a) {
        if (a instanceof Undefined u) throw u.error();
        if (a instanceof Double) return a;
        if (PyOps.isNumber(a)) return PyOps.integer(PyOps.bigOf(a));
        throw PyError.type("bad operand type for unary +: '" + PyStr.typeName(a) + "'");
    }

    private static void undefinedOperand(Object a, Object b) {
        if (a instanceof Undefined u) throw u.error();
        if (b instanceof Undefined u) throw u.error();
    }

    private static PyError unsupported(String op, Object a, Object b) {
        return PyError.type("unsupported operand type(s) for " + op + ": '" + PyStr.typeName(a) + "' and '"
                + PyStr.typeName(b) + "'");
    }
}
