package dev.euclid.langchain4j;

import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import java.util.Objects;

/**
 * LangChain4j's request parameters plus the sampling seed, which {@link ChatRequestParameters} has
 * no field for: the same seed gives the same tokens (Euclid draws from a generator keyed by seed
 * and position). Set it per request ({@code ChatRequest.builder().parameters(...)}) or as a model's
 * default ({@code defaultRequestParameters}); a request's seed overrides the default one.
 */
public class EuclidChatRequestParameters extends DefaultChatRequestParameters {
    private final Long seed;

    protected EuclidChatRequestParameters(Builder builder) {
        super(builder);
        this.seed = builder.seed;
    }

    /** The sampling seed, or null for the model's default (seed 0). */
    public Long seed() {
        return seed;
    }

    @Override
    public ChatRequestParameters overrideWith(ChatRequestParameters that) {
        return builder().overrideWith(this).overrideWith(that).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EuclidChatRequestParameters that && super.equals(o) && Objects.equals(seed, that.seed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), seed);
    }

    @Override
    public String toString() {
        return "EuclidChatRequestParameters{" + super.toString() + ", seed=" + seed + "}";
    }

    public static Builder builder() {
        return new Builder();
    }

    public static class Builder extends DefaultChatRequestParameters.Builder<Builder> {
        private Long seed;

        /** Also takes the seed when {@code parameters} has one (a null seed leaves this one). */
        @Override
        public Builder overrideWith(ChatRequestParameters parameters) {
            super.overrideWith(parameters);
            if (parameters instanceof EuclidChatRequestParameters e && e.seed != null) seed = e.seed;
            return this;
        }

        public Builder seed(Long seed) {
            this.seed = seed;
            return this;
        }

        @Override
        public EuclidChatRequestParameters build() {
            return new EuclidChatRequestParameters(this);
        }
    }
}
