package dev.euclid.solver.answer;

/**
 * What a task's answers look like, so equal answers written differently vote together.
 *
 * @param integersOnly answers must be integers; anything else abstains (AIMO)
 * @param modulus when positive, integer answers are reduced modulo it (AIMO: "mod 1000" tasks);
 *     0 leaves them as they are
 */
public record AnswerFormat(boolean integersOnly, long modulus) {
    public AnswerFormat {
        if (modulus < 0) throw new IllegalArgumentException("modulus must be >= 0, got " + modulus);
    }

    /** Any answer: numbers in canonical form, other expressions compared as cleaned text. */
    public static AnswerFormat any() {
        return new AnswerFormat(false, 0);
    }

    /** AIMO: integers 0..999, reduced mod 1000 (the competition asks for the answer mod 1000). */
    public static AnswerFormat aimo() {
        return new AnswerFormat(true, 1000);
    }

    /** Integers only, reduced modulo {@code modulus} (0 = not reduced). */
    public static AnswerFormat integers(long modulus) {
        return new AnswerFormat(true, modulus);
    }
}
