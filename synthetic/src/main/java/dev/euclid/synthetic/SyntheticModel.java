package dev.euclid.synthetic;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Random weights in the real shapes of a Llama-family model, fully determined by (shape, seed).
 *
 * <p>Nothing is stored: {@link #generate(String)} and {@link #read} recompute any tensor or slice
 * on demand from a counter-based PRNG ({@link CounterRandom}), so writing a 1B-parameter model
 * needs only one slice in the heap, and results never depend on thread count or call order.
 *
 * <p>Scales make an untrained network behave numerically like a trained one: activations stay
 * O(1) through every layer, logits have unit spread, and greedy decoding wanders through many
 * tokens instead of locking onto one. They were tuned empirically with the test reference
 * forward pass (greedy runs over many seeds on the tiny shapes, where collapse is likeliest):
 * <ul>
 *   <li>linear weights ~ N(0, 1/fan_in): a projection of an RMS-normalised input has unit
 *       variance per component, so each sublayer adds O(1) to the residual stream;</li>
 *   <li>q_proj and k_proj ~ N(0, (3/sqrt(fan_in))²): attention scores get a standard deviation
 *       of about 9, i.e. peaked attention as in trained models. Diffuse attention averages the
 *       context into a slowly varying vector, and once a token repeats that average is the
 *       repeated token itself, locking greedy decoding into a loop. In those experiments runs
 *       with fewer than 8 distinct tokens in 32 steps fell from 5-10% to under 1%;</li>
 *   <li>LM head rows have norm exactly 1, so logits = head · rmsnorm(h) have standard deviation
 *       about 1 (top-1/top-2 gaps typically ~0.2 with 32000 tokens, far above float rounding).
 *       Exact row norms remove the "hub" tokens that random row lengths would create;</li>
 *   <li>embedding rows have norm exactly 0.25: the first RMSNorm rescales them anyway, and a
 *       small embedding keeps a tied head from re-predicting the current token (the residual
 *       stream contains e_t, contributing |e_t|²/rms(h) to that token's own logit). A tied
 *       head then needs the final RMSNorm weight around 4 to keep unit logit spread;</li>
 *   <li>RMSNorm weights (1 ± 5%) × that mean, so they are not trivially all ones;</li>
 *   <li>q/k/v biases ~ N(0, 0.1²): present and non-zero, small next to the projections.</li>
 * </ul>
 */
public final class SyntheticModel implements TensorSource {

    /** Elements generated per parallel task; fixed so the work split is independent of hardware. */
    private static final int CHUNK = 1 << 16;

    /** Relative spread of RMSNorm weights around their mean. */
    static final double NORM_REL_STD = 0.05;
    static final double BIAS_STD = 0.1;
    /** Gain on q_proj/k_proj weights; attention scores then have std ≈ QK_GAIN². */
    static final double QK_GAIN = 3.0;
    static final double EMBED_ROW_NORM = 0.25;
    static final double HEAD_ROW_NORM = 1.0;

    private final ModelShape shape;
    private final long seed;
    private final List<TensorSpec> specs;
    private final Map<String, TensorSpec> byName = new LinkedHashMap<>();

    public SyntheticModel(ModelShape shape, long seed) {
        this.shape = shape;
        this.seed = seed;
        this.specs = HfTensorLayout.specs(shape);
        for (TensorSpec spec : specs) {
            byName.put(spec.name(), spec);
        }
    }

    /** Shorthand for a preset: {@code SyntheticModel.of("110m", 42)}. */
    public static SyntheticModel of(String presetName, long seed) {
        return new SyntheticModel(ModelShape.named(presetName), seed);
    }

    public ModelShape shape() {
        return shape;
    }

    public long seed() {
        return seed;
    }

    /** The HF-layout tensors in storage order; cheap, generates nothing. */
    @Override
    public List<TensorSpec> tensors() {
        return specs;
    }

    @Override
    public TensorSpec spec(String name) {
        TensorSpec spec = byName.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("no tensor named " + name + " in this " + shape.architecture());
        }
        return spec;
    }

    /** Computes one whole tensor (row-major, HF (out, in) layout). */
    public float[] generate(String name) {
        TensorSpec spec = spec(name);
        float[] out = new float[spec.numel()];
        read(name, 0, out, out.length);
        return out;
    }

    @Override
    public float[] data(String name) {
        return generate(name);
    }

    /** Computes elements [offset, offset+length) of a tensor without materialising the rest. */
    @Override
    public void read(String name, long offset, float[] dst, int length) {
        TensorSpec spec = spec(name);
        if (offset < 0 || length < 0 || offset + length > spec.numel() || length > dst.length) {
            throw new IndexOutOfBoundsException("range [" + offset + ", " + (offset + length)
                    + ") of " + spec + " (dst length " + dst.length + ")");
        }
        long stream = CounterRandom.streamSeed(seed, name);
        Init init = init(spec);
        if (init.rowNorm() > 0) {
            readNormalisedRows(stream, spec.shape()[1], init.rowNorm(), offset, dst, length);
            return;
        }
        int chunks = (length + CHUNK - 1) / CHUNK;
        parallelIf(chunks > 1, chunks).forEach(c -> {
            int from = c * CHUNK;
            int to = Math.min(length, from + CHUNK);
            for (int j = from; j < to; j++) {
                double z = CounterRandom.normal(CounterRandom.bits(stream, offset + j));
                dst[j] = (float) (init.mean() + init.std() * z);
            }
        });
    }

    /**
     * Slice of a (rows, cols) matrix whose rows are Gaussian directions scaled to an exact norm.
     * Every row overlapping the slice is generated whole (its norm needs all of it), then the
     * overlapping part is copied out.
     */
    private static void readNormalisedRows(long stream, int cols, double norm, long offset, float[] dst,
            int length) {
        if (length == 0) {
            return;
        }
        long firstRow = offset / cols;
        long lastRow = (offset + length - 1) / cols;
        int rows = (int) (lastRow - firstRow + 1);
        int rowsPerTask = Math.max(1, CHUNK / cols);
        int tasks = (rows + rowsPerTask - 1) / rowsPerTask;
        parallelIf(tasks > 1, tasks).forEach(task -> {
            double[] row = new double[cols];
            int end = Math.min(rows, (task + 1) * rowsPerTask);
            for (int r = task * rowsPerTask; r < end; r++) {
                long rowStart = (firstRow + r) * cols;
                double ss = 0;
                for (int c = 0; c < cols; c++) {
                    row[c] = CounterRandom.normal(CounterRandom.bits(stream, rowStart + c));
                    ss += row[c] * row[c];
                }
                double scale = norm / Math.sqrt(ss);
                long from = Math.max(rowStart, offset);
                long to = Math.min(rowStart + cols, offset + length);
                for (long i = from; i < to; i++) {
                    dst[(int) (i - offset)] = (float) (row[(int) (i - rowStart)] * scale);
                }
            }
        });
    }

    private static IntStream parallelIf(boolean parallel, int tasks) {
        IntStream range = IntStream.range(0, tasks);
        return parallel ? range.parallel() : range;
    }

    /** Every tensor in memory, for small shapes (tests, reference forward passes). */
    public Map<String, float[]> materialize() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (TensorSpec spec : specs) {
            out.put(spec.name(), generate(spec.name()));
        }
        return out;
    }

    /** config.json content for this shape, declaring float32 weights. */
    public Map<String, Object> hfConfig() {
        return HfConfigJson.of(shape, DType.F32);
    }

    /** config.json content declaring the given stored dtype. */
    public Map<String, Object> hfConfig(DType dtype) {
        return HfConfigJson.of(shape, dtype);
    }

    /** Distribution of a tensor's values: mean + std * N(0,1), or rows of norm rowNorm when > 0. */
    private record Init(double mean, double std, double rowNorm) {
    }

    /** The initial distribution of a tensor (see the class comment for why). */
    private Init init(TensorSpec spec) {
        String name = spec.name();
        int[] dims = spec.shape();
        if (name.equals(HfTensorLayout.EMBED)) {
            return new Init(0, 0, EMBED_ROW_NORM);
        }
        if (name.equals(HfTensorLayout.LM_HEAD)) {
            return new Init(0, 0, HEAD_ROW_NORM);
        }
        if (name.equals(HfTensorLayout.FINAL_NORM)) {
            double mean = shape.tiedEmbeddings() ? HEAD_ROW_NORM / EMBED_ROW_NORM : 1.0;
            return new Init(mean, mean * NORM_REL_STD, 0);
        }
        if (name.endsWith("norm.weight")) {
            return new Init(1.0, NORM_REL_STD, 0);
        }
        if (name.endsWith(".bias")) {
            return new Init(0.0, BIAS_STD, 0);
        }
        // A linear weight (out, in): fan_in is the row length.
        double std = 1.0 / Math.sqrt(dims[1]);
        if (name.endsWith("q_proj.weight") || name.endsWith("k_proj.weight")) {
            std *= QK_GAIN;
        }
        return new Init(0.0, std, 0);
    }
}
