package dev.euclid.internal.hub;

import java.util.regex.Pattern;

/**
 * A file pattern with the meaning huggingface_hub's allow_patterns give it (Python's fnmatch):
 * {@code *} matches any run of characters, '/' included, {@code ?} one character,
 * {@code [abc]}/{@code [!abc]} one of (or none of) a set; matched against the whole path.
 */
final class RepoGlob {
    private final String glob;
    private final Pattern regex;

    RepoGlob(String glob) {
        this.glob = glob;
        this.regex = Pattern.compile(translate(glob), Pattern.DOTALL);
    }

    boolean matches(String path) {
        return regex.matcher(path).matches();
    }

    @Override
    public String toString() {
        return glob;
    }

    private static String translate(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[' && glob.indexOf(']', i + 2) > 0) {
                int close = glob.indexOf(']', i + 2);
                String set = glob.substring(i + 1, close);
                boolean negated = set.startsWith("!");
                if (negated) set = set.substring(1);
                re.append('[').append(negated ? "^" : "");
                // Letters, digits and range dashes keep their meaning; anything else is escaped, which
                // Java's character classes allow for every non-letter.
                for (char s : set.toCharArray()) {
                    if (!(Character.isLetterOrDigit(s) || s == '-')) re.append('\\');
                    re.append(s);
                }
                re.append(']');
                i = close;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }
}
