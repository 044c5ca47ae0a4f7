package dev.euclid.solver.answer;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an extracted answer into the key votes are counted by: {@code 1,000}, {@code 1000.0},
 * {@code $1000} and {@code 1000 \text{ dollars}} are all {@code 1000}; {@code \dfrac{6}{8}},
 * {@code \frac34} and {@code 0.75} are all {@code 3/4}. Numbers become a reduced integer or
 * fraction; any other expression is kept as its text without spaces and LaTeX sizing commands.
 */
public final class AnswerNormalizer {
    private static final Pattern FRAC = Pattern.compile("\\\\[dt]?frac\\s*\\{([^{}]*)\\}\\s*\\{([^{}]*)\\}");
    private static final Pattern FRAC_DIGITS = Pattern.compile("\\\\[dt]?frac\\s*(\\d)\\s*(\\d)");
    private static final Pattern TEXT_COMMAND = Pattern.compile("\\\\(?:text|textbf|mathrm|mathbf|mbox|textrm)\\s*\\{([^{}]*)\\}");
    private static final Pattern THOUSANDS = Pattern.compile("-?\\d{1,3}(,\\d{3})+(\\.\\d+)?");
    private static final Pattern NUMBER = Pattern.compile("-?(\\d+(\\.\\d*)?|\\.\\d+)");
    private static final Pattern RATIO = Pattern.compile("(-?\\d+)/(-?\\d+)");
    private static final Pattern TRAILING_WORDS = Pattern.compile("(.*?\\d)\\s*[A-Za-z][A-Za-z .^23]*");
    private static final Pattern ASSIGNMENT = Pattern.compile("^[A-Za-z](?:_\\{?\\w+\\}?)?\\s*=\\s*");

    private final AnswerFormat format;

    public AnswerNormalizer(AnswerFormat format) {
        this.format = java.util.Objects.requireNonNull(format, "format");
    }

    public AnswerFormat format() {
        return format;
    }

    /** The vote key of {@code answer}, or empty when it cannot be an answer in this format. */
    public Optional<String> normalize(String answer) {
        if (answer == null) return Optional.empty();
        String s = clean(answer);
        if (s.isEmpty()) return Optional.empty();
        Optional<BigInteger[]> number = number(s);
        if (number.isEmpty()) {
            return format.integersOnly() ? Optional.empty() : Optional.of(s.replaceAll("\\s+", ""));
        }
        BigInteger p = number.get()[0], q = number.get()[1];
        if (!q.equals(BigInteger.ONE)) {
            return format.integersOnly() ? Optional.empty() : Optional.of(p + "/" + q);
        }
        if (format.modulus() > 0) p = p.mod(BigInteger.valueOf(format.modulus()));
        return Optional.of(p.toString());
    }

    /** Strips what does not change the value: math delimiters, spacing, units, %, degrees, "x =". */
    private static String clean(String answer) {
        String s = answer.trim();
        s = s.replace("\\left", "").replace("\\right", "").replace("\\displaystyle", "");
        s = s.replace("\\!", "").replace("\\,", "").replace("\\;", "").replace("\\ ", " ").replace("~", " ");
        s = s.replace("{,}", ",");
        s = s.replace("\\$", "").replace("$", "").replace("\\(", "").replace("\\)", "").replace("\\[", "").replace("\\]", "");
        s = s.replace("^\\circ", "").replace("^{\\circ}", "").replace("\\circ", "").replace("\\degree", "").replace("°", "");
        s = s.replace("\\%", "").replace("%", "");
        s = TEXT_COMMAND.matcher(s).replaceAll(" $1");
        s = ASSIGNMENT.matcher(s.trim()).replaceFirst("");
        s = s.trim();
        while (s.endsWith(".")) s = s.substring(0, s.length() - 1).trim(); // a sentence's full stop
        s = unbrace(s);
        Matcher words = TRAILING_WORDS.matcher(s);
        if (words.matches() && number(words.group(1).trim()).isPresent()) s = words.group(1).trim();
        return s.trim();
    }

    /** {@code {42}} -> {@code 42}: a pair of braces around the whole answer adds nothing. */
    private static String unbrace(String s) {
        while (s.length() >= 2 && s.charAt(0) == '{' && closingBrace(s) == s.length() - 1) {
            s = s.substring(1, s.length() - 1).trim();
        }
        return s;
    }

    /** Index of the brace closing the one at index 0, or -1. */
    private static int closingBrace(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '{') depth++;
            else if (s.charAt(i) == '}' && --depth == 0) return i;
        }
        return -1;
    }

    /** A number written as an integer, decimal, a/b or \frac{a}{b}, as a reduced fraction {p, q>0}. */
    private static Optional<BigInteger[]> number(String text) {
        String s = text.replace(" ", "");
        if (THOUSANDS.matcher(s).matches()) s = s.replace(",", "");
        boolean negative = false;
        if (s.startsWith("-")) {
            negative = true;
            s = s.substring(1);
        } else if (s.startsWith("+")) {
            s = s.substring(1);
        }
        Matcher frac = FRAC.matcher(s);
        if (!frac.matches()) frac = FRAC_DIGITS.matcher(s);
        BigInteger[] value = null;
        if (frac.matches()) {
            value = ratio(frac.group(1).trim(), frac.group(2).trim());
        } else if (RATIO.matcher(s).matches()) {
            int slash = s.indexOf('/');
            value = ratio(s.substring(0, slash), s.substring(slash + 1));
        } else if (NUMBER.matcher(s).matches()) {
            value = decimal(s);
        }
        if (value == null) return Optional.empty();
        return Optional.of(negative ? new BigInteger[] {value[0].negate(), value[1]} : value);
    }

    private static BigInteger[] ratio(String numerator, String denominator) {
        BigInteger[] p = NUMBER.matcher(numerator).matches() ? decimal(numerator) : null;
        BigInteger[] q = NUMBER.matcher(denominator).matches() ? decimal(denominator) : null;
        if (p == null || q == null || q[0].signum() == 0) return null;
        return reduce(p[0].multiply(q[1]), p[1].multiply(q[0]));
    }

    private static BigInteger[] decimal(String s) {
        BigDecimal d = new BigDecimal(s.endsWith(".") ? s.substring(0, s.length() - 1) : s);
        BigDecimal stripped = d.stripTrailingZeros();
        int scale = Math.max(stripped.scale(), 0);
        return reduce(stripped.movePointRight(scale).toBigIntegerExact(), BigInteger.TEN.pow(scale));
    }

    private static BigInteger[] reduce(BigInteger p, BigInteger q) {
        if (q.signum() < 0) {
            p = p.negate();
            q = q.negate();
        }
        BigInteger g = p.gcd(q);
        if (g.signum() == 0) return new BigInteger[] {BigInteger.ZERO, BigInteger.ONE};
        return new BigInteger[] {p.divide(g), q.divide(g)};
    }
}
