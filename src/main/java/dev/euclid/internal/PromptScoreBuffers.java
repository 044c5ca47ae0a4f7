package dev.euclid.internal;

import dev.euclid.TopLogprob;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;

/** The native buffers of one scoring chunk ({@link NativeStepRunner#scores}): next tokens in, log-probabilities out. */
final class PromptScoreBuffers implements AutoCloseable {
    final IntPointer next;
    final FloatPointer logprobs;
    final IntPointer topTokens;
    final FloatPointer topLogprobs;
    private final int[] topTokensRead;
    private final float[] topLogprobsRead;

    PromptScoreBuffers(int maxChunk) {
        next = new IntPointer(maxChunk);
        logprobs = new FloatPointer(maxChunk);
        topTokens = new IntPointer((long) maxChunk * NativeApi.MAX_TOP_LOGPROBS);
        topLogprobs = new FloatPointer((long) maxChunk * NativeApi.MAX_TOP_LOGPROBS);
        topTokensRead = new int[maxChunk * NativeApi.MAX_TOP_LOGPROBS];
        topLogprobsRead = new float[maxChunk * NativeApi.MAX_TOP_LOGPROBS];
    }

    /** The n scored rows of the latest chunk to out[at, at + n) and, a list per row, to top. */
    void read(int n, int topN, float[] out, int at, List<List<TopLogprob>> top) {
        logprobs.position(0).get(out, at, n).position(0);
        topTokens.position(0).get(topTokensRead, 0, n * topN).position(0);
        topLogprobs.position(0).get(topLogprobsRead, 0, n * topN).position(0);
        for (int i = 0; i < n; i++) top.add(TopLogprobRows.read(topTokensRead, topLogprobsRead, i * topN, topN));
    }

    @Override
    public void close() {
        next.close();
        logprobs.close();
        topTokens.close();
        topLogprobs.close();
    }
}
