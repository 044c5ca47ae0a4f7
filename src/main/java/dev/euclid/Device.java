package dev.euclid;

import java.util.Locale;

/**
 * Where an engine runs its forward pass: {@link #CPU}, a CUDA GPU ({@link #CUDA(int)}), or {@link
 * #AUTO}, the first CUDA GPU when this library was built with CUDA and the machine has a usable
 * driver and GPU, else the CPU (with one log line saying why). The Java runtime (scheduler, KV block
 * manager, prefix cache, speculation) is the same on every device. Immutable.
 */
public final class Device {
    /** What a device names. */
    public enum Kind { CPU, CUDA, AUTO }

    /** The CPU engine. */
    public static final Device CPU = new Device(Kind.CPU, 0);
    /** CUDA device 0 when it is usable, else the CPU. */
    public static final Device AUTO = new Device(Kind.AUTO, 0);

    private final Kind kind;
    private final int index;

    private Device(Kind kind, int index) {
        this.kind = kind;
        this.index = index;
    }

    /**
     * CUDA device {@code index} (CUDA's numbering, as {@code nvidia-smi} shows it). An engine opened
     * on it fails with a {@link DeviceUnavailableException} when the device cannot be used.
     */
    public static Device CUDA(int index) {
        if (index < 0) throw new IllegalArgumentException("CUDA device index must be >= 0, got " + index);
        return new Device(Kind.CUDA, index);
    }

    /**
     * Parses the command line's form: {@code cpu}, {@code auto}, {@code cuda} (device 0) or {@code
     * cuda:N}, in any case.
     */
    public static Device parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("cpu")) return CPU;
        if (t.equals("auto")) return AUTO;
        if (t.equals("cuda")) return CUDA(0);
        if (t.startsWith("cuda:")) {
            String digits = t.substring("cuda:".length());
            if (!digits.isEmpty() && digits.length() <= 6 && digits.chars().allMatch(Character::isDigit)) {
                return CUDA(Integer.parseInt(digits));
            }
        }
        throw new IllegalArgumentException("unknown device '" + text + "' (cpu, auto, cuda or cuda:N)");
    }

    public Kind kind() {
        return kind;
    }

    /** The CUDA device index; 0 for the CPU and AUTO (AUTO tries CUDA device 0). */
    public int index() {
        return index;
    }

    /** The command line's form: "cpu", "auto" or "cuda:N". */
    @Override
    public String toString() {
        return kind == Kind.CUDA ? "cuda:" + index : kind.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Device d && d.kind == kind && d.index == index;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + index;
    }
}
