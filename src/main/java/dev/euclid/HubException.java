package dev.euclid;

/**
 * A {@code hf:} model could not be resolved: the hub refused or failed a request, a download did
 * not match its checksum, or (offline) the cache lacks a file. The message names the repository,
 * revision and file concerned, and what to change.
 */
public class HubException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HubException(String message) {
        super(message);
    }

    public HubException(String message, Throwable cause) {
        super(message, cause);
    }
}
