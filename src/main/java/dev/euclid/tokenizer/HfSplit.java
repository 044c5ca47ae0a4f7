package dev.euclid.tokenizer;

import java.util.List;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/**
 * Hugging Face's {@code NormalizedString::split}: find the matches of a pattern, optionally swap
 * matches and the text between them ({@code invert}), then keep, drop or merge them by a
 * behavior. Every pre-tokenizer that cuts text (Split, Metaspace, Digits, Punctuation,
 * WhitespaceSplit, ...) is one of these.
 */
final class HfSplit {
    /** What happens to the matches (HF's SplitDelimiterBehavior). */
    enum Behavior {
        REMOVED("Removed"), ISOLATED("Isolated"), MERGED_WITH_PREVIOUS("MergedWithPrevious"),
        MERGED_WITH_NEXT("MergedWithNext"), CONTIGUOUS("Contiguous");

        final String jsonName;

        Behavior(String jsonName) {
            this.jsonName = jsonName;
        }

        static Behavior parse(String name, String where) {
            for (Behavior b : values()) {
                if (b.jsonName.equals(name)) {
                    return b;
                }
            }
            throw HfJson.unsupported(where, "behavior", name,
                    "supported: Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous");
        }
    }

    /** Finds the matches in a text, appending each one's start and end to {@code bounds}. */
    @FunctionalInterface
    interface Finder {
        void find(String text, IntList bounds);
    }

    private final Finder finder;
    private final Behavior behavior;
    private final boolean invert;

    HfSplit(Finder finder, Behavior behavior, boolean invert) {
        this.finder = finder;
        this.behavior = behavior;
        this.invert = invert;
    }

    /** Every match of the regex (HF's onig find_iter), each as one match. */
    static Finder regex(Pattern pattern, String where) {
        return (text, bounds) -> HfPattern.findAll(pattern, text, where, bounds);
    }

    /** Every code point the predicate accepts, each as a match of its own. */
    static Finder chars(IntPredicate matches) {
        return (text, bounds) -> {
            for (int i = 0; i < text.length(); ) {
                int cp = text.codePointAt(i);
                int next = i + Character.charCount(cp);
                if (matches.test(cp)) {
                    bounds.add(i);
                    bounds.add(next);
                }
                i = next;
            }
        };
    }

    /**
     * Adds the non-empty pieces of {@code text} to {@code out}.
     *
     * @return whether the first piece added starts where {@code text} starts (false if none was added)
     */
    boolean split(String text, IntList bounds, List<String> out) {
        bounds.truncate(0);
        finder.find(text, bounds);
        if (behavior == Behavior.ISOLATED) { // the common case, without building the segment list
            int before = out.size();
            int end = 0;
            boolean firstAtZero = false;
            for (int m = 0; m < bounds.size(); m += 2) {
                firstAtZero |= add(text, end, bounds.get(m), out, before) | add(text, bounds.get(m), bounds.get(m + 1), out, before);
                end = bounds.get(m + 1);
            }
            firstAtZero |= add(text, end, text.length(), out, before);
            return firstAtZero;
        }
        // Segments alternate gaps and matches: starts[i], ends[i], isMatch[i].
        int count = 0;
        int[] starts = new int[bounds.size() + 1];
        int[] ends = new int[bounds.size() + 1];
        boolean[] isMatch = new boolean[bounds.size() + 1];
        int end = 0;
        for (int m = 0; m < bounds.size(); m += 2) {
            int s = bounds.get(m);
            if (end < s) {
                starts[count] = end;
                ends[count] = s;
                isMatch[count++] = invert;
            }
            starts[count] = s;
            ends[count] = bounds.get(m + 1);
            isMatch[count++] = !invert;
            end = bounds.get(m + 1);
        }
        if (end < text.length()) {
            starts[count] = end;
            ends[count] = text.length();
            isMatch[count++] = invert;
        }
        count = merge(starts, ends, isMatch, count);
        int before = out.size();
        boolean firstAtZero = false;
        for (int i = 0; i < count; i++) {
            if (!(behavior == Behavior.REMOVED && isMatch[i])) {
                firstAtZero |= add(text, starts[i], ends[i], out, before);
            }
        }
        return firstAtZero;
    }

    /** Applies the merging behaviors in place, exactly as HF folds its match list. */
    private int merge(int[] starts, int[] ends, boolean[] isMatch, int count) {
        int kept = 0;
        boolean previousMatch = false;
        switch (behavior) {
            case MERGED_WITH_PREVIOUS:
                for (int i = 0; i < count; i++) {
                    if (isMatch[i] && !previousMatch && kept > 0) {
                        ends[kept - 1] = ends[i];
                    } else {
                        starts[kept] = starts[i];
                        ends[kept] = ends[i];
                        isMatch[kept++] = isMatch[i];
                    }
                    previousMatch = isMatch[i];
                }
                return kept;
            case MERGED_WITH_NEXT: {
                // HF folds from the end: a match joins the piece after it.
                int write = count;
                for (int i = count - 1; i >= 0; i--) {
                    if (isMatch[i] && !previousMatch && write < count) {
                        starts[write] = starts[i];
                    } else {
                        write--;
                        starts[write] = starts[i];
                        ends[write] = ends[i];
                        isMatch[write] = isMatch[i];
                    }
                    previousMatch = isMatch[i];
                }
                int n = count - write;
                System.arraycopy(starts, write, starts, 0, n);
                System.arraycopy(ends, write, ends, 0, n);
                System.arraycopy(isMatch, write, isMatch, 0, n);
                return n;
            }
            case CONTIGUOUS:
                for (int i = 0; i < count; i++) {
                    if (isMatch[i] == previousMatch && kept > 0) {
                        ends[kept - 1] = ends[i];
                    } else {
                        starts[kept] = starts[i];
                        ends[kept] = ends[i];
                        isMatch[kept++] = isMatch[i];
                    }
                    previousMatch = isMatch[i];
                }
                return kept;
            default:
                return count;
        }
    }

    /** Adds text[start, end) if non-empty; true if it is the first piece added and starts at 0. */
    private static boolean add(String text, int start, int end, List<String> out, int firstIndex) {
        if (start == end) {
            return false;
        }
        out.add(text.substring(start, end));
        return start == 0 && out.size() == firstIndex + 1;
    }
}
