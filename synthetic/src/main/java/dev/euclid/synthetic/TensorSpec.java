package dev.euclid.synthetic;

import java.util.Arrays;
import java.util.Objects;

/**
 * Name and shape of one tensor, known before its data exists. Writers need every spec up front
 * (safetensors headers and shard plans precede the data) while the data itself is produced one
 * tensor at a time.
 *
 * @param name  Hugging Face tensor name, e.g. {@code model.layers.0.self_attn.q_proj.weight}
 * @param shape dimensions, outermost first (PyTorch order: (out, in) for a linear weight)
 */
public record TensorSpec(String name, int[] shape) {

    public TensorSpec {
        Objects.requireNonNull(name, "name");
        shape = shape.clone(); // records expose their components; keep ours immutable
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("tensor " + name + " has a non-positive dimension: "
                        + Arrays.toString(shape));
            }
        }
        if (numel(shape) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor " + name + " is too large for a Java array");
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public int numel() {
        return (int) numel(shape);
    }

    private static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    // Records compare arrays by identity; compare shapes by content instead.
    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && t.name.equals(name) && Arrays.equals(t.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
