package dev.euclid.internal.spec;

import dev.euclid.DrafterStats;
import dev.euclid.DrafterTraining;
import dev.euclid.ModelFormatException;
import dev.euclid.Tokenizer;
import dev.euclid.internal.ModelLoader;
import dev.euclid.internal.NativeModel;
import dev.euclid.internal.spec.BaseModelRunner.Sequence;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Trains a recurrent drafter by self-distillation (as ReDrafter does): the base model writes the
 * training sequences, and at every position t the drafter learns, from the hidden state h_t and the
 * following tokens, the base model's greedy tokens after t + 1 .. t + K. Held-out sequences from
 * unseen prompts then measure per-position top-1 accuracy and the mean tokens one greedy
 * verification step would keep.
 *
 * <p>Deterministic for a seed: every mini-batch is split into {@link #SHARDS} fixed shards whose
 * gradients are summed in shard order, whatever the number of threads that computes them.
 */
public final class DrafterTrainer {
    /** Gradient shards per mini-batch (each holds one full gradient: memory is SHARDS x weights). */
    static final int SHARDS = 8;
    /** Tokens sampled after BOS (temperature 1) to make a generated prompt. */
    static final int GENERATED_PROMPT_TOKENS = 4;
    /** Global gradient-norm clip: keeps the first steps from a fresh head stable. */
    static final double CLIP = 5.0;
    private static final int PREFILL_CHUNK = 128;

    private final DrafterTraining o;
    private final DrafterTraining.Progress progress;

    private DrafterTrainer(DrafterTraining options, DrafterTraining.Progress progress) {
        this.o = options;
        this.progress = progress == null ? (phase, done, total) -> {} : progress;
    }

    /** Trains on the model at {@code model}, writes the drafter to {@code out} and returns its stats. */
    public static DrafterStats train(Path model, Path out, DrafterTraining options, DrafterTraining.Progress progress) {
        ModelLoader.Loaded loaded = ModelLoader.open(model, options.engine().withThreads(options.threads()));
        try (NativeModel base = loaded.model()) {
            Tokenizer tokenizer = loaded.spec().tokenizer();
            if (tokenizer.vocabSize() > base.info().vocabSize()) {
                throw new ModelFormatException(model + ": tokenizer has " + tokenizer.vocabSize() + " tokens but the model only "
                        + base.info().vocabSize());
            }
            DrafterFile file = new DrafterTrainer(options, progress).run(base, tokenizer);
            file.write(out);
            return file.stats();
        }
    }

    private DrafterFile run(NativeModel base, Tokenizer tokenizer) {
        long start = System.nanoTime();
        int threads = o.threads() > 0 ? o.threads() : Runtime.getRuntime().availableProcessors();
        List<Sequence> training = new ArrayList<>(), heldOut = new ArrayList<>();
        try (BaseModelRunner runner = new BaseModelRunner(base, PREFILL_CHUNK)) {
            if (o.tokensPerSequence() > runner.context()) {
                throw new IllegalArgumentException("tokensPerSequence " + o.tokensPerSequence() + " exceeds the model context of "
                        + runner.context());
            }
            generate(runner, tokenizer, training, heldOut);
        }
        float[] embedding = base.tensorF32("tok_embeddings");
        float[] head = base.info().tiedEmbeddings() ? embedding : base.tensorF32("output");
        DrafterShape shape = new DrafterShape(base.info().dim(), base.info().vocabSize(), o.mlpLayers());
        DrafterNet net = new DrafterNet(shape, embedding);
        float[] params = initialWeights(shape, head, new SplittableRandom(o.seed() ^ 0x5DEECE66DL));
        long examples = 0;
        for (Sequence s : training) examples += positions(s, o.draftTokens());
        double loss = optimise(net, params, training, threads);
        double seconds = (System.nanoTime() - start) / 1e9;
        HeldOutEvaluation eval = new HeldOutEvaluation(net, params, o.draftTokens(), o.beams());
        double[] top1 = eval.top1Accuracy(heldOut);
        double accepted;
        try (NativeDrafter drafter = NativeDrafter.create(base, shape, params)) {
            accepted = eval.meanAcceptedTokens(drafter, heldOut, (done, total) -> progress.update("evaluate", done, total));
        }
        DrafterStats stats = new DrafterStats(o.draftTokens(), o.beams(), training.size(), heldOut.size(), examples,
                o.epochs(), seconds, loss, top1, accepted);
        return new DrafterFile(shape, BaseFingerprint.of(base.info(), embedding, head), stats, params);
    }

    /** Training sequences (sampled continuations) and held-out ones (greedy, from prompts not trained on). */
    private void generate(BaseModelRunner runner, Tokenizer tokenizer, List<Sequence> training, List<Sequence> heldOut) {
        SplittableRandom random = new SplittableRandom(o.seed());
        List<int[]> trainPrompts = new ArrayList<>(), heldOutPrompts = new ArrayList<>();
        if (!o.prompts().isEmpty()) {
            int split = o.prompts().size() - o.heldOutSequences();
            for (int i = 0; i < o.prompts().size(); i++) {
                int[] ids = tokenizer.encode(o.prompts().get(i));
                if (ids.length == 0) throw new IllegalArgumentException("prompt " + (i + 1) + " encodes to no tokens");
                if (ids.length >= o.tokensPerSequence()) ids = Arrays.copyOf(ids, o.tokensPerSequence() / 2);
                (i < split ? trainPrompts : heldOutPrompts).add(ids);
            }
        } else {
            Set<List<Integer>> seen = new HashSet<>();
            int first = tokenizer.bosId() >= 0 ? tokenizer.bosId() : 0;
            while (trainPrompts.size() < o.sequences()) {
                int[] p = runner.run(new int[] {first}, 1 + GENERATED_PROMPT_TOKENS, 1.0, random).tokens();
                trainPrompts.add(p);
                seen.add(asList(p));
            }
            // Held-out prompts come from the same process but never equal a training prompt.
            for (int tries = 0; heldOutPrompts.size() < o.heldOutSequences(); tries++) {
                if (tries > 100 * o.heldOutSequences()) throw new IllegalStateException("cannot sample distinct held-out prompts");
                int[] p = runner.run(new int[] {first}, 1 + GENERATED_PROMPT_TOKENS, 1.0, random).tokens();
                if (seen.add(asList(p))) heldOutPrompts.add(p);
            }
        }
        long total = (long) o.sequences() + heldOutPrompts.size();
        for (int i = 0; i < o.sequences(); i++) {
            training.add(runner.run(trainPrompts.get(i % trainPrompts.size()), o.tokensPerSequence(), o.temperature(), random));
            progress.update("generate", i + 1, total);
        }
        for (int i = 0; i < heldOutPrompts.size(); i++) {
            heldOut.add(runner.run(heldOutPrompts.get(i), o.tokensPerSequence(), 0, random));
            progress.update("generate", o.sequences() + i + 1, total);
        }
    }

    private static List<Integer> asList(int[] a) {
        List<Integer> l = new ArrayList<>(a.length);
        for (int v : a) l.add(v);
        return l;
    }

    /**
     * Initial weights: the head is the base model's LM head and the MLP starts as m = h (A = [I, 0],
     * identity residual blocks), so the untrained drafter already speaks the base model's output
     * space; W, U and the s half of A start small and random.
     */
    static float[] initialWeights(DrafterShape shape, float[] head, SplittableRandom random) {
        int d = shape.dim();
        float[] p = new float[shape.weightCount()];
        double std = 1 / Math.sqrt(d);
        for (int i = 0; i < d * d; i++) {
            p[shape.w() + i] = (float) (random.nextGaussian() * std);
            p[shape.u() + i] = (float) (random.nextGaussian() * std);
        }
        for (int o = 0; o < d; o++) {
            p[shape.a() + o * 2 * d + o] = 1f;
            for (int i = 0; i < d; i++) p[shape.a() + o * 2 * d + d + i] = (float) (random.nextGaussian() * std * 0.1);
        }
        System.arraycopy(head, 0, p, shape.head(), shape.vocab() * d);
        return p;
    }

    /** Mini-batch Adam over every training position; returns the last epoch's mean loss per draft token. */
    private double optimise(DrafterNet net, float[] params, List<Sequence> training, int threads) {
        int k = o.draftTokens();
        int count = 0;
        for (Sequence s : training) count += positions(s, k);
        long[] examples = new long[count];
        int n = 0;
        for (int i = 0; i < training.size(); i++) {
            for (int t = 0; t + k <= training.get(i).length() - 1; t++) examples[n++] = ((long) i << 32) | t;
        }
        if (count == 0) throw new IllegalArgumentException("the training sequences hold no position with " + k + " tokens after it");
        int size = params.length;
        float[][] grads = new float[SHARDS][size];
        DrafterNet.Trace[] traces = new DrafterNet.Trace[SHARDS];
        for (int s = 0; s < SHARDS; s++) traces[s] = net.trace(k);
        double[] shardLoss = new double[SHARDS];
        float[] grad = new float[size];
        Adam adam = new Adam(size);
        SplittableRandom random = new SplittableRandom(o.seed() * 31 + 7);
        int batches = (count + o.batchSize() - 1) / o.batchSize();
        long totalSteps = (long) batches * o.epochs();
        double epochLoss = 0;
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, SHARDS), r -> {
            Thread t = new Thread(r, "euclid-drafter-training");
            t.setDaemon(true);
            return t;
        });
        try {
            long step = 0;
            for (int epoch = 0; epoch < o.epochs(); epoch++) {
                shuffle(examples, random);
                epochLoss = 0;
                for (int b = 0; b < batches; b++) {
                    int from = b * o.batchSize(), to = Math.min(count, from + o.batchSize());
                    float scale = 1f / ((to - from) * k);
                    List<Callable<Void>> work = new ArrayList<>(SHARDS);
                    for (int s = 0; s < SHARDS; s++) {
                        final int shard = s;
                        work.add(() -> {
                            float[] g = grads[shard];
                            Arrays.fill(g, 0f);
                            double l = 0;
                            for (int e = from + shard; e < to; e += SHARDS) {
                                Sequence seq = training.get((int) (examples[e] >>> 32));
                                int t = (int) examples[e];
                                l += net.train(params, seq.hidden(), t * net.shape().dim(), seq.tokens(), t + 1, seq.greedy(), k,
                                        scale, g, null, traces[shard]);
                            }
                            shardLoss[shard] = l;
                            return null;
                        });
                    }
                    for (Future<Void> f : pool.invokeAll(work)) f.get();
                    System.arraycopy(grads[0], 0, grad, 0, size);
                    for (int s = 1; s < SHARDS; s++) {
                        float[] g = grads[s];
                        for (int i = 0; i < size; i++) grad[i] += g[i];
                    }
                    for (int s = 0; s < SHARDS; s++) epochLoss += shardLoss[s];
                    clip(grad);
                    double lr = o.learningRate() * (1 - 0.9 * step / (double) totalSteps);
                    adam.step(params, grad, lr);
                    step++;
                    progress.update("train", step, totalSteps);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("drafter training was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return epochLoss / ((double) count * k);
    }

    /** Positions t of a sequence with k tokens after t + 1 (inputs x_{t+1} .. x_{t+k}, labels after each). */
    private static int positions(Sequence s, int k) {
        return Math.max(0, s.length() - k);
    }

    private static void shuffle(long[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static void clip(float[] grad) {
        double sum = 0;
        for (float g : grad) sum += (double) g * g;
        double norm = Math.sqrt(sum);
        if (norm <= CLIP) return;
        float f = (float) (CLIP / norm);
        for (int i = 0; i < grad.length; i++) grad[i] *= f;
    }
}
