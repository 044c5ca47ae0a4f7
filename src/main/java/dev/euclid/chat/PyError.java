package dev.euclid.chat;

/**
 * A Python-level error raised while rendering (TypeError, UndefinedError, ...). The renderer tags
 * it with the line of the innermost template node being evaluated and turns it into a
 * {@link ChatTemplateException}.
 */
final class PyError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String type;
    int line;

    PyError(String type, String message) {
        super(message, null, false, false);
        this.type = type;
    }

    static PyError type(String message) {
        return new PyError("TypeError", message);
    }

    static PyError value(String message) {
        return new PyError("ValueError", message);
    }
}
