package dev.euclid.internal.sched;

import dev.euclid.Speculation;
import dev.euclid.internal.spec.BeamDrafter;
import java.util.ArrayList;
import java.util.List;

/**
 * The samples of a step that draft with the drafter: for each, the logits row its latest token was
 * sampled from. After the step they are sent to the drafter in one call per draft shape (beams,
 * length), while the workspace still holds that step's hidden states; the beams wait on the sample
 * for its next step.
 */
final class Proposals {
    private final List<SequenceState> samples = new ArrayList<>();
    private final List<Integer> rows = new ArrayList<>();

    void clear() {
        samples.clear();
        rows.clear();
    }

    /** Records that {@code s} sampled its latest token from row {@code row}, if it drafts with the drafter. */
    void add(SequenceState s, int row) {
        if (s.finished() || s.request.request.speculation().kind() != Speculation.Kind.REDRAFTER) return;
        samples.add(s);
        rows.add(row);
    }

    void run(BeamDrafter drafter) {
        boolean[] done = new boolean[samples.size()];
        for (int first = 0; first < samples.size(); first++) {
            if (done[first]) continue;
            Speculation shape = samples.get(first).request.request.speculation();
            int beams = shape.beams(), length = shape.draftTokens();
            List<Integer> group = new ArrayList<>();
            for (int i = first; i < samples.size(); i++) {
                Speculation other = samples.get(i).request.request.speculation();
                if (!done[i] && other.beams() == beams && other.draftTokens() == length) {
                    group.add(i);
                    done[i] = true;
                }
            }
            int n = group.size();
            int[] rowIds = new int[n], tokens = new int[n], out = new int[n * beams * length];
            for (int j = 0; j < n; j++) {
                SequenceState s = samples.get(group.get(j));
                rowIds[j] = rows.get(group.get(j));
                tokens[j] = s.tokens[s.length - 1];
            }
            drafter.propose(n, rowIds, tokens, beams, length, out);
            for (int j = 0; j < n; j++) {
                SequenceState s = samples.get(group.get(j));
                s.beams = java.util.Arrays.copyOfRange(out, j * beams * length, (j + 1) * beams * length);
                s.beamsAt = s.length;
            }
        }
    }
}
