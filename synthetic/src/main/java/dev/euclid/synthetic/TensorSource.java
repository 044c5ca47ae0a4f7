package dev.euclid.synthetic;

import java.util.List;

/**
 * An ordered set of named float tensors whose data can be fetched one tensor (or one slice) at a
 * time. Writers consume this interface so that a multi-gigabyte synthetic model never has to sit
 * in the heap: only the slice being encoded exists at any moment.
 */
public interface TensorSource {

    /** Every tensor, in the order writers should store them. */
    List<TensorSpec> tensors();

    /** The whole tensor, row-major. Implementations may compute it on demand. */
    float[] data(String name);

    /**
     * Copies {@code length} consecutive elements starting at flat index {@code offset} of tensor
     * {@code name} into {@code dst[0..length)}. The default slices {@link #data(String)};
     * generators override it to compute only the requested range.
     */
    default void read(String name, long offset, float[] dst, int length) {
        float[] all = data(name);
        System.arraycopy(all, Math.toIntExact(offset), dst, 0, length);
    }

    /** The spec with this name. */
    default TensorSpec spec(String name) {
        for (TensorSpec t : tensors()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no tensor named " + name);
    }
}
