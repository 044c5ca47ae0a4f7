package dev.euclid.cli;

/** The CLI's exit codes, one per kind of failure (README, "CLI reference"). */
final class ExitCode {
    static final int OK = 0;
    /** The command was valid but failed: a missing or malformed file, a request the model cannot run, an I/O error. */
    static final int RUNTIME = 1;
    /** The command line is wrong: an unknown option, a missing or malformed value, flags that do not go together. */
    static final int USAGE = 2;

    private ExitCode() {}
}
