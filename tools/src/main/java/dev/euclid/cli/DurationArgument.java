package dev.euclid.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Durations as people write them on a command line: {@code 9h}, {@code 1h30m}, {@code 90s}, {@code 45} (seconds). */
final class DurationArgument implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)([hms])");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    static Duration parse(String value) {
        String v = value.strip().toLowerCase(java.util.Locale.ROOT);
        double seconds = 0;
        if (v.matches("\\d+(\\.\\d+)?")) {
            seconds = Double.parseDouble(v);
        } else {
            Matcher m = PART.matcher(v);
            int end = 0;
            while (m.find() && m.start() == end) {
                double n = Double.parseDouble(m.group(1));
                seconds += switch (m.group(2)) {
                    case "h" -> n * 3600;
                    case "m" -> n * 60;
                    default -> n;
                };
                end = m.end();
            }
            if (end == 0 || end != v.length()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (e.g. 9h, 1h30m, 90s, 45)");
            }
        }
        if (seconds <= 0) throw new CommandLine.TypeConversionException("'" + value + "' must be a positive duration");
        return Duration.ofNanos((long) (seconds * 1e9));
    }
}
