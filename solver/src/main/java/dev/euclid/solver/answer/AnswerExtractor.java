package dev.euclid.solver.answer;

import java.util.Optional;

/**
 * Finds the answer a sample states in its text (the model's own words, tool outputs left out);
 * the vote counts it after {@link AnswerNormalizer}. {@link #boxed()} reads math answers; a task
 * with another answer format plugs in its own.
 */
@FunctionalInterface
public interface AnswerExtractor {
    /** The answer as written, or empty when the text states none (the sample abstains). */
    Optional<String> extract(String text);

    /** The last {@code \boxed{...}} (or {@code \fbox}, {@code \boxed 5}), else a final "answer is ..." phrase: {@link BoxedAnswers}. */
    static AnswerExtractor boxed() {
        return new BoxedAnswers();
    }
}
