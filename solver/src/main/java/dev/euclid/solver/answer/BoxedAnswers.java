package dev.euclid.solver.answer;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the final answer a model wrote at the end of its reasoning. In order of trust:
 * <ol>
 *   <li>the LAST {@code \boxed{...}} or {@code \fbox{...}} (braces nested to any depth), or the
 *       brace-less {@code \boxed 5} form: models restate and correct themselves, so the last one wins;
 *   <li>failing that, the last "final answer is X" / "the answer is X" / "Answer: X" phrase, X running to
 *       the end of its line or sentence.
 * </ol>
 * A bare number at the end of the text is NOT taken: reasoning is full of intermediate numbers and
 * a sample that never states an answer should abstain rather than vote for one of them.
 */
public final class BoxedAnswers implements AnswerExtractor {
    private static final Pattern BOX = Pattern.compile("\\\\(?:boxed|fbox)\\s*(\\{)?");
    private static final Pattern PHRASE = Pattern.compile(
            "(?i)(?:final answer|the answer|answer)\\s*(?:is|:|=)\\s*:?\\s*(?:\\*\\*)?\\s*([^\\n]+)");

    /** The last boxed answer, else the last answer phrase; empty when the text states none. */
    @Override
    public Optional<String> extract(String text) {
        Optional<String> boxed = lastBoxed(text);
        return boxed.isPresent() ? boxed : lastPhrase(text);
    }

    /** The content of the last complete {@code \boxed{...}}/{@code \fbox{...}} or {@code \boxed X}. */
    public Optional<String> lastBoxed(String text) {
        Matcher m = BOX.matcher(text);
        String found = null;
        while (m.find()) {
            String content = m.group(1) != null ? braced(text, m.end()) : bare(text, m.end());
            if (content != null && !content.isBlank()) found = content.trim();
        }
        return Optional.ofNullable(found);
    }

    /** Text from {@code from} up to the brace closing the one just before it; null if it never closes. */
    private static String braced(String text, int from) {
        int depth = 1;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                i++; // an escaped brace (\{) does not nest
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return text.substring(from, i);
            }
        }
        return null;
    }

    /** {@code \boxed 5}: the token after the command, up to white space, '$' or the end. */
    private static String bare(String text, int from) {
        int end = from;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && text.charAt(end) != '$') end++;
        return end == from ? null : text.substring(from, end);
    }

    private static Optional<String> lastPhrase(String text) {
        Matcher m = PHRASE.matcher(text);
        String found = null;
        while (m.find()) found = m.group(1);
        // "the answer is \boxed{}": an empty box is no answer, and the phrase around it neither.
        if (found == null || BOX.matcher(found).find()) return Optional.empty();
        String answer = found.replaceAll("\\*\\*", "").trim();
        // The sentence ends at ". " or a final '.', but "3.5" keeps its decimal point.
        answer = answer.replaceFirst("\\.(\\s.*)?$", "").trim();
        return Optional.of(answer).filter(s -> !s.isEmpty());
    }
}
