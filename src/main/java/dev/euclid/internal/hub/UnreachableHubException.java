package dev.euclid.internal.hub;

import dev.euclid.HubException;

/** The hub could not be reached at all (connection refused or cut, silence), as opposed to a refusal. */
final class UnreachableHubException extends HubException {
    private static final long serialVersionUID = 1L;

    UnreachableHubException(String message, Throwable cause) {
        super(message, cause);
    }
}
