package dev.euclid.internal.sched;

import dev.euclid.internal.spec.DraftTree;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the next step (in-flight batching): preempted samples come back and new requests start
 * when their blocks fit, then the step's token budget goes to the next token of every decoding
 * sample first (they never wait more than one step), with its draft tree, then to chunks of waiting
 * prompts. Each sequence's blocks are reserved before it joins the plan, preempting if they run out.
 */
final class StepPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(StepPlanner.class);

    private final RequestQueue requests;
    private final Admission admission;
    private final Preemption preemption;
    private final DraftPlanner drafts;
    private final int maxTokensPerStep;

    StepPlanner(RequestQueue requests, Admission admission, Preemption preemption, DraftPlanner drafts,
            int maxTokensPerStep) {
        this.requests = requests;
        this.admission = admission;
        this.preemption = preemption;
        this.drafts = drafts;
        this.maxTokensPerStep = maxTokensPerStep;
    }

    StepPlan plan() {
        List<RequestState> order = requests.byPriority();
        admission.readmitPreempted(order);
        List<SequenceState> decoding = new ArrayList<>(), prefilling = new ArrayList<>();
        for (RequestState r : order) {
            if (r.samples.isEmpty() && !admission.admit(r)) continue;
            for (SequenceState s : r.samples) {
                if (s.finished() || s.blocks == null) continue;
                (isDecoding(s) ? decoding : prefilling).add(s);
            }
        }
        List<StepPlan.Entry> entries = new ArrayList<>();
        int budget = maxTokensPerStep;
        int draftRoom = drafts.room(decoding);
        for (List<SequenceState> group : List.of(decoding, prefilling)) {
            for (SequenceState s : group) {
                if (budget == 0) break;
                if (s.blocks == null) continue; // preempted while this step was being planned
                budget -= plan(s, budget, draftRoom, entries);
            }
        }
        return new StepPlan(entries);
    }

    /** A sample whose only token without K/V is the latest sampled one. */
    private static boolean isDecoding(SequenceState s) {
        return s.length - s.blocks.length() == 1 && s.generated() > 0;
    }

    /** Adds {@code s}'s part of the step to {@code entries} if its blocks fit; returns the tokens it takes. */
    private int plan(SequenceState s, int budget, int draftRoom, List<StepPlan.Entry> entries) {
        try {
            StepPlan.Entry entry;
            if (isDecoding(s)) {
                DraftTree tree = drafts.draftFor(s, Math.min(budget - 1, draftRoom));
                entry = tree == null ? StepPlan.Entry.decode(s) : StepPlan.Entry.verify(s, tree);
                if (!preemption.reserve(s, s.length + entry.count() - 1, entries)) return 0;
            } else {
                int from = s.blocks.length();
                entry = StepPlan.Entry.promptChunk(s, from, Math.min(budget, s.length - from));
                if (!preemption.reserve(s, entry.from() + entry.count(), entries)) return 0;
            }
            entries.add(entry);
            return entry.count();
        } catch (RuntimeException e) {
            // A sample that cannot be planned fails its request before the next step, never the engine.
            LOG.error("planning a step for request {} failed", s.request.arrival, e);
            s.request.failure = e;
            return 0;
        }
    }
}
