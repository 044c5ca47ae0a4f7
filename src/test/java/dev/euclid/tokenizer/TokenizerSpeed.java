package dev.euclid.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Encoding speed of Euclid's tokenizer against Hugging Face's (DJL's JNI binding) on the parity
 * corpus, one thread, in one run: rounds alternate between the two, so a change in the machine's
 * load hits both alike, and the reported ratio is the median of the rounds' ratios. Not a test;
 * run it as bench/results/2026-12-06-tokenizer-parity.md says. Arguments: tokenizer names
 * (default: all of {@link NpmTokenizers#ALL}), {@code --rounds N} (default 5), {@code --write-corpus
 * FILE} (also write the corpus as a JSON array of strings, for timing other tokenizers on it).
 */
public final class TokenizerSpeed {
    private TokenizerSpeed() {
    }

    public static void main(String[] args) throws Exception {
        List<String> names = new ArrayList<>();
        int rounds = 5;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rounds")) {
                rounds = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--write-corpus")) {
                new ObjectMapper().writeValue(Path.of(args[++i]).toFile(), ParityCorpus.documents());
            } else {
                names.add(args[i]);
            }
        }
        if (names.isEmpty()) {
            names.addAll(NpmTokenizers.ALL);
        }
        List<String> corpus = ParityCorpus.documents();
        double megabytes = ParityCorpus.utf8Bytes(corpus) / 1e6;
        System.out.printf(Locale.ROOT, "corpus: %d documents, %.2f MB of UTF-8; %d rounds, 1 thread%n",
                corpus.size(), megabytes, rounds);
        System.out.println("| tokenizer | Euclid MB/s | HF tokenizers (DJL) MB/s | ratio Euclid/HF (median of rounds) |");
        System.out.println("|---|---|---|---|");
        for (String name : names) {
            Path file = NpmTokenizers.tokenizerJson(name);
            HfTokenizer euclid = HfTokenizer.load(file);
            try (HfReference hf = new HfReference(file)) {
                long euclidIds = pass(corpus, text -> euclid.encode(text, false).length); // warm-up
                long hfIds = pass(corpus, text -> hf.encode(text, false).length);
                if (euclidIds != hfIds) {
                    throw new IllegalStateException(name + ": " + euclidIds + " ids from Euclid, " + hfIds + " from HF");
                }
                double[] euclidRates = new double[rounds];
                double[] hfRates = new double[rounds];
                double[] ratios = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    boolean euclidFirst = r % 2 == 0;
                    double a = rate(megabytes, corpus, euclidFirst ? euclid : null, euclidFirst ? null : hf);
                    double b = rate(megabytes, corpus, euclidFirst ? null : euclid, euclidFirst ? hf : null);
                    euclidRates[r] = euclidFirst ? a : b;
                    hfRates[r] = euclidFirst ? b : a;
                    ratios[r] = euclidRates[r] / hfRates[r];
                }
                System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f (rounds: %s) |%n", name, median(euclidRates),
                        median(hfRates), median(ratios), format(ratios));
            }
        }
    }

    private interface Encoder {
        int count(String text);
    }

    private static long pass(List<String> corpus, Encoder encoder) {
        long ids = 0;
        for (String text : corpus) {
            ids += encoder.count(text);
        }
        return ids;
    }

    /** MB/s of one pass with whichever of the two is given. */
    private static double rate(double megabytes, List<String> corpus, HfTokenizer euclid, HfReference hf) {
        long start = System.nanoTime();
        pass(corpus, euclid != null ? text -> euclid.encode(text, false).length : text -> hf.encode(text, false).length);
        return megabytes / ((System.nanoTime() - start) / 1e9);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String format(double[] values) {
        StringBuilder s = new StringBuilder();
        for (double v : values) {
            s.append(s.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", v));
        }
        return s.toString();
    }
}
