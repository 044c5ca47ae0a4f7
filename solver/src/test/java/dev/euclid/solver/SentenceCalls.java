package dev.euclid.solver;

import dev.euclid.solver.tool.ToolSyntax;
import java.util.List;
import java.util.Optional;

/**
 * A tool syntax for stories260K, which writes stories, not code: every sentence (a turn stopped at
 * ".") is a "call" whose code prints the sentence's word count. Drives the real engine through
 * stop strings and continuations with text the model did not write.
 */
final class SentenceCalls implements ToolSyntax {
    @Override
    public List<String> stops() {
        return List.of(".");
    }

    @Override
    public Optional<String> call(String turnText) {
        return turnText.endsWith(".") ? Optional.of("print(" + turnText.strip().split("\\s+").length + ")") : Optional.empty();
    }

    @Override
    public String output(ExecutionResult result, String stop) {
        return " She counted " + result.stdout().strip() + " words.";
    }

    @Override
    public String inferStop(String text) {
        return ".";
    }
}
