package dev.euclid.internal.sched;

import dev.euclid.EngineMetrics;
import dev.euclid.FinishReason;
import dev.euclid.GroupStop;
import dev.euclid.KvStats;
import dev.euclid.Request;
import dev.euclid.RequestHandle;
import dev.euclid.Speculation;
import dev.euclid.TokenEvent;
import dev.euclid.Tokenizer;
import dev.euclid.internal.KvRuntime;
import dev.euclid.internal.NativeApi;
import dev.euclid.internal.NativeStepRunner;
import dev.euclid.internal.StepBatch;
import dev.euclid.internal.kv.BlockManager;
import dev.euclid.internal.kv.KvCacheFullException;
import dev.euclid.internal.spec.BeamDrafter;
import dev.euclid.internal.spec.DraftTree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.FutureTask;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine loop: one thread that owns the KV cache and the native workspace. Each step packs the
 * next token of every running sample and chunks of waiting prompts (in-flight batching) into one
 * native call, under the step's token limit. Requests arrive from any thread through a queue; when
 * KV blocks run out, the lowest-priority (then newest) request is preempted — its blocks freed, its
 * tokens kept — and recomputed later, producing the same tokens (sampling draws depend only on
 * seed and position).
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    private final BlockManager blocks;
    private final NativeStepRunner kv;
    private final Tokenizer tokenizer;
    private final int maxTokensPerStep;
    private final int context;
    private final int vocab;
    private BeamDrafter drafter; // engine thread only
    private AcceptanceRule acceptance = AcceptanceRule.EXACT;
    private final int speculativeStepTokens;
    private final Proposals proposals = new Proposals();
    private long verifySteps, acceptedDrafts, preemptions;
    private final ConcurrentLinkedQueue<RequestState> incoming = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<FutureTask<?>> tasks = new ConcurrentLinkedQueue<>();
    private final List<RequestState> active = new ArrayList<>(); // admitted or waiting, in arrival order
    private final Thread thread;
    private volatile boolean closing;
    private long arrivals;
    private long steps, stepNanos, generatedTokens;
    private double recentTokensPerSecond;

    /**
     * @param speculativeStepTokens tokens a step may hold with draft tokens included (see
     *     {@link #draftRoom}); decode tokens and prompt chunks are not limited by it
     */
    public Scheduler(KvRuntime runtime, Tokenizer tokenizer, int context, int vocab, int speculativeStepTokens) {
        this.context = context;
        this.speculativeStepTokens = speculativeStepTokens;
        this.vocab = vocab;
        this.blocks = runtime.blocks();
        this.kv = runtime.kv();
        this.tokenizer = tokenizer;
        this.maxTokensPerStep = kv.maxChunk();
        this.thread = new Thread(this::loop, "euclid-engine");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues a validated request; returns its handle at once. */
    public RequestHandle submit(Request request, int[] prompt, int[] stopIds, int maxNew, Consumer<TokenEvent> listener) {
        RequestState r = new RequestState(request, prompt, stopIds, maxNew, tokenizer, listener, this::wake);
        if (closing) throw new IllegalStateException("engine is closed");
        incoming.add(r);
        wake();
        return r;
    }

    /** A handle whose result has already failed: the request could never run. */
    public static RequestHandle refused(Request request, RuntimeException why) {
        return RequestState.failed(request, why);
    }

    /** Runs {@code task} on the engine thread between steps (native state is single-threaded). */
    public <T> T call(Callable<T> task) {
        if (Thread.currentThread() == thread) {
            try {
                return task.call();
            } catch (Exception e) {
                throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
            }
        }
        FutureTask<T> f = new FutureTask<>(task);
        if (closing) throw new IllegalStateException("engine is closed");
        tasks.add(f);
        wake();
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }

    private void wake() {
        LockSupport.unpark(thread);
    }

    private void loop() {
        StepBatch batch = new StepBatch(maxTokensPerStep, maxTokensPerStep);
        List<SequenceState> inStep = new ArrayList<>();
        List<Integer> fed = new ArrayList<>();
        List<DraftTree> drafts = new ArrayList<>();
        while (true) {
            for (FutureTask<?> t; (t = tasks.poll()) != null; ) t.run();
            for (RequestState r; (r = incoming.poll()) != null; ) {
                r.arrival = arrivals++;
                active.add(r);
            }
            if (closing) break;
            dropCancelled();
            if (active.isEmpty()) {
                LockSupport.park(this);
                continue;
            }
            try {
                plan(batch, inStep, fed, drafts);
                if (batch.size() == 0) {
                    LockSupport.parkNanos(this, 1_000_000); // nothing fits yet: wait for blocks or requests
                    continue;
                }
                long start = System.nanoTime();
                kv.run(batch);
                int sampled = apply(batch, inStep, fed, drafts);
                record(System.nanoTime() - start, sampled);
            } catch (RuntimeException e) {
                // A failed step fails the requests in it, never the engine or the other requests.
                LOG.error("engine step failed", e);
                for (SequenceState s : inStep) finishRequest(s.request, e);
            }
        }
        IllegalStateException closed = new IllegalStateException("engine closed while the request was running");
        for (RequestState r : new ArrayList<>(active)) finishRequest(r, closed);
        for (RequestState r; (r = incoming.poll()) != null; ) r.fail(closed);
        for (FutureTask<?> t; (t = tasks.poll()) != null; ) t.cancel(false);
        if (drafter != null) drafter.close();
    }

    /** Builds the next step: decodes first (they never wait more than one step), then prompt chunks. */
    private void plan(StepBatch batch, List<SequenceState> inStep, List<Integer> fed, List<DraftTree> drafts) {
        batch.clear();
        inStep.clear();
        fed.clear();
        drafts.clear();
        int budget = maxTokensPerStep;
        readmitPreempted();
        List<SequenceState> decoding = new ArrayList<>(), prefilling = new ArrayList<>();
        for (RequestState r : byPriority()) {
            // Admission by free KV blocks: a new request starts only when its prompt fits now.
            if (r.samples.isEmpty() && !admit(r)) continue;
            for (SequenceState s : r.samples) {
                if (s.finished() || s.blocks == null) continue;
                if (s.length - s.blocks.length() == 1 && s.generated() > 0) decoding.add(s);
                else prefilling.add(s);
            }
        }
        int draftRoom = draftRoom(decoding);
        for (SequenceState s : decoding) {
            if (budget == 0) break;
            if (s.blocks == null) continue; // preempted while this step was being built
            int pos = s.length - 1;
            DraftTree tree = draftFor(s, Math.min(budget - 1, draftRoom));
            int size = tree == null ? 0 : tree.size();
            if (!reserve(s, s.length + size, inStep)) continue;
            if (tree == null) batch.add(s.blocks, s.tokens, pos, 1, pos, s.sampling, pos + 1, s.promptLength);
            else batch.addTree(s.blocks, s.tokens[pos], tree, pos, s.sampling);
            inStep.add(s);
            fed.add(1 + size);
            drafts.add(tree);
            budget -= 1 + size;
        }
        for (SequenceState s : prefilling) {
            if (budget == 0) break;
            if (s.blocks == null) continue; // preempted while this step was being built
            int from = s.blocks.length();
            int n = Math.min(budget, s.length - from);
            if (!reserve(s, from + n, inStep)) continue;
            batch.add(s.blocks, s.tokens, from, n, from, s.sampling, from + n, s.promptLength);
            inStep.add(s);
            fed.add(n);
            drafts.add(null);
            budget -= n;
        }
    }

    /**
     * Blocks for positions up to {@code length}, preempting the lowest-priority (then newest) request
     * holding blocks if the pool is full. Requests already in this step are never preempted; if only
     * they hold blocks, {@code s} waits a step.
     */
    private boolean reserve(SequenceState s, int length, List<SequenceState> inStep) {
        while (true) {
            try {
                blocks.ensure(s.blocks, length, s.tokens, kv::copyBlock);
                return true;
            } catch (KvCacheFullException full) {
                RequestState victim = victim(inStep);
                if (victim == null) return false;
                preempt(victim);
                if (victim == s.request) return false;
            }
        }
    }

    /** Lowest priority, then newest, among requests holding blocks and not in the step being built. */
    private RequestState victim(List<SequenceState> inStep) {
        List<RequestState> order = byPriority();
        for (int i = order.size() - 1; i >= 0; i--) {
            RequestState r = order.get(i);
            boolean stepping = false;
            for (SequenceState s : inStep) stepping |= s.request == r;
            if (stepping) continue;
            for (SequenceState s : r.samples) {
                if (s.blocks != null && s.blocks.blockCount() > 0) return r;
            }
        }
        return null;
    }

    private void preempt(RequestState r) {
        LOG.debug("preempting request {} ({} samples)", r.arrival, r.samples.size());
        preemptions++;
        for (SequenceState s : r.samples) {
            if (s.blocks != null) blocks.free(s.blocks);
            s.blocks = null; // re-admitted later: its tokens so far are recomputed (prefix cache helps)
        }
    }

    private boolean admit(RequestState r) {
        if (blocks.availableBlocks() < (r.prompt.length + blocks.blockTokens() - 1) / blocks.blockTokens() + 1) return false;
        r.samples.add(new SequenceState(r, 0, Arrays.copyOf(r.prompt, r.prompt.length + Math.min(r.maxNew, 64)),
                r.prompt.length, blocks.open(r.prompt, true, holeRoom(r))));
        return true;
    }

    /**
     * The positions a sample of {@code r} may hold (the last token is sampled, never fed), for
     * {@link BlockManager#open}; 0 for a request of several samples before they fork: they will leave
     * a hole of their own after the prompt, and a sequence has at most one.
     */
    private static int holeRoom(RequestState r) {
        return r.request.samples() == 1 || r.forked ? r.prompt.length + r.maxNew - 1 : 0;
    }

    /** Preempted samples come back, highest priority first, once their tokens' blocks fit. */
    private void readmitPreempted() {
        for (RequestState r : byPriority()) {
            for (SequenceState s : r.samples) {
                if (s.blocks != null || s.finished()) continue;
                if (blocks.availableBlocks() < (s.length + blocks.blockTokens() - 1) / blocks.blockTokens() + 1) return;
                s.blocks = blocks.open(Arrays.copyOf(s.tokens, s.length), true, holeRoom(r));
            }
        }
    }

    private List<RequestState> byPriority() {
        List<RequestState> order = new ArrayList<>(active);
        order.sort(Comparator.comparingInt((RequestState r) -> -r.request.priority()).thenComparingLong(r -> r.arrival));
        return order;
    }

    private void record(long nanos, int sampled) {
        steps++;
        stepNanos += nanos;
        generatedTokens += sampled;
        double rate = nanos > 0 ? sampled * 1e9 / nanos : 0;
        recentTokensPerSecond = steps == 1 ? rate : 0.9 * recentTokensPerSecond + 0.1 * rate;
    }

    /** The engine's counters; runs on the engine thread. */
    public EngineMetrics metrics(KvStats kv) {
        int queued = incoming.size(), running = 0;
        for (RequestState r : active) {
            if (r.samples.isEmpty()) queued++;
            for (SequenceState s : r.samples) if (s.blocks != null && !s.finished()) running++;
        }
        return new EngineMetrics(queued, running, steps, generatedTokens, steps == 0 ? 0 : stepNanos / 1e6 / steps,
                recentTokensPerSecond, verifySteps == 0 ? 0 : 1.0 + (double) acceptedDrafts / verifySteps, preemptions, kv);
    }

    /** Replaces the acceptance rule (engine thread; tests only). */
    public void useAcceptanceRule(AcceptanceRule rule) {
        this.acceptance = rule;
    }

    /** Installs the drafter that REDRAFTER requests draft with (engine thread). */
    public void useDrafter(BeamDrafter drafter) {
        if (this.drafter != null) this.drafter.close();
        this.drafter = drafter;
    }

    /**
     * Draft tokens each speculating sample may verify this step. Verifying costs little while a step
     * stays memory-bound (the weights are read once whatever the tokens) and then grows with the
     * tokens, so drafts share a budget of tokens per step: a lone sequence gets a large tree, many
     * sequences small ones, and a batch that already fills the budget decodes without drafts.
     */
    private int draftRoom(List<SequenceState> decoding) {
        int speculating = 0;
        for (SequenceState s : decoding) if (s.request.request.speculation().enabled()) speculating++;
        return speculating == 0 ? 0 : Math.max(0, (speculativeStepTokens - decoding.size()) / speculating);
    }

    /**
     * The draft tree a decoding sample verifies this step, within the step's room and the sample's
     * limits; null to decode one token.
     */
    private DraftTree draftFor(SequenceState s, int room) {
        Speculation spec = s.request.request.speculation();
        if (!spec.enabled() || s.sampling.hasPenalties()) return null;
        int depth = Math.min(spec.draftTokens(), Math.min(s.request.maxNew - s.generated() - 1, context - s.length));
        int nodes = Math.min(room, NativeApi.MAX_TREE_TOKENS - 1);
        if (depth <= 0 || nodes <= 0) return null;
        DraftTree tree = switch (spec.kind()) {
            case PROMPT_LOOKUP -> {
                int[] draft = PromptLookup.draft(s.tokens, s.length, Math.min(depth, nodes));
                yield DraftTree.chain(draft, draft.length);
            }
            case REDRAFTER -> s.beams == null || s.beamsAt != s.length ? null
                    : DraftTree.ofBeams(s.beams, spec.beams(), spec.draftTokens(), depth, nodes);
            case PROPOSER -> proposed(s, spec, depth, nodes);
            case OFF -> null;
        };
        return tree == null || tree.size() == 0 ? null : tree;
    }

    /** The caller's proposer's beams as a tree; a proposer that fails or returns bad tokens fails its request. */
    private DraftTree proposed(SequenceState s, Speculation spec, int depth, int nodes) {
        try {
            int[][] beams = spec.proposer().propose(s.tokens, s.length, depth);
            if (beams == null) throw new IllegalArgumentException("the draft proposer returned null");
            int[] flat = new int[beams.length * depth];
            java.util.Arrays.fill(flat, -1);
            for (int b = 0; b < beams.length; b++) {
                int[] beam = beams[b];
                if (beam == null || beam.length > depth) {
                    throw new IllegalArgumentException("the draft proposer returned a beam of "
                            + (beam == null ? "null" : beam.length + " tokens") + " (at most " + depth + " asked)");
                }
                for (int i = 0; i < beam.length; i++) {
                    if (beam[i] < 0 || beam[i] >= vocab) {
                        throw new IllegalArgumentException("the draft proposer returned token " + beam[i]
                                + ", outside the vocabulary [0, " + vocab + ")");
                    }
                    flat[b * depth + i] = beam[i];
                }
            }
            return DraftTree.ofBeams(flat, beams.length, depth, depth, nodes);
        } catch (RuntimeException e) {
            s.request.failure = e;
            return null;
        }
    }

    /** Applies a step's results; returns how many tokens were sampled. */
    private int apply(StepBatch batch, List<SequenceState> inStep, List<Integer> fed, List<DraftTree> drafts) {
        long now = System.nanoTime();
        int sampled = 0;
        proposals.clear();
        for (int i = 0; i < inStep.size(); i++) {
            SequenceState s = inStep.get(i);
            if (s.finished()) continue; // stopped by its group earlier in this loop; its blocks are already free
            if (drafts.get(i) != null) {
                sampled += verify(batch, i, s, drafts.get(i), now);
                continue;
            }
            int end = s.blocks.length() + fed.get(i);
            blocks.commit(s.blocks, s.tokens, end);
            if (end < s.length) continue; // a prompt chunk that is not the last: no token yet
            sampled++;
            RequestState r = s.request;
            r.emit(s.accept(batch.token(i), batch.logprob(i), now));
            proposals.add(s, batch.lastOutputRow(i));
            if (!r.forked) sampled += fork(r, s, batch.lastOutputRow(i), now);
            if (s.finished()) sampleFinished(s, now);
            if (r.allFinished() && active.contains(r)) finishRequest(r, null);
        }
        if (drafter != null) proposals.run(drafter);
        return sampled;
    }

    /**
     * Keeps the drafts the model agrees with: the token sampled after each tree token is exactly what
     * decoding without speculation would sample there, so from the root the walk follows the child
     * holding the sampled token while there is one, and the first sampled token without a matching
     * child is the step's bonus token. The accepted tokens' K/V moves from their tree slots to their
     * positions. Rolling back the rejected drafts: their K/V past the sequence's length in its last
     * block is overwritten later, and blocks that held only rejected drafts are released.
     */
    private int verify(StepBatch batch, int index, SequenceState s, DraftTree tree, long now) {
        int root = s.length - 1; // the root sat at position root, in slot rootSlot; tree token i in slot rootSlot + i
        int rootSlot = s.blocks.slot(root);
        int node = 0, accepted = 0, sampled = 0;
        int[] path = new int[tree.size()];
        while (true) {
            int next = acceptance.accept(tree, node, batch.token(index, node));
            int token = next >= 0 ? tree.token(next) : batch.token(index, node);
            s.request.emit(s.accept(token, batch.logprob(index, node), now));
            sampled++;
            if (next < 0) break;
            path[accepted++] = next;
            node = next;
            if (s.finished()) break;
        }
        // The first beam is nodes 1..k, already at its positions; once the path leaves it, it never returns.
        int off = 0;
        while (off < accepted && path[off] == off + 1) off++;
        if (off < accepted) {
            int[] from = new int[accepted - off], to = new int[accepted - off];
            for (int j = off; j < accepted; j++) {
                from[j - off] = rootSlot + path[j];
                to[j - off] = rootSlot + j + 1;
            }
            kv.moveTokens(s.blocks.table(), s.blocks.blockCount(), from, to, from.length);
        }
        blocks.commit(s.blocks, s.tokens, root + 1 + accepted);
        blocks.trim(s.blocks);
        verifySteps++;
        acceptedDrafts += accepted;
        if (!s.finished()) proposals.add(s, batch.outputRow(index, node));
        if (s.finished()) sampleFinished(s, now);
        if (s.request.allFinished() && active.contains(s.request)) finishRequest(s.request, null);
        return sampled;
    }

    /**
     * Sample 0 has its first token: the other samples draw theirs from the same logits and share its
     * blocks. Returns how many tokens that sampled.
     */
    private int fork(RequestState r, SequenceState first, int row, long now) {
        r.forked = true;
        int position = r.prompt.length;
        for (int i = 1; i < r.request.samples(); i++) {
            SequenceState s = new SequenceState(r, i, Arrays.copyOf(r.prompt, r.prompt.length + Math.min(r.maxNew, 64)),
                    r.prompt.length, blocks.fork(first.blocks));
            // first.blocks may have grown past the prompt only by this step's chunk, which ends at the prompt.
            int token = kv.resample(row, s.sampling, position);
            r.samples.add(s);
            r.emit(s.accept(token, kv.lastLogprob(), now));
            proposals.add(s, row);
            if (s.finished()) sampleFinished(s, now);
        }
        return r.request.samples() - 1;
    }

    /** Frees a finished sample's blocks at once and asks the request's group-stop policy about the rest. */
    private void sampleFinished(SequenceState s, long now) {
        if (s.blocks != null) blocks.free(s.blocks);
        RequestState r = s.request;
        r.finishedInOrder.add(s.completion());
        GroupStop policy = r.request.groupStop();
        if (policy == null || !r.forked || r.finishedInOrder.size() == r.request.samples()) return;
        if (policy.stopRest(java.util.Collections.unmodifiableList(r.finishedInOrder), r.request.samples())) {
            for (SequenceState other : r.samples) {
                if (other.finished()) continue;
                other.stopEarly(FinishReason.GROUP_STOP, now);
                if (other.blocks != null) blocks.free(other.blocks);
            }
        }
    }

    private void dropCancelled() {
        for (RequestState r : new ArrayList<>(active)) {
            if (!r.cancelledSamples.isEmpty() && r.forked) {
                long now = System.nanoTime();
                for (SequenceState s : r.samples) {
                    if (!s.finished() && r.cancelledSamples.contains(s.sample)) {
                        s.stopEarly(FinishReason.CANCELLED, now);
                        sampleFinished(s, now);
                    }
                }
                if (r.allFinished()) {
                    finishRequest(r, null);
                    continue;
                }
            }
            if (r.failure != null) finishRequest(r, r.failure);
            else if (r.cancelRequested) finishRequest(r, new CancellationException("request cancelled"));
            else if (r.request.timeout() != null && System.nanoTime() - r.submitNanos > r.request.timeout().toNanos()) {
                finishRequest(r, new java.util.concurrent.TimeoutException("request timed out after " + r.request.timeout()));
            }
        }
    }

    private void finishRequest(RequestState r, Throwable error) {
        if (!active.remove(r)) return;
        for (SequenceState s : r.samples) if (s.blocks != null) blocks.free(s.blocks);
        if (error == null) r.succeed();
        else r.fail(error);
    }

    /** Fails running and queued requests, stops the engine thread and waits for it. */
    @Override
    public void close() {
        closing = true;
        wake();
        if (Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
