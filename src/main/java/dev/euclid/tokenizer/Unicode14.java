package dev.euclid.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * General categories as Unicode 14.0 assigns them, which is what Hugging Face's tokenizers see:
 * their regexes run on Oniguruma with Unicode 14 tables. Java 17 knows Unicode 13, so without this
 * an emoji such as U+1FAE0 (melting face, So since 14.0) is unassigned to Java's \p{S} and a
 * DeepSeek-style pattern splits it differently. Only the code points where the running JVM
 * disagrees with Unicode 14 are kept (839 on Java 17); everything else asks Character.getType.
 *
 * <p>Java's regex engine cannot be given other tables (spelling the extra code points out as
 * ranges inside every class made matching many times slower), so regexes run on {@link #asJava}:
 * the text with each such code point replaced by one that both agree on, of the same category and
 * UTF-16 length. Match offsets are then those of the original text. Script classes
 * ({@code \p{Han}}) still follow the JVM. The Lowercase and NFKC/NFKD normalizers likewise get
 * the 40 lowercase mappings and 59 compatibility decompositions Unicode 14 added.
 */
final class Unicode14 {
    /** Java's Character type constants by two-letter category name, index = constant. */
    private static final List<String> NAMES = Arrays.asList("Cn", "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Me",
            "Mc", "Nd", "Nl", "No", "Zs", "Zl", "Zp", "Cc", "Cf", null, "Co", "Cs", "Pd", "Ps", "Pe", "Pc", "Po",
            "Sm", "Sc", "Sk", "So", "Pi", "Pf");
    private static final String TABLE = "unicode-14-general-category.txt";
    private static final String MAPPINGS = "unicode-14-mappings.txt";
    /** Lowercase and compatibility mappings Unicode 14 has and the JVM lacks: [0] from (ascending), [1] to. */
    private static final int[][] LOWERCASE;
    private static final int[][] COMPATIBILITY;

    /** Code points whose Unicode 14 category differs from the JVM's, ascending, and those categories. */
    private static final int[] CODE_POINTS;
    private static final byte[] TYPES;
    /** Per code point in CODE_POINTS: a stand-in the JVM puts in the same Unicode 14 category, or itself. */
    private static final int[] STAND_INS;
    /** Chars below this need no look-up in {@link #asJava}. */
    private static final char FIRST_DIFFERING_CHAR;

    static {
        Map<Integer, Integer> lowercase = new TreeMap<>();
        Map<Integer, Integer> compatibility = new TreeMap<>();
        for (String line : read(MAPPINGS)) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(" ");
            (parts[0].equals("L") ? lowercase : compatibility).put(Integer.parseInt(parts[1], 16),
                    Integer.parseInt(parts[2], 16));
        }
        LOWERCASE = table(lowercase);
        COMPATIBILITY = table(compatibility);
        int[] starts = new int[4096];
        byte[] types = new byte[4096];
        int runs = 0;
        for (String line : read(TABLE)) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.indexOf(' ');
            int type = NAMES.indexOf(line.substring(space + 1));
            if (type < 0) {
                throw new IllegalStateException(TABLE + ": unknown category in line \"" + line + "\"");
            }
            if (runs == starts.length) {
                starts = Arrays.copyOf(starts, runs * 2);
                types = Arrays.copyOf(types, runs * 2);
            }
            starts[runs] = Integer.parseInt(line.substring(0, space), 16);
            types[runs++] = (byte) type;
        }
        IntList differing = new IntList(1024);
        IntList differingTypes = new IntList(1024);
        for (int r = 0; r < runs; r++) {
            int end = r + 1 < runs ? starts[r + 1] : Character.MAX_CODE_POINT + 1;
            for (int cp = starts[r]; cp < end; cp++) {
                if (Character.getType(cp) != types[r]) {
                    differing.add(cp);
                    differingTypes.add(types[r]);
                }
            }
        }
        CODE_POINTS = differing.toArray();
        TYPES = new byte[CODE_POINTS.length];
        STAND_INS = new int[CODE_POINTS.length];
        int[][] standIns = new int[2][NAMES.size()]; // [supplementary][type]
        for (int i = 0; i < TYPES.length; i++) {
            TYPES[i] = (byte) differingTypes.get(i);
            int plane = CODE_POINTS[i] >= Character.MIN_SUPPLEMENTARY_CODE_POINT ? 1 : 0;
            if (standIns[plane][TYPES[i]] == 0) {
                standIns[plane][TYPES[i]] = standIn(TYPES[i], plane == 1);
            }
            STAND_INS[i] = standIns[plane][TYPES[i]] > 0 ? standIns[plane][TYPES[i]] : CODE_POINTS[i];
        }
        int first = CODE_POINTS.length == 0 ? Character.MAX_CODE_POINT : CODE_POINTS[0];
        FIRST_DIFFERING_CHAR = (char) Math.min(first, Character.MIN_SURROGATE);
    }

    /** The first code point past Latin-1 (which patterns spell literally) on which both agree, or -1. */
    private static int standIn(int type, boolean supplementary) {
        int from = supplementary ? Character.MIN_SUPPLEMENTARY_CODE_POINT : 0x100;
        int to = supplementary ? Character.MAX_CODE_POINT : Character.MIN_SUPPLEMENTARY_CODE_POINT - 1;
        for (int cp = from; cp <= to; cp++) {
            if (Character.getType(cp) == type && Arrays.binarySearch(CODE_POINTS, cp) < 0
                    && !Character.isSurrogate((char) cp)) {
                return cp;
            }
        }
        return -1;
    }

    /**
     * The text as Java's regex engine must see it to match as Oniguruma's Unicode 14 tables do:
     * the same text (no copy) unless it holds a code point whose category the JVM has differently.
     */
    static String asJava(String text) {
        char[] copy = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < FIRST_DIFFERING_CHAR) {
                continue;
            }
            int cp = text.codePointAt(i);
            int k = Arrays.binarySearch(CODE_POINTS, cp);
            if (k >= 0 && STAND_INS[k] != cp) {
                if (copy == null) {
                    copy = text.toCharArray();
                }
                Character.toChars(STAND_INS[k], copy, i);
            }
            if (Character.isSupplementaryCodePoint(cp)) {
                i++;
            }
        }
        return copy == null ? text : new String(copy);
    }

    private Unicode14() {
    }

    /** The code point's general category in Unicode 14, as a Character type constant. */
    static int type(int cp) {
        if (CODE_POINTS.length == 0 || cp < CODE_POINTS[0]) {
            return Character.getType(cp);
        }
        int i = Arrays.binarySearch(CODE_POINTS, cp);
        return i >= 0 ? TYPES[i] : Character.getType(cp);
    }

    /** Lowercase as HF's Rust char::to_lowercase gives it, one code point at a time. */
    static String lowercase(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int n = Character.charCount(cp);
            int mapped = mapped(LOWERCASE, cp);
            if (cp < 0x80) {
                out.append(Character.toLowerCase((char) cp));
            } else if (mapped >= 0) {
                out.appendCodePoint(mapped);
            } else {
                // String.toLowerCase, not Character's: full mappings (İ gives i + U+0307), as Rust has.
                out.append(text.substring(i, i + n).toLowerCase(Locale.ROOT));
            }
            i += n;
        }
        return out.toString();
    }

    /** The text with Unicode 14's new compatibility decompositions applied, ready for the JVM's NFKC/NFKD. */
    static String withCompatibilityForms(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int mapped = mapped(COMPATIBILITY, cp);
            if (mapped >= 0 && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                out.appendCodePoint(mapped >= 0 ? mapped : cp);
            }
            i += Character.charCount(cp);
        }
        return out == null ? text : out.toString();
    }

    /** What {@code cp} maps to in a table, or -1. */
    private static int mapped(int[][] table, int cp) {
        if (table[0].length == 0 || cp < table[0][0]) {
            return -1;
        }
        int i = Arrays.binarySearch(table[0], cp);
        return i >= 0 ? table[1][i] : -1;
    }

    private static int[][] table(Map<Integer, Integer> sorted) {
        int[][] table = new int[2][sorted.size()];
        int i = 0;
        for (Map.Entry<Integer, Integer> e : sorted.entrySet()) {
            table[0][i] = e.getKey();
            table[1][i++] = e.getValue();
        }
        return table;
    }

    private static List<String> read(String resource) {
        try (InputStream in = Unicode14.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the Euclid jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
