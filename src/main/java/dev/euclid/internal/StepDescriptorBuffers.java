package dev.euclid.internal;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * The native side of a step: one {@code StepDescriptor} (euclid.h) and the native buffers its
 * pointers name, allocated once and reused by every step, so that a step crosses JNI as one call
 * with one struct and allocates nothing. The block tables, the penalty history and the KV
 * operations grow (doubling) when a step needs more than any step before. Not thread-safe.
 */
final class StepDescriptorBuffers implements AutoCloseable {
    private final NativeApi.StepDescriptor d = new NativeApi.StepDescriptor();
    private final IntPointer nTokens, starts, sampleModes, tableOffsets, tableLengths, holes, topKs, historyOffsets,
            historyLengths, tokens, parents, outTokens, topLogprobs, outTopTokens;
    private final FloatPointer temperatures, topPs, minPs, penalties, outLogprobs, outTopLogprobs;
    private final LongPointer seeds, draws;
    private IntPointer tables = new IntPointer(64), history = new IntPointer(64), kvOps = new IntPointer(64);

    /** Buffers for steps of at most {@code maxTokens} fed tokens (so at most as many sequences and sampled rows). */
    StepDescriptorBuffers(int maxTokens) {
        nTokens = new IntPointer(maxTokens);
        starts = new IntPointer(maxTokens);
        sampleModes = new IntPointer(maxTokens);
        tableOffsets = new IntPointer(maxTokens);
        tableLengths = new IntPointer(maxTokens);
        holes = new IntPointer(2L * maxTokens);
        topKs = new IntPointer(maxTokens);
        historyOffsets = new IntPointer(maxTokens);
        historyLengths = new IntPointer(maxTokens);
        tokens = new IntPointer(maxTokens);
        parents = new IntPointer(maxTokens);
        outTokens = new IntPointer(maxTokens);
        temperatures = new FloatPointer(maxTokens);
        topPs = new FloatPointer(maxTokens);
        minPs = new FloatPointer(maxTokens);
        penalties = new FloatPointer(3L * maxTokens);
        outLogprobs = new FloatPointer(maxTokens);
        topLogprobs = new IntPointer(maxTokens);
        outTopTokens = new IntPointer((long) maxTokens * NativeApi.MAX_TOP_LOGPROBS);
        outTopLogprobs = new FloatPointer((long) maxTokens * NativeApi.MAX_TOP_LOGPROBS);
        seeds = new LongPointer(maxTokens);
        draws = new LongPointer(maxTokens);
        d.n_tokens(nTokens).starts(starts).sample_modes(sampleModes).table_offsets(tableOffsets)
                .table_lengths(tableLengths).holes(holes).temperatures(temperatures).top_ks(topKs).top_ps(topPs)
                .min_ps(minPs).penalties(penalties).seeds(seeds).draws(draws).history_offsets(historyOffsets)
                .history_lengths(historyLengths).tokens(tokens).parents(parents).tables(tables).history(history)
                .kv_ops(kvOps).output_capacity(maxTokens).out_tokens(outTokens).out_logprobs(outLogprobs)
                .top_logprobs(topLogprobs).out_top_tokens(outTopTokens).out_top_logprobs(outTopLogprobs);
    }

    /** The descriptor of a step over {@code b} that first applies {@code ops}. */
    NativeApi.StepDescriptor load(StepBatch b, KvBlockOps ops) {
        loadOps(ops);
        int n = b.sequences;
        // Absolute puts from position 0: JavaCPP passes address + position, and the struct holds the address.
        nTokens.position(0).put(b.nTokens, 0, n).position(0);
        starts.position(0).put(b.starts, 0, n).position(0);
        sampleModes.position(0).put(b.sampleModes, 0, n).position(0);
        tableOffsets.position(0).put(b.tableOffsets, 0, n).position(0);
        tableLengths.position(0).put(b.tableLengths, 0, n).position(0);
        holes.position(0).put(b.holes, 0, 2 * n).position(0);
        temperatures.position(0).put(b.temperatures, 0, n).position(0);
        topKs.position(0).put(b.topKs, 0, n).position(0);
        topPs.position(0).put(b.topPs, 0, n).position(0);
        minPs.position(0).put(b.minPs, 0, n).position(0);
        penalties.position(0).put(b.penalties, 0, 3 * n).position(0);
        seeds.position(0).put(b.seeds, 0, n).position(0);
        draws.position(0).put(b.draws, 0, n).position(0);
        topLogprobs.position(0).put(b.topLogprobs, 0, n).position(0);
        historyOffsets.position(0).put(b.historyOffsets, 0, n).position(0);
        historyLengths.position(0).put(b.historyLengths, 0, n).position(0);
        tokens.position(0).put(b.tokens, 0, b.tokenCount).position(0);
        parents.position(0).put(b.parents, 0, b.tokenCount).position(0);
        IntPointer t = atLeast(tables, b.tableCount);
        if (t != tables) d.tables(tables = t);
        tables.position(0).put(b.tables, 0, b.tableCount).position(0);
        IntPointer h = atLeast(history, b.historyCount);
        if (h != history) d.history(history = h);
        history.position(0).put(b.history, 0, b.historyCount).position(0);
        return d.n_seqs(n).n_fed(b.tokenCount).n_table_entries(b.tableCount).n_history_entries(b.historyCount);
    }

    /** The descriptor of a step that only applies {@code ops}. */
    NativeApi.StepDescriptor loadOpsOnly(KvBlockOps ops) {
        loadOps(ops);
        return d.n_seqs(0);
    }

    /** Copies the sampled tokens and log-probabilities of the latest step into {@code b}. */
    void readOutputs(StepBatch b) {
        outTokens.position(0).get(b.outTokens, 0, b.outputCount);
        outLogprobs.position(0).get(b.outLogprobs, 0, b.outputCount);
        if (b.anyTopLogprobs) {
            int n = b.outputCount * NativeApi.MAX_TOP_LOGPROBS;
            outTopTokens.position(0).get(b.outTopTokens, 0, n);
            outTopLogprobs.position(0).get(b.outTopLogprobs, 0, n);
        }
    }

    private void loadOps(KvBlockOps ops) {
        int ints = ops.count() * NativeApi.KV_OP_INTS;
        IntPointer k = atLeast(kvOps, ints);
        if (k != kvOps) d.kv_ops(kvOps = k);
        kvOps.position(0).put(ops.ints(), 0, ints).position(0);
        d.n_kv_ops(ops.count());
    }

    /** {@code p}, or a replacement twice as large when it holds fewer than {@code needed} ints. */
    private static IntPointer atLeast(IntPointer p, long needed) {
        if (p.capacity() >= needed) return p;
        long size = Math.max(needed, p.capacity() * 2);
        p.close();
        return new IntPointer(size);
    }

    @Override
    public void close() {
        for (Pointer p : new Pointer[] {d, nTokens, starts, sampleModes, tableOffsets, tableLengths, holes, topKs,
                historyOffsets, historyLengths, tokens, parents, outTokens, temperatures, topPs, minPs, penalties,
                outLogprobs, topLogprobs, outTopTokens, outTopLogprobs, seeds, draws, tables, history, kvOps}) {
            p.close();
        }
    }
}
