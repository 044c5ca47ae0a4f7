package dev.euclid.chat;

import java.util.ArrayList;
import java.util.List;

/** Python's slice semantics: which indices seq[start:stop:step] picks (bounds clamped, None = open). */
final class Slices {
    private Slices() {}

    static int[] indices(int length, Long start, Long stop, Long step) {
        long st = step == null ? 1 : step;
        if (st == 0) throw PyError.value("slice step cannot be zero");
        long lower = st < 0 ? -1 : 0, upper = st < 0 ? length - 1 : length;
        long from = start == null ? (st < 0 ? upper : lower) : clamp(start, length, lower, upper);
        long to = stop == null ? (st < 0 ? lower : upper) : clamp(stop, length, lower, upper);
        int count = 0;
        if (st > 0 && to > from) count = (int) ((to - from + st - 1) / st);
        if (st < 0 && from > to) count = (int) ((from - to - st - 1) / -st);
        int[] out = new int[count];
        for (int i = 0; i < count; i++) out[i] = (int) (from + i * st);
        return out;
    }

    private static long clamp(long index, int length, long lower, long upper) {
        if (index < 0) return Math.max(index + length, lower);
        return Math.min(index, upper);
    }

    static List<Object> slice(List<?> items, Long start, Long stop, Long step) {
        List<Object> out = new ArrayList<>();
        for (int i : indices(items.size(), start, stop, step)) out.add(items.get(i));
        return out;
    }
}
