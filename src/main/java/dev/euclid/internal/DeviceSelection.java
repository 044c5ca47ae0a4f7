package dev.euclid.internal;

import dev.euclid.Device;
import dev.euclid.DeviceUnavailableException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Turns the device an engine asks for into the one it runs on. {@link Device#CPU} is the CPU; an
 * explicit {@link Device#CUDA(int)} is that GPU or a {@link DeviceUnavailableException} naming why
 * not; {@link Device#AUTO} is CUDA device 0 when it is usable, else the CPU, with one log line
 * saying why.
 */
public final class DeviceSelection {
    /** CUresult of cuInit when the machine has no CUDA-capable device. */
    static final int CUDA_ERROR_NO_DEVICE = 100;

    private DeviceSelection() {}

    /**
     * The device to run on. {@code probe} is asked only when CUDA is a candidate; {@code log} gets
     * exactly one line when AUTO falls back to the CPU, and none otherwise.
     *
     * @throws DeviceUnavailableException for an explicit CUDA device that cannot be used
     */
    public static Device resolve(Device requested, Supplier<CudaFacts> probe, Consumer<String> log) {
        if (requested.kind() == Device.Kind.CPU) return Device.CPU;
        Optional<String> why = unusable(probe.get(), requested.index());
        if (requested.kind() == Device.Kind.CUDA) {
            if (why.isPresent()) throw new DeviceUnavailableException("cannot run on " + requested + ": " + why.get());
            return requested;
        }
        if (why.isPresent()) {
            log.accept("device auto: running on the CPU, CUDA is not usable: " + why.get());
            return Device.CPU;
        }
        return Device.CUDA(requested.index());
    }

    /** Why CUDA device {@code index} cannot be used, or empty when it can. */
    public static Optional<String> unusable(CudaFacts f, int index) {
        if (!f.compiled()) return Optional.of("built without CUDA (no nvcc when this library was compiled, or -Dnative.cuda=OFF)");
        if (!f.driverLoaded()) {
            // The loader's message when the file is absent; "no cuX" when a library of that name lacks the driver API.
            return Optional.of(f.loadError().startsWith("no cu")
                    ? f.driverLibrary() + " is not a usable NVIDIA driver (" + f.loadError() + ")"
                    : "no " + f.driverLibrary() + ": no NVIDIA driver (" + f.loadError() + ")");
        }
        if (f.driverVersion() > 0 && f.driverVersion() < NativeApi.CUDA_REQUIRED_DRIVER_VERSION) {
            return Optional.of("driver " + version(f.driverVersion()) + " older than the "
                    + version(NativeApi.CUDA_REQUIRED_DRIVER_VERSION) + " this build needs");
        }
        if (f.initResult() == CUDA_ERROR_NO_DEVICE || (f.initResult() == 0 && f.deviceCount() == 0)) {
            return Optional.of("no CUDA device");
        }
        if (f.initResult() != 0) return Optional.of("cuInit failed with CUDA error " + f.initResult());
        if (index >= f.deviceCount()) {
            return Optional.of("no CUDA device " + index + " (this machine has " + f.deviceCount() + ")");
        }
        return Optional.empty();
    }

    /** "12.4" from cuDriverGetVersion's 12040. */
    static String version(int code) {
        return code / 1000 + "." + code % 1000 / 10;
    }
}
