package dev.euclid.solver.answer;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Votes per normalised answer. The ranking is deterministic whatever order the ballots came in
 * (samples finish in an order that depends on timing): more weight first, then more ballots, then
 * the smaller number (numbers before other answers), then the text.
 */
public final class VoteTable {
    /** One answer's tally. */
    public record Entry(String answer, int count, double weight) {}

    private final Map<String, double[]> tally = new TreeMap<>(); // answer -> {count, weight}

    /** Adds a ballot of weight 1. */
    public void add(String answer) {
        add(answer, 1.0);
    }

    /** Adds a ballot; weights are >= 0 (0 counts the ballot but gives it no say). */
    public void add(String answer, double weight) {
        if (answer == null) throw new IllegalArgumentException("a ballot needs an answer");
        if (!(weight >= 0) || Double.isInfinite(weight)) throw new IllegalArgumentException("weight must be finite and >= 0, got " + weight);
        double[] t = tally.computeIfAbsent(answer, a -> new double[2]);
        t[0]++;
        t[1] += weight;
    }

    /** Every answer, best first. */
    public List<Entry> ranking() {
        List<Entry> out = new ArrayList<>();
        tally.forEach((a, t) -> out.add(new Entry(a, (int) t[0], t[1])));
        out.sort(ORDER);
        return Collections.unmodifiableList(out);
    }

    /** The winning answer, or empty when nobody voted. */
    public Optional<String> winner() {
        List<Entry> r = ranking();
        return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0).answer());
    }

    /** Total ballots cast. */
    public int ballots() {
        int n = 0;
        for (double[] t : tally.values()) n += (int) t[0];
        return n;
    }

    /**
     * Whether the leader stays the leader whatever the ballots still outstanding say: it holds more
     * weight than the runner-up could reach if every one of them (at most {@code maxWeight} each) went
     * to the runner-up, or to any answer not seen yet. Strictly more, so a tie the tie-break might
     * settle either way keeps sampling.
     */
    public boolean decided(int outstanding, double maxWeight) {
        if (outstanding < 0) throw new IllegalArgumentException("outstanding must be >= 0, got " + outstanding);
        List<Entry> r = ranking();
        if (r.isEmpty()) return outstanding == 0;
        double runnerUp = r.size() > 1 ? r.get(1).weight() : 0.0;
        return r.get(0).weight() > runnerUp + outstanding * maxWeight;
    }

    private static final Comparator<Entry> ORDER = Comparator.comparingDouble(Entry::weight).reversed()
            .thenComparing(Comparator.comparingInt(Entry::count).reversed())
            .thenComparing(Entry::answer, VoteTable::compareAnswers);

    /** Integers by value, before anything else; the rest by text. */
    private static int compareAnswers(String a, String b) {
        BigInteger x = integer(a), y = integer(b);
        if (x != null && y != null) return x.compareTo(y);
        if (x != null) return -1;
        if (y != null) return 1;
        return a.compareTo(b);
    }

    private static BigInteger integer(String s) {
        return s.matches("-?\\d+") ? new BigInteger(s) : null;
    }
}
