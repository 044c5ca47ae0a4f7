package dev.euclid.chat;

/**
 * A chat template that cannot be parsed or rendered: a syntax error, an unsupported construct, a
 * Python-level error while rendering (e.g. adding a string to a number) or the template's own
 * {@code raise_exception(...)}. The message names the template and the line, so a bad template
 * never silently produces a wrong prompt.
 */
public final class ChatTemplateException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String templateName;
    private final int line;
    private final String reason;

    ChatTemplateException(String templateName, int line, String reason, Throwable cause) {
        super(templateName + (line > 0 ? ", line " + line : "") + ": " + reason, cause);
        this.templateName = templateName;
        this.line = line;
        this.reason = reason;
    }

    ChatTemplateException(String templateName, int line, String reason) {
        this(templateName, line, reason, null);
    }

    /** The name given when the template was loaded (usually the file it came from). */
    public String templateName() {
        return templateName;
    }

    /** The template line the error was found on (1-based), or 0 when it concerns the whole template. */
    public int line() {
        return line;
    }

    /** What went wrong, without the template name and line (e.g. the text given to raise_exception). */
    public String reason() {
        return reason;
    }
}
