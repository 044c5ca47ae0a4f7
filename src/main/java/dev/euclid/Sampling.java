package dev.euclid;

/**
 * How the next token is chosen. Immutable; build with {@link #greedy()} or {@link #builder()}.
 *
 * <p>With a temperature of 0 the most likely token is taken (ties: lowest id). Otherwise logits are
 * divided by the temperature, cut to the {@code topK} most likely tokens (0 = no cut), then to the
 * smallest set whose probability reaches {@code topP} (1 = no cut), and one token is drawn. Draws use
 * a counter-based generator keyed by {@code seed} and the token's position, so the same seed gives
 * the same tokens, whatever else the engine runs.
 */
public final class Sampling {
    private static final Sampling GREEDY = builder().build();

    private final float temperature;
    private final int topK;
    private final float topP;
    private final long seed;

    private Sampling(Builder b) {
        this.temperature = b.temperature;
        this.topK = b.topK;
        this.topP = b.topP;
        this.seed = b.seed;
    }

    /** Always the most likely token. */
    public static Sampling greedy() {
        return GREEDY;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().temperature(temperature).topK(topK).topP(topP).seed(seed);
    }

    public float temperature() {
        return temperature;
    }

    public int topK() {
        return topK;
    }

    public float topP() {
        return topP;
    }

    public long seed() {
        return seed;
    }

    public boolean isGreedy() {
        return temperature == 0.0f;
    }

    @Override
    public String toString() {
        return "Sampling[temperature=" + temperature + ", topK=" + topK + ", topP=" + topP + ", seed=" + seed + "]";
    }

    public static final class Builder {
        private float temperature = 0.0f;
        private int topK = 0;
        private float topP = 1.0f;
        private long seed = 0;

        private Builder() {}

        /** 0 = greedy; must be finite and non-negative. */
        public Builder temperature(float temperature) {
            if (!(temperature >= 0.0f) || Float.isInfinite(temperature)) {
                throw new IllegalArgumentException("temperature must be a finite number >= 0, got " + temperature);
            }
            this.temperature = temperature;
            return this;
        }

        /** Keep only the k most likely tokens; 0 keeps all. */
        public Builder topK(int topK) {
            if (topK < 0) throw new IllegalArgumentException("topK must be >= 0 (0 = off), got " + topK);
            this.topK = topK;
            return this;
        }

        /** Nucleus sampling threshold in (0, 1]; 1 keeps all. */
        public Builder topP(float topP) {
            if (!(topP > 0.0f && topP <= 1.0f)) {
                throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
            }
            this.topP = topP;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Sampling build() {
            return new Sampling(this);
        }
    }
}
