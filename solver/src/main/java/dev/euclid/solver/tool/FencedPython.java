package dev.euclid.solver.tool;

import dev.euclid.solver.ExecutionResult;
import java.util.List;
import java.util.Optional;

/**
 * ```python ... ``` then ```output ... ```. A turn stops where the block closes ("```" and a new
 * line) or where the model opens the output block itself ("```output", NuminaMath's stop).
 */
final class FencedPython implements ToolSyntax {
    static final String OPEN = "```python";
    static final String CLOSE = "```\n";
    static final String OUTPUT = "```output";

    @Override
    public List<String> stops() {
        return List.of(OUTPUT, CLOSE);
    }

    @Override
    public Optional<String> call(String text) {
        int open = text.lastIndexOf(OPEN);
        if (open < 0) return Optional.empty();
        int body = text.indexOf('\n', open);
        if (body < 0) return Optional.empty();
        int close = text.indexOf("```", body + 1);
        if (close < 0) return Optional.empty();
        String after = text.substring(close + 3).strip();
        // Only a block the turn ENDS with is a call: prose after it means the model moved on.
        if (!after.isEmpty() && !after.equals(OUTPUT) && !after.equals("output")) return Optional.empty();
        String code = text.substring(body + 1, close);
        return code.isBlank() ? Optional.empty() : Optional.of(code);
    }

    @Override
    public String output(ExecutionResult result, String stop) {
        String body = ToolSyntax.render(result);
        return (OUTPUT.equals(stop) ? "\n" : OUTPUT + "\n") + body + (body.isEmpty() ? "" : "\n") + "```\n";
    }

    @Override
    public String inferStop(String text) {
        int open = text.lastIndexOf(OPEN);
        if (open < 0) return null;
        int body = text.indexOf('\n', open);
        if (body < 0) return null;
        int close = text.indexOf("```", body + 1);
        if (close < 0) return CLOSE;
        return text.substring(close + 3).isBlank() ? OUTPUT : null;
    }
}
