package dev.euclid.consumercheck;

import java.util.ArrayList;
import java.util.List;

/**
 * A ```java block of the README as a class whose main method runs the block's statements. The block
 * brings its own imports (a reader copies it whole), and every line of the source remembers the
 * README line it came from, so a compiler message can point at the README.
 *
 * @param line the README line (1-based) of the block's first code line
 * @param readmeLines for each source line, the README line it came from
 */
record ReadmeSnippet(int line, String source, int[] readmeLines) {
    String className() {
        return className(line);
    }

    private static String className(int line) {
        return "ReadmeLine" + line;
    }

    /** The README line of source line {@code sourceLine} (1-based); the wrapper's own lines map to the block's start. */
    long readmeLine(long sourceLine) {
        return sourceLine >= 1 && sourceLine <= readmeLines.length ? readmeLines[(int) sourceLine - 1] : line;
    }

    /** Every ```java block of the Markdown text, in order. */
    static List<ReadmeSnippet> extract(List<String> markdown) {
        List<ReadmeSnippet> snippets = new ArrayList<>();
        for (int i = 0; i < markdown.size(); i++) {
            if (!markdown.get(i).strip().equals("```java")) continue;
            int start = i + 1;
            int end = start;
            while (end < markdown.size() && !markdown.get(end).strip().equals("```")) end++;
            if (end == markdown.size()) throw new IllegalArgumentException("README line " + (i + 1) + ": ```java block never closed");
            snippets.add(wrap(markdown, start, end));
            i = end;
        }
        return snippets;
    }

    /** Imports first (Java wants them before the class), then the class and main around the statements. */
    private static ReadmeSnippet wrap(List<String> markdown, int from, int to) {
        StringBuilder source = new StringBuilder();
        List<Integer> origin = new ArrayList<>();
        for (int i = from; i < to; i++) {
            if (markdown.get(i).startsWith("import ")) {
                source.append(markdown.get(i)).append('\n');
                origin.add(i + 1);
            }
        }
        source.append("public class ").append(className(from + 1)).append(" { public static void main(String[] args) throws Exception {\n");
        origin.add(from + 1);
        for (int i = from; i < to; i++) {
            if (markdown.get(i).startsWith("import ")) continue;
            source.append(markdown.get(i)).append('\n');
            origin.add(i + 1);
        }
        source.append("}}\n");
        origin.add(to);
        return new ReadmeSnippet(from + 1, source.toString(), origin.stream().mapToInt(Integer::intValue).toArray());
    }
}
