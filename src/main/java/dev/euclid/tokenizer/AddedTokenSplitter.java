package dev.euclid.tokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Cuts text at occurrences of added tokens, like Hugging Face's AddedVocabulary: scanning left
 * to right, the leftmost occurrence wins and, among those starting there, the longest
 * (Aho-Corasick "leftmost-longest"); matches do not overlap. A trie of the contents makes a
 * position that starts no token cost one map lookup.
 */
final class AddedTokenSplitter {
    /** A piece of text ({@code id == -1}) or one added token. */
    record Segment(String text, int id) {
        boolean isToken() {
            return id >= 0;
        }
    }

    private static final class Node {
        final Map<Character, Node> children = new HashMap<>();
        HfAddedToken token; // set where a token's content ends
        int depth;
    }

    private final Node root = new Node();

    /** @param contentForm how token contents appear in the text to be split (e.g. normalized) */
    AddedTokenSplitter(List<HfAddedToken> tokens, UnaryOperator<String> contentForm) {
        for (HfAddedToken token : tokens) {
            String content = contentForm.apply(token.content());
            if (content.isEmpty()) {
                continue; // HF ignores empty added tokens: they would match everywhere
            }
            Node node = root;
            for (int i = 0; i < content.length(); i++) {
                node = node.children.computeIfAbsent(content.charAt(i), c -> new Node());
            }
            node.depth = content.length();
            node.token = token; // a later duplicate replaces an earlier one, as in HF
        }
    }

    /** Appends the segments of {@code text} to {@code out}; empty text segments are left out. */
    void split(String text, List<Segment> out) {
        if (root.children.isEmpty()) {
            addText(text, out);
            return;
        }
        int textStart = 0; // start of the text not yet emitted
        int i = 0;
        while (i < text.length()) {
            Node match = longestMatch(text, i);
            if (match == null) {
                i++;
                continue;
            }
            HfAddedToken token = match.token;
            int end = i + match.depth;
            if (token.singleWord() && !(isWordBoundary(text, i, true) && isWordBoundary(text, end, false))) {
                i = end; // HF drops such a match but still resumes after it
                continue;
            }
            int start = i;
            if (token.lstrip()) {
                while (start > textStart && UnicodeClasses.isWhiteSpace(text.codePointBefore(start))) {
                    start -= Character.charCount(text.codePointBefore(start));
                }
            }
            if (token.rstrip()) {
                while (end < text.length() && UnicodeClasses.isWhiteSpace(text.codePointAt(end))) {
                    end += Character.charCount(text.codePointAt(end));
                }
            }
            addText(text.substring(textStart, start), out);
            out.add(new Segment(text.substring(start, end), token.id()));
            textStart = end;
            i = end;
        }
        addText(text.substring(textStart), out);
    }

    /** The trie node of the longest token starting at {@code start}, or null. */
    private Node longestMatch(String text, int start) {
        Node node = root;
        Node longest = null;
        for (int i = start; i < text.length() && node != null; i++) {
            node = node.children.get(text.charAt(i));
            if (node != null && node.token != null) {
                longest = node;
            }
        }
        return longest;
    }

    private static void addText(String text, List<Segment> out) {
        if (!text.isEmpty()) {
            out.add(new Segment(text, -1));
        }
    }

    /** HF's single_word test: no word character ({@code \w}) touches the match on this side. */
    private static boolean isWordBoundary(String text, int at, boolean before) {
        if (before ? at == 0 : at == text.length()) {
            return true;
        }
        int cp = before ? text.codePointBefore(at) : text.codePointAt(at);
        return !UnicodeClasses.isWordChar(cp);
    }
}
