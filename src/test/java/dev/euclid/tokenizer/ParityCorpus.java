package dev.euclid.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The text the tokenizer parity tests encode: about 3.2 MB in documents of a few KB, made the same
 * way on every run from a fixed seed. Each kind of document aims at a place where tokenizers
 * differ: LaTeX math, real Python code (the machine's standard library), runs of every kind of
 * white space, digit strings (Llama 3 splits them in threes), CJK and other scripts, emoji with
 * ZWJ sequences, combining marks, characters new in Unicode 14, and special-token strings inside
 * ordinary text.
 */
final class ParityCorpus {
    /** Python's standard library: real code, present wherever the tests run (the CI image has it). */
    static final Path PYTHON_STDLIB = Path.of("/usr/lib/python3.11");
    static final long SEED = 18;

    /** Special-token strings of several model families, some of them cut short on purpose. */
    static final List<String> SPECIAL_STRINGS = List.of("<|im_start|>", "<|im_end|>", "<|endoftext|>",
            "<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>", "<|start_header_id|>", "<|end_header_id|>",
            "<s>", "</s>", "<unk>", "<pad>", "<bos>", "<eos>", "<start_of_turn>", "<end_of_turn>",
            "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>", "<｜User｜>", "<｜Assistant｜>", "<think>", "</think>",
            "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "[INST]", "[/INST]", "<mask>", "<|im_start",
            "|im_end|>", "<<|im_end|>>", "<|reserved_special_token_5|>", "<tool_call>", "<|vision_start|>");

    private static final String[] WORDS = {"the", "of", "and", "a", "to", "in", "is", "you", "that", "it", "he",
        "was", "for", "on", "are", "as", "with", "his", "they", "I", "at", "be", "this", "have", "from", "or",
        "one", "had", "by", "word", "but", "not", "what", "all", "were", "we", "when", "your", "can", "said",
        "There", "Use", "an", "each", "which", "she", "do", "how", "their", "if", "will", "up", "other", "about",
        "out", "many", "then", "them", "these", "so", "some", "her", "would", "make", "like", "him", "into",
        "time", "has", "look", "two", "more", "write", "go", "see", "number", "no", "way", "could", "people",
        "tokenizer", "Transformer", "LLaMA", "Qwen", "don't", "it's", "we're", "I'll", "you've", "she'd",
        "HELLO", "CamelCase", "snake_case", "kebab-case", "x86_64", "utf-8", "GPU", "naïve", "résumé"};

    private static final String[] SPACES = {" ", " ", " ", "  ", "   ", "\t", "\t\t", "\n", "\n\n", "\r\n",
        "\r", " \n", "\t \n", "\u00A0", "\u2003", "\u3000", "\u000B", "\u000C", "\u0085", "\u2028", "\u2029",
        "\u200B", "    ", "        ", "\n    ", "\n\t", " \t ", "\n\n\n\n"};

    private static final String[] EMOJI = {"😀", "😂", "🥲", "❤️", "❤", "👍", "👍🏻", "👍🏽", "👍🏿", "👩‍💻",
        "👨‍👩‍👧‍👦", "👩‍❤️‍💋‍👨", "🧑🏽‍🚀", "🏳️‍🌈", "🏳️‍⚧️", "🇯🇵", "🇺🇸", "🇩🇪", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "1️⃣", "#️⃣",
        "*️⃣", "©️", "™", "☺️", "✌🏼", "🫠", "🫶🏾", "🐈‍⬛", "🐻‍❄️", "👁️‍🗨️", "🤷‍♀️", "🙇🏻‍♂️", "🔥", "✨", "🚀",
        "⚡", "🍕", "🎉", "💯", "🤖"};

    private ParityCorpus() {
    }

    /** The documents, about 3.2 MB of UTF-8 in all. */
    static List<String> documents() {
        Random random = new Random(SEED);
        List<String> seed = seedSentences();
        List<String> docs = new ArrayList<>();
        docs.addAll(pythonCode(random, 800_000));
        for (int i = 0; i < 260; i++) {
            docs.add(math(random));
        }
        for (int i = 0; i < 40; i++) {
            docs.add(whitespace(random));
            docs.add(digits(random));
            docs.add(multilingual(random, seed));
            docs.add(emoji(random, seed));
            docs.add(combiningMarks(random, seed));
            docs.add(specialStrings(random, seed, SPECIAL_STRINGS));
            docs.add(unicode14(random, seed));
        }
        for (int i = 0; i < 6; i++) {
            docs.add(mixed(random, seed));
        }
        return docs;
    }

    /** Text with some of a tokenizer's own added tokens inside it (picked deterministically). */
    static List<String> withAddedTokens(List<String> tokenContents) {
        Random random = new Random(SEED + tokenContents.size());
        List<String> seed = seedSentences();
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            docs.add(specialStrings(random, seed, tokenContents));
        }
        return docs;
    }

    static long utf8Bytes(List<String> docs) {
        return docs.stream().mapToLong(d -> d.getBytes(StandardCharsets.UTF_8).length).sum();
    }

    static List<String> seedSentences() {
        try (InputStream in = ParityCorpus.class.getResourceAsStream("/tokenizer/parity-seed.txt")) {
            if (in == null) {
                throw new IllegalStateException("test resource /tokenizer/parity-seed.txt is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#")).collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Chunks of real code, some re-indented with tabs, cut at random lines (so also mid-block). */
    private static List<String> pythonCode(Random random, int totalChars) {
        List<Path> files;
        try (Stream<Path> list = Files.list(PYTHON_STDLIB)) {
            files = list.filter(p -> p.toString().endsWith(".py")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new IllegalStateException("the parity corpus reads Python's standard library from "
                    + PYTHON_STDLIB + " (install python3.11): " + e, e);
        }
        if (files.size() < 50) {
            throw new IllegalStateException("expected Python's standard library in " + PYTHON_STDLIB
                    + ", found " + files.size() + " .py files");
        }
        List<String> chunks = new ArrayList<>();
        int taken = 0;
        for (int f = 0; taken < totalChars; f = (f + 7) % files.size()) {
            List<String> lines = readLines(files.get(f));
            int start = random.nextInt(Math.max(1, lines.size() - 20));
            int count = 20 + random.nextInt(150);
            String chunk = String.join("\n", lines.subList(start, Math.min(lines.size(), start + count)));
            if (random.nextInt(4) == 0) {
                chunk = chunk.replace("    ", "\t");
            }
            if (random.nextBoolean()) {
                chunk += "\n";
            }
            chunks.add(chunk);
            taken += chunk.length();
        }
        return chunks;
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String math(Random r) {
        StringBuilder s = new StringBuilder();
        int a = r.nextInt(20) + 1;
        int b = r.nextInt(200) - 100;
        int c = r.nextInt(1000);
        int n = r.nextInt(50) + 2;
        s.append("Problem ").append(r.nextInt(5000)).append(". Let $f(x) = ").append(a).append("x^2 ")
                .append(b < 0 ? "- " : "+ ").append(Math.abs(b)).append("x + \\frac{").append(c).append("}{")
                .append(n).append("}$. Find $\\int_0^{").append(n).append("} f(x)\\,dx$ and $f'(").append(a)
                .append(")$.\n\n");
        s.append("Solution: We have\n$$\n\\int_0^{").append(n).append("} f(x)\\,dx = \\left[ \\frac{")
                .append(a).append("x^3}{3} ").append(b < 0 ? "-" : "+").append(" \\frac{").append(Math.abs(b))
                .append("x^2}{2} + \\frac{").append(c).append("x}{").append(n).append("} \\right]_0^{").append(n)
                .append("}.\n$$\n");
        s.append("Since $\\sqrt{").append(a * a).append("} = ").append(a).append("$ and $\\sum_{k=1}^{")
                .append(n).append("} k^2 = \\frac{n(n+1)(2n+1)}{6} = ").append(n * (n + 1) * (2 * n + 1) / 6)
                .append("$, the matrix $A = \\begin{pmatrix} ").append(a).append(" & ").append(b)
                .append(" \\\\ ").append(c).append(" & ").append(n).append(" \\end{pmatrix}$ has $\\det A = ")
                .append((long) a * n - (long) b * c).append("$.\n");
        s.append("If $x \\geq ").append(r.nextInt(10)).append("$ and $y \\le \\pi/").append(n)
                .append("$, then $\\lim_{x \\to \\infty} \\frac{\\ln x}{x^{").append(a)
                .append("}} = 0$, $\\angle ABC = ").append(r.nextInt(180)).append("^\\circ$, and $\\binom{")
                .append(n).append("}{2} = ").append(n * (n - 1) / 2).append("$.\n");
        s.append("So the answer is $\\boxed{").append(r.nextInt(100000) - 50000).append(".")
                .append(r.nextInt(100)).append("}$. ").append("The probability is $").append(r.nextInt(100))
                .append("\\%$, i.e.\\ $P(A \\cap B) = \\tfrac{1}{").append(n).append("}$.\n");
        if (r.nextBoolean()) {
            s.append("\\begin{align*}\n  x_{").append(n).append("} &= x_{").append(n - 1)
                    .append("} + \\Delta t \\cdot v_{").append(n - 1).append("} \\\\\n  &\\approx ")
                    .append(r.nextDouble()).append("\n\\end{align*}\n");
        }
        return s.toString();
    }

    private static String whitespace(Random r) {
        StringBuilder s = new StringBuilder();
        if (r.nextBoolean()) {
            s.append(pick(r, SPACES));
        }
        int count = 200 + r.nextInt(400);
        for (int i = 0; i < count; i++) {
            s.append(pick(r, WORDS));
            int runs = r.nextInt(10) == 0 ? 1 + r.nextInt(4) : 1;
            for (int k = 0; k < runs; k++) {
                s.append(pick(r, SPACES));
            }
            if (r.nextInt(30) == 0) {
                s.append(" ".repeat(1 + r.nextInt(40)));
            }
        }
        // Trailing white space of several kinds, which regex look-aheads treat specially.
        s.append(pick(r, WORDS)).append(pick(r, SPACES)).append(r.nextBoolean() ? "   " : "\n \t");
        return s.toString();
    }

    private static String digits(Random r) {
        String[] otherDigits = {"٠١٢٣٤٥٦٧٨٩", "１２３４５", "४५६७", "²³¹", "½¾", "ⅫⅣ", "①②③", "𝟙𝟚𝟛"};
        StringBuilder s = new StringBuilder();
        int count = 250 + r.nextInt(250);
        for (int i = 0; i < count; i++) {
            switch (r.nextInt(12)) {
                case 0 -> s.append(randomDigits(r, 1 + r.nextInt(40)));
                case 1 -> s.append(String.format("%,d", r.nextLong() / (1L << r.nextInt(60))));
                case 2 -> s.append(r.nextInt(10000)).append('.').append(randomDigits(r, 1 + r.nextInt(8)));
                case 3 -> s.append(r.nextDouble() * 1e-9);
                case 4 -> s.append(String.format("%04d-%02d-%02d %02d:%02d:%02d", 1900 + r.nextInt(200),
                        1 + r.nextInt(12), 1 + r.nextInt(28), r.nextInt(24), r.nextInt(60), r.nextInt(60)));
                case 5 -> s.append("0x").append(Long.toHexString(r.nextLong()).toUpperCase());
                case 6 -> s.append("v").append(r.nextInt(4)).append('.').append(r.nextInt(20)).append('.')
                        .append(r.nextInt(100));
                case 7 -> s.append(pick(r, WORDS)).append(randomDigits(r, 1 + r.nextInt(7))).append(pick(r, WORDS));
                case 8 -> s.append(pick(r, otherDigits));
                case 9 -> s.append("+1 (").append(randomDigits(r, 3)).append(") ").append(randomDigits(r, 3))
                        .append('-').append(randomDigits(r, 4));
                case 10 -> s.append(-r.nextInt(100000)).append("°");
                default -> s.append(pick(r, WORDS));
            }
            s.append(r.nextInt(8) == 0 ? "\n" : r.nextInt(5) == 0 ? ", " : " ");
        }
        return s.toString();
    }

    private static String multilingual(Random r, List<String> seed) {
        StringBuilder s = new StringBuilder();
        int count = 30 + r.nextInt(40);
        for (int i = 0; i < count; i++) {
            switch (r.nextInt(5)) {
                case 0 -> s.append(randomCodePoints(r, 0x4E00, 0x9FFF, 5 + r.nextInt(30)));
                case 1 -> s.append(randomCodePoints(r, 0x3041, 0x3096, 3 + r.nextInt(10)))
                        .append(randomCodePoints(r, 0x30A1, 0x30FA, 3 + r.nextInt(10)));
                case 2 -> s.append(randomCodePoints(r, 0xAC00, 0xD7A3, 2 + r.nextInt(12)));
                default -> s.append(seed.get(r.nextInt(seed.size())));
            }
            s.append(r.nextInt(3) == 0 ? "\n" : r.nextBoolean() ? " " : "");
        }
        return s.toString();
    }

    private static String emoji(Random r, List<String> seed) {
        StringBuilder s = new StringBuilder();
        int count = 150 + r.nextInt(200);
        for (int i = 0; i < count; i++) {
            switch (r.nextInt(6)) {
                case 0 -> s.append(randomCodePoints(r, 0x1F300, 0x1F64F, 1 + r.nextInt(4)));
                case 1 -> s.append(pick(r, WORDS));
                case 2 -> s.append(seed.get(r.nextInt(seed.size())));
                default -> s.append(EMOJI[r.nextInt(EMOJI.length)]);
            }
            s.append(r.nextInt(3) == 0 ? " " : "");
        }
        return s.toString();
    }

    private static String combiningMarks(Random r, List<String> seed) {
        int[][] marks = {{0x0300, 0x036F}, {0x0591, 0x05BD}, {0x064B, 0x065F}, {0x093C, 0x094D}, {0x1AB0, 0x1ABE},
            {0x20D0, 0x20F0}, {0xFE20, 0xFE2F}};
        StringBuilder s = new StringBuilder();
        int count = 200 + r.nextInt(200);
        for (int i = 0; i < count; i++) {
            switch (r.nextInt(4)) {
                case 0 -> s.append(Normalizer.normalize(seed.get(r.nextInt(seed.size())), Normalizer.Form.NFD));
                case 1 -> s.append(seed.get(r.nextInt(seed.size())));
                default -> {
                    s.append(pick(r, WORDS));
                    int[] range = marks[r.nextInt(marks.length)];
                    s.append(randomCodePoints(r, range[0], range[1], 1 + r.nextInt(4)));
                }
            }
            s.append(r.nextBoolean() ? " " : "");
        }
        if (r.nextBoolean()) {
            s.insert(0, "\u0301\u0308"); // marks with nothing to combine with
        }
        return s.toString();
    }

    /**
     * Characters new in Unicode 14, the version of HF's regex tables (Java 17 has 13): emoji (So),
     * Vithkuqi letters (Lu, Ll), Toto (Lo), Tangsa digits (Nd), Kana Extended-B (Lm), Arabic
     * Extended-B (Lo, Mn), and Znamenny combining marks (Mn).
     */
    private static String unicode14(Random r, List<String> seed) {
        int[][] ranges = {{0x1FAE0, 0x1FAE7}, {0x1FAF0, 0x1FAF6}, {0x1F979, 0x1F979}, {0x1FAAB, 0x1FAAC},
            {0x10570, 0x1057A}, {0x10597, 0x105A1}, {0x1E290, 0x1E2AD}, {0x16AC0, 0x16AC9}, {0x1AFF0, 0x1AFF3},
            {0x0870, 0x0887}, {0x1CF00, 0x1CF2D}};
        StringBuilder s = new StringBuilder();
        int count = 80 + r.nextInt(80);
        for (int i = 0; i < count; i++) {
            int[] range = ranges[r.nextInt(ranges.length)];
            switch (r.nextInt(4)) {
                case 0 -> s.append(pick(r, WORDS));
                case 1 -> s.append(seed.get(r.nextInt(seed.size())));
                default -> {
                    for (int k = 1 + r.nextInt(4); k > 0; k--) {
                        s.appendCodePoint(range[0] + r.nextInt(range[1] - range[0] + 1));
                    }
                }
            }
            s.append(r.nextInt(3) == 0 ? " " : r.nextBoolean() ? "." : "");
        }
        return s.toString();
    }

    private static String specialStrings(Random r, List<String> seed, List<String> specials) {
        StringBuilder s = new StringBuilder();
        int count = 60 + r.nextInt(80);
        for (int i = 0; i < count; i++) {
            String special = specials.get(r.nextInt(specials.size()));
            switch (r.nextInt(5)) {
                case 0 -> s.append(special).append("user\n").append(pick(r, WORDS));
                case 1 -> s.append(pick(r, WORDS)).append(special).append(pick(r, WORDS));
                case 2 -> s.append(' ').append(special).append(' ').append(pick(r, SPACES));
                case 3 -> s.append(special).append(special);
                default -> s.append(seed.get(r.nextInt(seed.size())));
            }
            s.append(r.nextInt(4) == 0 ? "\n" : r.nextBoolean() ? " " : "");
        }
        return s.toString();
    }

    /** A chat-like transcript with everything in it, a few tens of KB long. */
    private static String mixed(Random r, List<String> seed) {
        StringBuilder s = new StringBuilder();
        for (int turn = 0; turn < 6; turn++) {
            s.append(turn % 2 == 0 ? "<|im_start|>user\n" : "<|im_start|>assistant\n");
            s.append(math(r)).append(whitespace(r)).append(digits(r)).append(emoji(r, seed)).append("<|im_end|>\n");
        }
        return s.toString();
    }

    private static String randomDigits(Random r, int count) {
        StringBuilder s = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            s.append((char) ('0' + r.nextInt(10)));
        }
        return s.toString();
    }

    /** Code points assigned in Java's Unicode version (the Unicode 14 ones are in {@link #unicode14}). */
    private static String randomCodePoints(Random r, int first, int last, int count) {
        StringBuilder s = new StringBuilder();
        while (count > 0) {
            int cp = first + r.nextInt(last - first + 1);
            if (Character.isDefined(cp)) {
                s.appendCodePoint(cp);
                count--;
            }
        }
        return s.toString();
    }

    private static String pick(Random r, String[] options) {
        return options[r.nextInt(options.length)];
    }
}
