package dev.euclid;

/**
 * The device an engine was asked to run on cannot be used on this machine (no NVIDIA driver, a
 * driver too old for this build, no such GPU, a library built without CUDA); the message says
 * which. Nothing was allocated: open the engine again on {@link Device#CPU} or {@link Device#AUTO}.
 */
public class DeviceUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DeviceUnavailableException(String message) {
        super(message);
    }
}
