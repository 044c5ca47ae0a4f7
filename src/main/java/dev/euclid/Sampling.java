package dev.euclid;

/**
 * How the next token is chosen. Immutable; build with {@link #greedy()} or {@link #builder()}.
 *
 * <p>With a temperature of 0 the most likely token is taken (ties: lowest id). Otherwise logits are
 * divided by the temperature, cut to the {@code topK} most likely tokens (0 = no cut), then to the
 * smallest set whose probability reaches {@code topP} (1 = no cut), and one token is drawn. Draws use
 * a counter-based generator keyed by {@code seed} and the token's position, so the same seed gives
 * the same tokens, whatever else the engine runs. Optional: min-p (tokens below a fraction of the
 * top probability are dropped, after the temperature), and repetition, presence and frequency
 * penalties over the sample's generated tokens (applied to the logits first; greedy decoding honours
 * them too). Log-probabilities are always reported under the model's unmodified distribution.
 */
public final class Sampling {
    private static final Sampling GREEDY = builder().build();

    private final float temperature;
    private final int topK;
    private final float topP;
    private final long seed;
    private final float minP;
    private final float repetitionPenalty;
    private final float presencePenalty;
    private final float frequencyPenalty;

    private Sampling(Builder b) {
        this.temperature = b.temperature;
        this.topK = b.topK;
        this.topP = b.topP;
        this.seed = b.seed;
        this.minP = b.minP;
        this.repetitionPenalty = b.repetitionPenalty;
        this.presencePenalty = b.presencePenalty;
        this.frequencyPenalty = b.frequencyPenalty;
    }

    /** Always the most likely token. */
    public static Sampling greedy() {
        return GREEDY;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().temperature(temperature).topK(topK).topP(topP).seed(seed).minP(minP)
                .repetitionPenalty(repetitionPenalty).presencePenalty(presencePenalty).frequencyPenalty(frequencyPenalty);
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

    public float minP() {
        return minP;
    }

    public float repetitionPenalty() {
        return repetitionPenalty;
    }

    public float presencePenalty() {
        return presencePenalty;
    }

    public float frequencyPenalty() {
        return frequencyPenalty;
    }

    /** Whether any penalty is on (they count the sample's generated tokens). */
    public boolean hasPenalties() {
        return repetitionPenalty != 1.0f || presencePenalty != 0.0f || frequencyPenalty != 0.0f;
    }

    public boolean isGreedy() {
        return temperature == 0.0f;
    }

    @Override
    public String toString() {
        return "Sampling[temperature=" + temperature + ", topK=" + topK + ", topP=" + topP + ", minP=" + minP + ", seed="
                + seed + ", penalties=" + repetitionPenalty + "/" + presencePenalty + "/" + frequencyPenalty + "]";
    }

    public static final class Builder {
        private float temperature = 0.0f;
        private int topK = 0;
        private float topP = 1.0f;
        private long seed = 0;
        private float minP = 0.0f;
        private float repetitionPenalty = 1.0f;
        private float presencePenalty = 0.0f;
        private float frequencyPenalty = 0.0f;

        private Builder() {}

        /** Drop tokens whose probability is below minP x the most likely one's; 0 keeps all. In [0, 1]. */
        public Builder minP(float minP) {
            if (!(minP >= 0.0f && minP <= 1.0f)) throw new IllegalArgumentException("minP must be in [0, 1], got " + minP);
            this.minP = minP;
            return this;
        }

        /** Divides positive (multiplies negative) logits of already generated tokens; 1 = off, must be > 0. */
        public Builder repetitionPenalty(float penalty) {
            if (!(penalty > 0.0f) || Float.isInfinite(penalty)) {
                throw new IllegalArgumentException("repetitionPenalty must be a finite number > 0, got " + penalty);
            }
            this.repetitionPenalty = penalty;
            return this;
        }

        /** Subtracted once from the logit of every token already generated; 0 = off. */
        public Builder presencePenalty(float penalty) {
            if (!Float.isFinite(penalty)) throw new IllegalArgumentException("presencePenalty must be finite, got " + penalty);
            this.presencePenalty = penalty;
            return this;
        }

        /** Subtracted from a token's logit once per time it was already generated; 0 = off. */
        public Builder frequencyPenalty(float penalty) {
            if (!Float.isFinite(penalty)) throw new IllegalArgumentException("frequencyPenalty must be finite, got " + penalty);
            this.frequencyPenalty = penalty;
            return this;
        }

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
