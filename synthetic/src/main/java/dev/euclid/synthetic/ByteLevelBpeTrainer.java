package dev.euclid.synthetic;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Standard byte-level BPE training: start from the 256 byte tokens (id = byte value), then
 * repeatedly merge the most frequent adjacent pair inside the pre-tokens of a corpus. Ties go to
 * the smallest (left id, right id), so the result is deterministic. Pair counts are updated
 * incrementally and candidates kept in a heap checked lazily, so a merge costs one pass over the
 * distinct words rather than a recount of the corpus.
 */
final class ByteLevelBpeTrainer {
    /** The learned vocabulary: token bytes by id (ids 0..255 are the bytes), merges in rank order. */
    record Result(List<byte[]> tokens, List<int[]> merges) {
    }

    private record Candidate(int count, int left, int right) {
    }

    private static final Comparator<Candidate> BEST_FIRST = Comparator
            .comparingInt((Candidate c) -> -c.count).thenComparingInt(c -> c.left).thenComparingInt(c -> c.right);

    private final int[][] words;   // distinct pre-tokens as symbol ids
    private final int[] lengths;
    private final int[] frequencies;
    private final Map<Long, Integer> pairCounts = new HashMap<>();
    private final PriorityQueue<Candidate> candidates = new PriorityQueue<>(BEST_FIRST);

    private ByteLevelBpeTrainer(Map<String, Integer> wordCounts) {
        int n = wordCounts.size();
        words = new int[n][];
        lengths = new int[n];
        frequencies = new int[n];
        int w = 0;
        for (Map.Entry<String, Integer> e : wordCounts.entrySet()) {
            byte[] bytes = e.getKey().getBytes(StandardCharsets.UTF_8);
            words[w] = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                words[w][i] = bytes[i] & 0xFF;
            }
            lengths[w] = bytes.length;
            frequencies[w] = e.getValue();
            w++;
        }
    }

    /**
     * @param maxTokens stop once this many tokens (bytes included) exist
     */
    static Result train(String corpus, Pattern preTokenizer, int maxTokens) {
        Map<String, Integer> wordCounts = new LinkedHashMap<>(); // first-seen order keeps it deterministic
        Matcher m = preTokenizer.matcher(corpus);
        while (m.find()) {
            if (!m.group().isEmpty()) {
                wordCounts.merge(m.group(), 1, Integer::sum);
            }
        }
        return new ByteLevelBpeTrainer(wordCounts).run(maxTokens);
    }

    private Result run(int maxTokens) {
        List<byte[]> tokens = new ArrayList<>();
        Map<String, Integer> idsByBytes = new HashMap<>();
        for (int b = 0; b < 256; b++) {
            tokens.add(new byte[] {(byte) b});
            idsByBytes.put(key(tokens.get(b)), b);
        }
        List<int[]> merges = new ArrayList<>();
        Set<Long> merged = new HashSet<>();
        Set<Long> touched = new HashSet<>();
        for (int w = 0; w < words.length; w++) {
            countPairs(w, +1, touched);
        }
        pushCandidates(touched);
        while (tokens.size() < maxTokens) {
            Candidate best = nextValid();
            if (best == null) {
                break; // every pre-token is a single token: the corpus is exhausted
            }
            byte[] left = tokens.get(best.left);
            byte[] right = tokens.get(best.right);
            byte[] joined = new byte[left.length + right.length];
            System.arraycopy(left, 0, joined, 0, left.length);
            System.arraycopy(right, 0, joined, left.length, right.length);
            // Two different pairs can spell the same bytes; they share one token, as in HF's trainer.
            int id = idsByBytes.computeIfAbsent(key(joined), k -> {
                tokens.add(joined);
                return tokens.size() - 1;
            });
            if (merged.add(pairKey(best.left, best.right))) {
                merges.add(new int[] {best.left, best.right});
            }
            touched.clear();
            for (int w = 0; w < words.length; w++) {
                if (contains(w, best.left, best.right)) {
                    countPairs(w, -1, touched);
                    replace(w, best.left, best.right, id);
                    countPairs(w, +1, touched);
                }
            }
            pushCandidates(touched);
        }
        return new Result(tokens, merges);
    }

    private Candidate nextValid() {
        while (!candidates.isEmpty()) {
            Candidate c = candidates.poll();
            if (pairCounts.getOrDefault(pairKey(c.left, c.right), 0) == c.count) {
                return c;
            }
        }
        return null;
    }

    private void countPairs(int w, int sign, Set<Long> touched) {
        for (int i = 0; i + 1 < lengths[w]; i++) {
            long pair = pairKey(words[w][i], words[w][i + 1]);
            pairCounts.merge(pair, sign * frequencies[w], Integer::sum);
            touched.add(pair);
        }
    }

    private void pushCandidates(Set<Long> pairs) {
        for (long pair : pairs) {
            int count = pairCounts.getOrDefault(pair, 0);
            if (count > 0) {
                candidates.add(new Candidate(count, (int) (pair >>> 32), (int) pair));
            } else {
                pairCounts.remove(pair);
            }
        }
    }

    private boolean contains(int w, int left, int right) {
        for (int i = 0; i + 1 < lengths[w]; i++) {
            if (words[w][i] == left && words[w][i + 1] == right) {
                return true;
            }
        }
        return false;
    }

    /** Replaces non-overlapping occurrences left to right, as the encoder will. */
    private void replace(int w, int left, int right, int id) {
        int[] symbols = words[w];
        int out = 0;
        for (int i = 0; i < lengths[w]; i++) {
            if (i + 1 < lengths[w] && symbols[i] == left && symbols[i + 1] == right) {
                symbols[out++] = id;
                i++;
            } else {
                symbols[out++] = symbols[i];
            }
        }
        lengths[w] = out;
    }

    private static long pairKey(int left, int right) {
        return ((long) left << 32) | right;
    }

    private static String key(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
