package dev.euclid.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * CI compiles the CUDA path on every run: where nvcc is on the PATH, CI's build must have compiled the
 * kernels in (a build that silently skipped them would pass every CPU test). Off CI a build may leave
 * them out on purpose (-Dnative.cuda=OFF).
 */
class CudaBuildTest {
    private static boolean nvccOnPath() {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nvcc"))) return true;
        }
        return false;
    }

    @Test
    void ciCompilesTheCudaKernelsWhereNvccIsOnThePath() {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (ci && nvccOnPath()) assertEquals(1, NativeApi.cuda_compiled(), "CI=true and nvcc on the PATH, but the CUDA kernels were not compiled");
    }
}
