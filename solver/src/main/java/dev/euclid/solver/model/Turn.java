package dev.euclid.solver.model;

/**
 * One stretch of a sample's generation, up to a stop string, the end of the text or a limit.
 *
 * @param text the generated text as the model saw it: the matched stop string included, the end
 *     token's text not
 * @param stop the stop string that ended the turn, or null
 * @param end why the turn ended
 * @param tokens tokens generated in this turn
 * @param contextTokens tokens (or, for a text-only server, characters) the turn started from
 * @param continuation what the backend needs to continue this turn (its tokens or its text)
 */
public record Turn(String text, String stop, End end, int tokens, int contextTokens, Object continuation) {
    public enum End {
        /** At a stop string: the sample goes on once something is appended. */
        STOP_STRING,
        /** The model ended its text (end token). */
        END_OF_TEXT,
        /** The turn's token limit or the model's context. */
        LENGTH,
        /** Stopped from outside: early stop, a time budget, a cancelled run. */
        STOPPED
    }
}
