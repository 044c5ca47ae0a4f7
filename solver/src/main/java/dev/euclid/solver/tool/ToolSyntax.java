package dev.euclid.solver.tool;

import dev.euclid.solver.ExecutionResult;
import java.util.List;
import java.util.Optional;

/**
 * How a model writes a tool call and reads its result, in the model's own words: NuminaMath's
 * TIR models write a ```python block and expect a ```output block after it; others wrap calls in
 * tags such as {@code <tool_call>}. Generation stops at the end of a call; the solver runs the code
 * and appends the output in the form the model was trained on.
 */
public interface ToolSyntax {
    /** Stop strings that end a turn at a tool call. */
    List<String> stops();

    /** The code of the call {@code turnText} ends with (the stop string included), or empty. */
    Optional<String> call(String turnText);

    /** The text appended after a call that ended at {@code stop}, carrying {@code result}. */
    String output(ExecutionResult result, String stop);

    /**
     * For servers that do not say which stop string matched (OpenAI's API drops it): the stop that
     * must have ended {@code text}, given that one did, or null when the text reads as finished.
     */
    String inferStop(String text);

    /** ```python blocks answered by ```output blocks (NuminaMath TIR, Qwen-Math TIR). */
    static ToolSyntax fencedPython() {
        return new FencedPython();
    }

    /** Calls between {@code open} and {@code close} tags, answered between {@code outputOpen} and {@code outputClose}. */
    static ToolSyntax tagged(String open, String close, String outputOpen, String outputClose) {
        return new TaggedCall(open, close, outputOpen, outputClose);
    }

    /**
     * What the model reads back: stdout, then the error's text (a traceback, so it can fix its code),
     * or a line saying the run was killed. Trailing white space is dropped.
     */
    static String render(ExecutionResult r) {
        String out = r.stdout().stripTrailing();
        String error = switch (r.status()) {
            case OK -> "";
            case ERROR -> r.stderr().stripTrailing();
            case TIMEOUT -> "TimeoutError: the code ran past its time limit";
            case KILLED -> r.stderr().isBlank() ? "Killed: the code ran past a resource limit" : r.stderr().stripTrailing();
        };
        return out.isEmpty() ? error : error.isEmpty() ? out : out + "\n" + error;
    }
}
