package dev.euclid.solver.sandbox;

/**
 * The local executor's fixed per-run caps, beside the per-call {@link dev.euclid.solver.ExecutionLimits}.
 *
 * @param fileSizeBytes largest file the code may write (RLIMIT_FSIZE)
 * @param openFiles     open file descriptors (RLIMIT_NOFILE)
 * @param processes     processes the run may have at once, its own included (counted by its supervisor)
 * @param tmpfsBytes    size of the run's private temp dir (a tmpfs, so it is memory)
 */
public record SandboxCaps(long fileSizeBytes, int openFiles, int processes, long tmpfsBytes) {
    public SandboxCaps {
        if (fileSizeBytes <= 0) throw new IllegalArgumentException("fileSizeBytes must be positive, got " + fileSizeBytes);
        if (openFiles < 16) throw new IllegalArgumentException("openFiles must be at least 16, got " + openFiles);
        if (processes < 1) throw new IllegalArgumentException("processes must be at least 1, got " + processes);
        if (tmpfsBytes <= 0) throw new IllegalArgumentException("tmpfsBytes must be positive, got " + tmpfsBytes);
    }

    /** 16 MiB files, 256 descriptors, 16 processes, 64 MiB of temp dir. */
    public static SandboxCaps defaults() {
        return new SandboxCaps(16L << 20, 256, 16, 64L << 20);
    }
}
