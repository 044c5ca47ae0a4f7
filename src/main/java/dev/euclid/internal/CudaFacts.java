package dev.euclid.internal;

/**
 * What this library and the CUDA driver say about running on a GPU, as the native probe reports it
 * ({@code cuda_probe} in euclid.h). Plain facts; {@link DeviceSelection} decides.
 *
 * @param compiled the library carries the CUDA backend (nvcc was present when it was built)
 * @param driverLibrary the driver library asked for ("libcuda.so.1")
 * @param loadError why the driver library could not be used ("" when it could)
 * @param initResult cuInit's CUresult, 0 = success; -1 when it was not called
 * @param driverVersion cuDriverGetVersion (1000 * major + 10 * minor); 0 when unknown
 * @param deviceCount CUDA devices after a successful cuInit
 */
public record CudaFacts(boolean compiled, String driverLibrary, String loadError, int initResult, int driverVersion,
        int deviceCount) {
    /** The driver every engine uses. */
    public static final String DRIVER_LIBRARY = "libcuda.so.1";

    /** Asks the native probe about {@link #DRIVER_LIBRARY}. */
    public static CudaFacts probe() {
        return probe(DRIVER_LIBRARY);
    }

    /** Asks the native probe about {@code driverLibrary} (tests name libraries that are not drivers). */
    public static CudaFacts probe(String driverLibrary) {
        NativeApi.load();
        try (NativeApi.CudaProbe p = new NativeApi.CudaProbe()) {
            String error = NativeApi.cuda_probe(driverLibrary, p);
            return new CudaFacts(NativeApi.cuda_compiled() != 0, driverLibrary, p.driver_loaded() != 0 ? "" : error,
                    p.init_result(), p.driver_version(), p.device_count());
        }
    }

    public boolean driverLoaded() {
        return loadError.isEmpty();
    }
}
