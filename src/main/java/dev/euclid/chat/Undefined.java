package dev.euclid.chat;

/**
 * Jinja2's default Undefined: what a missing variable, key or attribute evaluates to. It prints as
 * "", is false, iterates as empty and has length 0; using it in arithmetic, calling it or reading
 * an attribute of it raises an error carrying the hint of how it arose.
 */
final class Undefined {
    final String hint;
    /** The error type raised when it is used: UndefinedError, or SecurityError for an unsafe attribute. */
    final String errorType;

    private Undefined(String hint, String errorType) {
        this.hint = hint;
        this.errorType = errorType;
    }

    static Undefined named(String name) {
        return new Undefined("'" + name + "' is undefined", "UndefinedError");
    }

    static Undefined attribute(Object owner, Object name) {
        String owner1 = PyStr.objectDescription(owner);
        return new Undefined(name instanceof String
                ? "'" + owner1 + "' has no attribute " + PyStr.repr(name)
                : owner1 + " has no element " + PyStr.repr(name), "UndefinedError");
    }

    static Undefined withHint(String hint) {
        return new Undefined(hint, "UndefinedError");
    }

    static Undefined unsafe(Object owner, String name) {
        return new Undefined("access to attribute '" + name + "' of '" + PyStr.typeName(owner)
                + "' object is unsafe.", "SecurityError");
    }

    PyError error() {
        return new PyError(errorType, hint);
    }
}
