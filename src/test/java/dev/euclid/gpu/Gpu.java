package dev.euclid.gpu;

import dev.euclid.Engine;
import dev.euclid.EngineOptions;
import dev.euclid.internal.CudaFacts;
import dev.euclid.internal.DeviceSelection;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The GPU tests run where CUDA device 0 is usable and are skipped elsewhere (every build and CI
 * machine), except under scripts/gpu-check.sh, which sets -Deuclid.gpu.required=true: there a machine
 * without a usable GPU fails them, naming why, instead of passing an empty check.
 */
final class Gpu {
    static final String REQUIRED_PROPERTY = "euclid.gpu.required";

    private Gpu() {}

    static void require() {
        Optional<String> why = DeviceSelection.unusable(CudaFacts.probe(), 0);
        if (why.isEmpty()) return;
        if (Boolean.getBoolean(REQUIRED_PROPERTY)) Assertions.fail("-D" + REQUIRED_PROPERTY + "=true but CUDA is not usable: " + why.get());
        Assumptions.abort("no usable GPU: " + why.get());
    }

    /** An engine on CUDA device 0 with these options, after require(). */
    static Engine open(Path model, EngineOptions options) {
        require();
        return Engine.open(model, options.withDevice(dev.euclid.Device.CUDA(0)));
    }
}
