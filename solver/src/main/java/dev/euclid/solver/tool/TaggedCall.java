package dev.euclid.solver.tool;

import dev.euclid.solver.ExecutionResult;
import java.util.List;
import java.util.Optional;

/** A call between two tags (e.g. {@code <tool_call>} ... {@code </tool_call>}); a ```python fence inside is unwrapped. */
final class TaggedCall implements ToolSyntax {
    private final String open, close, outputOpen, outputClose;

    TaggedCall(String open, String close, String outputOpen, String outputClose) {
        for (String tag : new String[] {open, close, outputOpen, outputClose}) {
            if (tag == null || tag.isEmpty()) throw new IllegalArgumentException("tool-call tags must be non-empty");
        }
        this.open = open;
        this.close = close;
        this.outputOpen = outputOpen;
        this.outputClose = outputClose;
    }

    @Override
    public List<String> stops() {
        return List.of(close);
    }

    @Override
    public Optional<String> call(String text) {
        String t = text.stripTrailing();
        if (!t.endsWith(close)) return Optional.empty();
        int start = t.lastIndexOf(open, t.length() - close.length());
        if (start < 0) return Optional.empty();
        String code = t.substring(start + open.length(), t.length() - close.length()).strip();
        if (code.startsWith(FencedPython.OPEN)) code = code.substring(code.indexOf('\n') + 1);
        else if (code.startsWith("```")) code = code.substring(code.indexOf('\n') + 1);
        if (code.endsWith("```")) code = code.substring(0, code.length() - 3);
        return code.isBlank() ? Optional.empty() : Optional.of(code);
    }

    @Override
    public String output(ExecutionResult result, String stop) {
        return "\n" + outputOpen + "\n" + ToolSyntax.render(result) + "\n" + outputClose + "\n";
    }

    @Override
    public String inferStop(String text) {
        int start = text.lastIndexOf(open);
        return start >= 0 && text.indexOf(close, start) < 0 ? close : null;
    }
}
