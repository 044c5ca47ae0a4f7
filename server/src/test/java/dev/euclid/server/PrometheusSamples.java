package dev.euclid.server;

import java.util.HashMap;
import java.util.Map;

/** A /metrics page read back: each series (name with labels) and its value; checks the text format. */
final class PrometheusSamples {
    private final Map<String, Double> values = new HashMap<>();

    static PrometheusSamples parse(String text) {
        PrometheusSamples s = new PrometheusSamples();
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) continue;
            int space = line.lastIndexOf(' ');
            if (line.isBlank() || space < 0) throw new AssertionError("not a sample line: '" + line + "'");
            if (s.values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1))) != null) {
                throw new AssertionError("series twice: " + line);
            }
        }
        return s;
    }

    double value(String series) {
        Double v = values.get(series);
        if (v == null) throw new AssertionError("no series " + series + " in " + values.keySet());
        return v;
    }

    boolean has(String series) {
        return values.containsKey(series);
    }
}
