package dev.euclid.internal.sched;

/**
 * Prompt-lookup drafting (n-gram speculation): if the last few tokens appeared earlier in the
 * sequence, guess that what followed them then follows now. Needs no drafter; strong on code,
 * quoted text and answers that repeat the problem.
 */
final class PromptLookup {
    private static final int MAX_NGRAM = 3;

    private PromptLookup() {}

    /**
     * Up to {@code max} draft tokens for {@code tokens[0, length)}: the tokens that followed the most
     * recent earlier occurrence of its last n tokens (longest n first, n <= 3). Empty if none.
     */
    static int[] draft(int[] tokens, int length, int max) {
        if (max <= 0) return new int[0];
        for (int n = Math.min(MAX_NGRAM, length - 1); n >= 1; n--) {
            for (int start = length - n - 1; start >= 0; start--) {
                if (matches(tokens, start, length - n, n)) {
                    int from = start + n, count = Math.min(max, length - from);
                    int[] out = new int[count];
                    System.arraycopy(tokens, from, out, 0, count);
                    return out;
                }
            }
        }
        return new int[0];
    }

    private static boolean matches(int[] t, int a, int b, int n) {
        for (int i = 0; i < n; i++) if (t[a + i] != t[b + i]) return false;
        return true;
    }
}
