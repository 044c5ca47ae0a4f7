package dev.euclid.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Unicode 14 categories Euclid's tokenizer regexes see, against Python's unicodedata (also 14.0). */
class UnicodeCategoriesTest {
    /** Prints the table in the resource's format, from Python 3.11's unicodedata. */
    private static final String PYTHON = String.join("\n",
            "import unicodedata as u",
            "assert u.unidata_version == '14.0.0', u.unidata_version",
            "prev = None",
            "for cp in range(0x110000):",
            "    c = u.category(chr(cp))",
            "    if c != prev:",
            "        print('%X %s' % (cp, c))",
            "        prev = c");

    @Test
    void theTableIsPythonsUnicode14() throws Exception {
        Process p = new ProcessBuilder("python3", "-c", PYTHON).redirectErrorStream(true).start();
        String expected = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python3 did not finish");
        assertEquals(0, p.exitValue(), "python3 (3.11, Unicode 14.0) is needed for this check: " + expected);
        String table;
        try (InputStream in = Unicode14.class.getResourceAsStream("unicode-14-general-category.txt")) {
            table = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        StringBuilder runs = new StringBuilder();
        table.lines().filter(l -> !l.startsWith("#")).forEach(l -> runs.append(l).append('\n'));
        assertEquals(expected, runs.toString());
    }

    /** Every code point that Python's lower(), NFKC or NFKD changes, with the result, as hex. */
    private static final String PYTHON_MAPPINGS = String.join("\n",
            "import unicodedata as u",
            "hexs = lambda s: ' '.join('%X' % ord(c) for c in s)",
            "for cp in range(0x110000):",
            "    if 0xD800 <= cp <= 0xDFFF: continue",
            "    c = chr(cp)",
            "    for name, f in (('lower', str.lower), ('NFKC', lambda x: u.normalize('NFKC', x)),",
            "                    ('NFKD', lambda x: u.normalize('NFKD', x))):",
            "        if f(c) != c: print(name, '%X' % cp, hexs(f(c)))");

    @Test
    void lowercaseAndCompatibilityFormsArePythons() throws Exception {
        Process p = new ProcessBuilder("python3", "-c", PYTHON_MAPPINGS).redirectErrorStream(true).start();
        String expected = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python3 did not finish");
        assertEquals(0, p.exitValue(), expected);
        var lower = HfNormalizer.parse(new ObjectMapper().readTree("{\"type\": \"Lowercase\"}"));
        var nfkc = HfNormalizer.parse(new ObjectMapper().readTree("{\"type\": \"NFKC\"}"));
        var nfkd = HfNormalizer.parse(new ObjectMapper().readTree("{\"type\": \"NFKD\"}"));
        StringBuilder actual = new StringBuilder();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                continue;
            }
            String c = new String(Character.toChars(cp));
            String[] names = {"lower", "NFKC", "NFKD"};
            String[] forms = {lower.apply(c), nfkc.apply(c), nfkd.apply(c)};
            for (int k = 0; k < 3; k++) {
                if (!forms[k].equals(c)) {
                    actual.append(names[k]).append(String.format(" %X ", cp));
                    forms[k].codePoints().forEach(x -> actual.append(String.format("%X ", x)));
                    actual.setLength(actual.length() - 1);
                    actual.append('\n');
                }
            }
        }
        assertEquals(expected, actual.toString());
    }

    @Test
    void charactersNewInUnicode14HaveTheirCategories() {
        assertEquals(Character.OTHER_SYMBOL, Unicode14.type(0x1FAE0), "melting face");
        assertEquals(Character.DECIMAL_DIGIT_NUMBER, Unicode14.type(0x16AC0), "Tangsa digit zero");
        assertEquals(Character.UPPERCASE_LETTER, Unicode14.type(0x10570), "Vithkuqi capital A");
        assertEquals(Character.UNASSIGNED, Unicode14.type(0x2EBF0), "CJK Extension I comes with Unicode 15.1");
        assertEquals(Character.OTHER_LETTER, Unicode14.type('中'));
        assertTrue(UnicodeClasses.isNumeric(0x16AC5));
    }

    @Test
    void regexesSeeUnicode14ThroughStandIns() throws IOException {
        String ascii = "plain text 123";
        assertSame(ascii, Unicode14.asJava(ascii), "nothing to replace: no copy");
        String melting = "a\uD83E\uDEE0b"; // U+1FAE0
        assertNotSame(melting, Unicode14.asJava(melting));
        Pattern symbols = HfPattern.compile("\\p{S}+");
        IntList bounds = new IntList(4);
        HfPattern.findAll(symbols, melting, "test", bounds);
        assertEquals(2, bounds.size());
        assertEquals(1, bounds.get(0));
        assertEquals(3, bounds.get(1));
        // Every code point's stand-in keeps its UTF-16 length and has its Unicode 14 category for the JVM.
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (Character.isSurrogate((char) cp) && cp < 0x10000) {
                continue;
            }
            String seen = Unicode14.asJava(new String(Character.toChars(cp)));
            assertEquals(Character.charCount(cp), seen.length());
            assertEquals(Unicode14.type(cp), Character.getType(seen.codePointAt(0)), Integer.toHexString(cp));
        }
    }
}
