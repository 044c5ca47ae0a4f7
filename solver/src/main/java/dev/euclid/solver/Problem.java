package dev.euclid.solver;

/**
 * One task.
 *
 * @param id names the problem in results files (a resumed run skips ids it has finished)
 * @param text the problem statement
 * @param answer the expected answer when known (for accuracy), else null
 */
public record Problem(String id, String text, String answer) {
    public Problem {
        if (id == null || id.isEmpty()) throw new IllegalArgumentException("a problem needs a non-empty id");
        if (text == null || text.isBlank()) throw new IllegalArgumentException("problem " + id + " has no text");
    }
}
