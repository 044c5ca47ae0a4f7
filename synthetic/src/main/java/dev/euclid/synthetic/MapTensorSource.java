package dev.euclid.synthetic;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link TensorSource} over tensors already in memory (e.g. weights loaded from a real
 * checkpoint), so the same writers can re-export them in another format.
 */
public final class MapTensorSource implements TensorSource {

    private final List<TensorSpec> specs;
    private final Map<String, float[]> data;

    /** Tensors are stored in the order of {@code specs}; each must have matching data. */
    public MapTensorSource(List<TensorSpec> specs, Map<String, float[]> data) {
        this.specs = List.copyOf(specs);
        this.data = new LinkedHashMap<>();
        for (TensorSpec spec : this.specs) {
            float[] values = data.get(spec.name());
            if (values == null) {
                throw new IllegalArgumentException("no data for tensor " + spec.name());
            }
            if (values.length != spec.numel()) {
                throw new IllegalArgumentException("tensor " + spec.name() + " has " + values.length
                        + " values but shape " + spec + " needs " + spec.numel());
            }
            this.data.put(spec.name(), values);
        }
    }

    /** The HF layout of {@code shape} backed by {@code data} (e.g. a loaded checkpoint). */
    public static MapTensorSource of(ModelShape shape, Map<String, float[]> data) {
        return new MapTensorSource(HfTensorLayout.specs(shape), data);
    }

    @Override
    public List<TensorSpec> tensors() {
        return specs;
    }

    @Override
    public float[] data(String name) {
        float[] values = data.get(name);
        if (values == null) {
            throw new IllegalArgumentException("no tensor named " + name);
        }
        return values;
    }

    /** Name → data view, in storage order. */
    public Map<String, float[]> asMap() {
        return Collections.unmodifiableMap(data);
    }
}
