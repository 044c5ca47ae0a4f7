package dev.euclid.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Member;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A failed command as the user reads it: one line {@code error: ...} on stderr naming the flag or
 * the file, never a Java class, and an {@link ExitCode} saying which kind of failure it was.
 * {@code -Deuclid.debug=true} adds the stack trace.
 */
final class ErrorReport {
    private static final Pattern IDENTIFIER = Pattern.compile("\\b[a-z]+[A-Z]\\w*\\b");

    private ErrorReport() {}

    /** A command line picocli could not parse: what is wrong, and where help is. */
    static int usage(ParameterException e, PrintWriter err) {
        CommandLine cmd = e.getCommandLine();
        String message = firstLine(e.getMessage());
        if (e instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            message += " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
        }
        err.println("error: " + lowerFirst(message) + "; see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
        debug(e, err);
        return ExitCode.USAGE;
    }

    /** A command that failed while running. */
    static int failure(Exception e, CommandLine cmd, PrintWriter err) {
        Throwable cause = unwrap(e);
        String flagError = cause instanceof IllegalArgumentException ? asFlagError(cause.getMessage(), cmd.getCommandSpec()) : null;
        if (cause instanceof UsageException || flagError != null) {
            String message = flagError != null ? flagError : cause.getMessage();
            err.println("error: " + message + "; see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
            debug(e, err);
            return ExitCode.USAGE;
        }
        err.println("error: " + describe(cause));
        debug(e, err);
        return ExitCode.RUNTIME;
    }

    /**
     * The library refuses bad values with messages that start with the value's API name ("maxTokens
     * must be > 0, got -1"), and every option's field here carries the name of the API value it sets.
     * So a message that starts with an option's field name is about that flag: it is re-headed with
     * the flag, and the camelCase names of other options in it become their flags too. Null if the
     * message is not about an option of this command.
     */
    static String asFlagError(String message, CommandSpec spec) {
        if (message == null) return null;
        boolean aboutAnOption = false;
        for (OptionSpec o : spec.options()) {
            if (o.userObject() instanceof Member m && message.startsWith(m.getName() + " ")) {
                message = o.longestName() + message.substring(m.getName().length());
                aboutAnOption = true;
                break;
            }
        }
        if (!aboutAnOption) return null;
        Matcher names = IDENTIFIER.matcher(message);
        StringBuilder out = new StringBuilder();
        while (names.find()) {
            String flag = flagOf(names.group(), spec);
            names.appendReplacement(out, Matcher.quoteReplacement(flag != null ? flag : names.group()));
        }
        return names.appendTail(out).toString();
    }

    private static String flagOf(String fieldName, CommandSpec spec) {
        for (OptionSpec o : spec.options()) {
            if (o.userObject() instanceof Member m && m.getName().equals(fieldName)) return o.longestName();
        }
        return null;
    }

    /** The message of a failure, file-system errors spelled out ("PATH: no such file or folder"). */
    static String describe(Throwable t) {
        if (t instanceof FileSystemException f) {
            String reason = f.getReason() != null ? f.getReason() : fileProblem(f);
            return f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": " + reason;
        }
        if (t instanceof CharacterCodingException) return "the text is not valid UTF-8";
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return "internal error (" + t.getClass().getSimpleName() + "); rerun with -Deuclid.debug=true for the stack trace";
        }
        if (t instanceof UncheckedIOException) {
            Throwable cause = unwrap(t.getCause());
            // "FILE: cannot read" over a cause that names FILE says it twice: the cause alone says it once.
            if (cause instanceof FileSystemException f && message.startsWith(String.valueOf(f.getFile()))) return describe(cause);
            return message + ": " + describe(cause); // "cannot write the model to DIR: why"
        }
        return message;
    }

    private static String fileProblem(FileSystemException f) {
        if (f instanceof NoSuchFileException) return "no such file or folder";
        if (f instanceof AccessDeniedException) return "permission denied";
        if (f instanceof FileAlreadyExistsException) return "already exists";
        if (f instanceof NotDirectoryException) return "not a folder";
        if (f instanceof DirectoryNotEmptyException) return "folder not empty";
        return "cannot access";
    }

    /** The failure itself, out of the wrappers that carry it across threads and APIs without words of their own. */
    static Throwable unwrap(Throwable t) {
        while (t.getCause() != null && (t.getMessage() == null || t.getMessage().equals(t.getCause().toString()))) {
            t = t.getCause();
        }
        return t;
    }

    private static void debug(Throwable e, PrintWriter err) {
        if (Boolean.getBoolean("euclid.debug")) e.printStackTrace(err);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }
}
