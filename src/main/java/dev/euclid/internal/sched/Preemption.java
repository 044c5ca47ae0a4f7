package dev.euclid.internal.sched;

import dev.euclid.internal.kv.BlockManager;
import dev.euclid.internal.kv.KvCacheFullException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reserves the blocks a sequence's step writes, preempting when the pool is full: the
 * lowest-priority (then newest) request holding blocks loses them all and keeps its tokens; it is
 * recomputed once readmitted, producing the same tokens (sampling draws depend only on seed and
 * position).
 */
final class Preemption {
    private static final Logger LOG = LoggerFactory.getLogger(Preemption.class);

    private final BlockManager blocks;
    private final RequestQueue requests;
    private final BlockManager.BlockCopier copier;
    private final SchedulerMetrics metrics;

    Preemption(BlockManager blocks, RequestQueue requests, BlockManager.BlockCopier copier, SchedulerMetrics metrics) {
        this.blocks = blocks;
        this.requests = requests;
        this.copier = copier;
        this.metrics = metrics;
    }

    /**
     * Blocks for positions up to {@code length} of {@code s}. Requests already in the step being
     * planned are never preempted; if only they hold blocks, {@code s} waits a step (false).
     */
    boolean reserve(SequenceState s, int length, List<StepPlan.Entry> planned) {
        while (true) {
            try {
                blocks.ensure(s.blocks, length, s.tokens, copier);
                return true;
            } catch (KvCacheFullException full) {
                RequestState victim = victim(planned);
                if (victim == null) return false;
                preempt(victim);
                if (victim == s.request) return false;
            }
        }
    }

    /** Lowest priority, then newest, among requests holding blocks and not in the step being planned. */
    private RequestState victim(List<StepPlan.Entry> planned) {
        List<RequestState> order = requests.byPriority();
        for (int i = order.size() - 1; i >= 0; i--) {
            RequestState r = order.get(i);
            boolean stepping = false;
            for (StepPlan.Entry e : planned) stepping |= e.sequence().request == r;
            if (stepping) continue;
            for (SequenceState s : r.samples) {
                if (s.blocks != null && s.blocks.blockCount() > 0) return r;
            }
        }
        return null;
    }

    private void preempt(RequestState r) {
        LOG.debug("preempting request {} ({} samples)", r.arrival, r.samples.size());
        metrics.preempted();
        for (SequenceState s : r.samples) {
            if (s.blocks != null) blocks.free(s.blocks);
            s.blocks = null;
        }
    }
}
