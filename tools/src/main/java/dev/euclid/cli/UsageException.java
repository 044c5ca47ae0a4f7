package dev.euclid.cli;

/** A command line the user must change (a bad flag value, flags that do not go together): exit code 2. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
