package dev.euclid.solver;

/**
 * The text a problem is asked in: {@code {problem}} marks where the problem goes. Models answer
 * best in the format they were tuned on, so each strategy's preset follows its model family.
 */
public record PromptTemplate(String text) {
    private static final String SLOT = "{problem}";

    public PromptTemplate {
        if (text == null || !text.contains(SLOT)) {
            throw new IllegalArgumentException("a prompt template must contain " + SLOT + ", got " + text);
        }
    }

    /** NuminaMath-7B-TIR's format. */
    public static PromptTemplate numinaTir() {
        return new PromptTemplate("### Problem: {problem}\n### Solution: ");
    }

    /** Plain text asking for Python in ```python blocks and a boxed answer (tool-using chat models). */
    public static PromptTemplate toolUse() {
        return new PromptTemplate("{problem}\n\nSolve the problem step by step. You may run Python by writing a "
                + "```python block; its output follows in an ```output block. Put the final answer in \\boxed{}.\n");
    }

    /** Step-by-step reasoning with a boxed answer (Qwen-Math's chain-of-thought prompt). */
    public static PromptTemplate chainOfThought() {
        return new PromptTemplate("{problem}\nPlease reason step by step, and put your final answer within \\boxed{}.\n");
    }

    public String render(String problem) {
        return text.replace(SLOT, problem);
    }
}
