package dev.euclid.chat;

import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.WeekFields;
import java.util.Locale;

/**
 * Python's {@code datetime.strftime} in the C locale, for Hugging Face's {@code strftime_now}
 * (Llama 3.x prints today's date with "%d %b %Y"). glibc's "%-d" (no padding) is supported too.
 */
final class Strftime {
    private Strftime() {}

    static String format(ZonedDateTime t, String pattern) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%' || i + 1 >= pattern.length()) {
                b.append(c);
                continue;
            }
            char code = pattern.charAt(++i);
            boolean unpadded = code == '-' && i + 1 < pattern.length();
            if (unpadded) code = pattern.charAt(++i);
            String field = field(t, code);
            if (field == null) {
                b.append('%').append(unpadded ? "-" : "").append(code);
            } else {
                b.append(unpadded && field.length() > 1 ? field.replaceFirst("^[0 ]+(?=.)", "") : field);
            }
        }
        return b.toString();
    }

    private static String field(ZonedDateTime t, char code) {
        return switch (code) {
            case 'a' -> t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US);
            case 'A' -> t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US);
            case 'b', 'h' -> t.getMonth().getDisplayName(TextStyle.SHORT, Locale.US);
            case 'B' -> t.getMonth().getDisplayName(TextStyle.FULL, Locale.US);
            case 'd' -> two(t.getDayOfMonth());
            case 'e' -> String.format("%2d", t.getDayOfMonth());
            case 'H' -> two(t.getHour());
            case 'I' -> two(t.getHour() % 12 == 0 ? 12 : t.getHour() % 12);
            case 'j' -> String.format("%03d", t.getDayOfYear());
            case 'm' -> two(t.getMonthValue());
            case 'M' -> two(t.getMinute());
            case 'S' -> two(t.getSecond());
            case 'p' -> t.getHour() < 12 ? "AM" : "PM";
            case 'y' -> two(t.getYear() % 100);
            case 'Y' -> Integer.toString(t.getYear());
            case 'w' -> Integer.toString(t.getDayOfWeek().getValue() % 7);
            case 'u' -> Integer.toString(t.getDayOfWeek().getValue());
            case 'U' -> two(t.get(WeekFields.SUNDAY_START.weekOfYear()));
            case 'W' -> two(t.get(WeekFields.of(java.time.DayOfWeek.MONDAY, 7).weekOfYear()));
            case 'f' -> String.format("%06d", t.get(ChronoField.MICRO_OF_SECOND));
            case 'z' -> t.getOffset().getTotalSeconds() == 0 ? "+0000" : t.getOffset().getId().replace(":", "");
            case 'Z' -> t.getZone().getDisplayName(TextStyle.SHORT, Locale.US);
            case 'c' -> field(t, 'a') + " " + field(t, 'b') + " " + field(t, 'e') + " " + field(t, 'H') + ":"
                    + field(t, 'M') + ":" + field(t, 'S') + " " + field(t, 'Y');
            case 'x' -> field(t, 'm') + "/" + field(t, 'd') + "/" + field(t, 'y');
            case 'X' -> field(t, 'H') + ":" + field(t, 'M') + ":" + field(t, 'S');
            case 'D' -> field(t, 'x');
            case 'F' -> field(t, 'Y') + "-" + field(t, 'm') + "-" + field(t, 'd');
            case 'T' -> field(t, 'X');
            case 'R' -> field(t, 'H') + ":" + field(t, 'M');
            case '%' -> "%";
            default -> null;
        };
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }
}
