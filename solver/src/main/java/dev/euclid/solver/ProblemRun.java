package dev.euclid.solver;

import dev.euclid.solver.answer.AnswerExtractor;
import dev.euclid.solver.answer.AnswerNormalizer;
import dev.euclid.solver.answer.VoteTable;
import dev.euclid.solver.model.Decoding;
import dev.euclid.solver.model.ModelBackend;
import dev.euclid.solver.model.PendingTurn;
import dev.euclid.solver.model.SampleGroup;
import dev.euclid.solver.model.Turn;
import dev.euclid.solver.model.TurnListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One problem being solved: a state machine per sample (generate -> run code -> generate ...),
 * driven by events that all run on the solver's one loop thread, so no state here needs a lock.
 * The model and the code executor work on their own threads; a sample waiting for its code
 * holds no model capacity, so the others keep decoding.
 */
final class ProblemRun {
    /** Turns ending at a stop string without a call (e.g. a closed ```text block) a sample may take beyond its depth. */
    private static final int SPARE_TURNS = 4;

    private final Problem problem;
    private final SolverConfig config;
    private final ModelBackend model;
    private final CodeExecutor executor;
    private final AnswerExtractor extractor;
    private final AnswerNormalizer normalizer;
    private final ScheduledExecutorService loop;
    private final Decoding decoding;
    private final long seed;
    private final Sample[] samples;
    private final VoteTable votes = new VoteTable();
    private final CompletableFuture<Solution> result = new CompletableFuture<>();
    private final IdleClock idle = new IdleClock();
    private final long startNanos = System.nanoTime();
    private SampleGroup group;
    private ScheduledFuture<?> deadline;
    private Solution.Ended ended;
    private int finished;

    private final class Sample {
        final int index;
        final List<Step> steps = new ArrayList<>();
        Turn last;
        PendingTurn pending; // the turn being generated, if a continuation
        String awaitedCode; // the code whose result the sample waits for, or null
        boolean done, lastRunFailed;
        int turns, codeRuns, tokens;
        SampleTranscript transcript;

        Sample(int index) {
            this.index = index;
        }
    }

    ProblemRun(Problem problem, SolverConfig config, ModelBackend model, CodeExecutor executor, AnswerExtractor extractor,
            ScheduledExecutorService loop) {
        this.problem = problem;
        this.config = config;
        this.model = model;
        this.executor = executor;
        this.extractor = extractor;
        this.normalizer = new AnswerNormalizer(config.answers());
        this.loop = loop;
        this.decoding = new Decoding(config.maxTokensPerTurn(), config.temperature(), config.topP(),
                config.tools() == null ? List.of() : config.tools().stops());
        this.seed = Seeds.problem(config.seed(), problem.id());
        this.samples = new Sample[config.samples()];
        for (int i = 0; i < samples.length; i++) samples[i] = new Sample(i);
    }

    /** Starts the samples (on the loop) and returns the solution to come; a null budget means none. */
    CompletableFuture<Solution> start(Duration budget) {
        loop.execute(guarded(() -> {
            for (int i = 0; i < samples.length; i++) idle.turnStarted();
            group = model.start(config.prompt().render(problem.text()), samples.length, decoding, seed, new TurnListener() {
                @Override
                public void ended(int sample, Turn turn) {
                    post(() -> turnEnded(samples[sample], turn));
                }

                @Override
                public void failed(Throwable error) {
                    // Fail on the loop, where the other samples are stopped first.
                    post(() -> {
                        throw new java.util.concurrent.CompletionException(error);
                    });
                }
            });
            if (budget != null) {
                try {
                    deadline = loop.schedule(guarded(() -> stopRest(Solution.Ended.TIME_BUDGET)), budget.toNanos(),
                            TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    // the solver is closing: abort(), queued behind this task, ends the problem
                }
            }
        }));
        return result;
    }

    /**
     * Runs {@code task} on the loop. Called from the model's threads (the engine's too), so it never
     * throws: once the solver is closed the problem has already failed and the event is dropped.
     */
    private void post(Runnable task) {
        try {
            loop.execute(guarded(task));
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the solver closed: abort() already failed this problem
        }
    }

    /** A loop task that fails the problem rather than dying silently. */
    private Runnable guarded(Runnable task) {
        return () -> {
            if (result.isDone()) return;
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                stopEverything();
                result.completeExceptionally(e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e);
            }
        };
    }

    private void turnEnded(Sample s, Turn turn) {
        idle.turnEnded();
        s.pending = null;
        s.last = turn;
        s.turns++;
        s.tokens += turn.tokens();
        Optional<String> code = turn.end() == Turn.End.STOP_STRING && config.tools() != null
                ? config.tools().call(turn.text()) : Optional.empty();
        if (ended != null || turn.end() == Turn.End.STOPPED) {
            s.steps.add(new Step(turn.text(), turn.tokens(), code.orElse(null), null, null));
            finish(s, SampleTranscript.Finish.STOPPED);
        } else if (code.isPresent() && s.codeRuns < config.depth()) {
            String source = code.get();
            s.awaitedCode = source;
            executor.execute(source, config.limits())
                    .whenCompleteAsync((r, e) -> guarded(() -> codeRan(s, turn, source, r, e)).run(), loop);
        } else if (code.isPresent()) {
            s.steps.add(new Step(turn.text(), turn.tokens(), code.get(), null, null));
            finish(s, SampleTranscript.Finish.DEPTH_LIMIT);
        } else if (turn.end() == Turn.End.STOP_STRING && s.turns <= config.depth() + SPARE_TURNS) {
            s.steps.add(new Step(turn.text(), turn.tokens(), null, null, null));
            resume(s, turn, ""); // a stop string that closed something else: the model goes on
        } else {
            s.steps.add(new Step(turn.text(), turn.tokens(), null, null, null));
            finish(s, turn.end() == Turn.End.LENGTH ? SampleTranscript.Finish.LENGTH : SampleTranscript.Finish.END_OF_TEXT);
        }
    }

    private void codeRan(Sample s, Turn turn, String code, ExecutionResult r, Throwable error) {
        s.awaitedCode = null;
        if (s.done) return; // stopped while its code ran
        if (error != null) {
            throw new IllegalStateException("the code executor failed (not the code): " + error.getMessage(), error);
        }
        s.codeRuns++;
        s.lastRunFailed = r.status() != ExecutionResult.Status.OK;
        String appended = config.tools().output(r, turn.stop());
        s.steps.add(new Step(turn.text(), turn.tokens(), code, r, appended));
        if (ended != null) {
            finish(s, SampleTranscript.Finish.STOPPED);
            return;
        }
        resume(s, turn, appended);
    }

    private void resume(Sample s, Turn turn, String appended) {
        idle.turnStarted();
        PendingTurn next = model.resume(turn, appended, decoding, Seeds.turn(seed, s.index, s.turns));
        s.pending = next;
        next.turn().whenCompleteAsync((t, e) -> guarded(() -> {
            if (e != null) throw new IllegalStateException("the model failed: " + e.getMessage(), e);
            turnEnded(s, t);
        }).run(), loop);
        if (ended != null) next.stop();
    }

    private void finish(Sample s, SampleTranscript.Finish how) {
        s.done = true;
        finished++;
        String text = modelText(s);
        String extracted = extractor.extract(text).orElse(null);
        String answer = extracted == null ? null : normalizer.normalize(extracted).orElse(null);
        SampleTranscript.Finish finish = how;
        if (config.pruneFailedCode() && s.lastRunFailed && how != SampleTranscript.Finish.STOPPED) {
            finish = SampleTranscript.Finish.CODE_FAILED;
        }
        boolean votes = answer != null && finish != SampleTranscript.Finish.STOPPED
                && finish != SampleTranscript.Finish.CODE_FAILED;
        s.transcript = new SampleTranscript(s.index, s.steps, finish, extracted, answer, votes, s.tokens);
        if (votes) this.votes.add(answer, config.weight().weigh(s.transcript));
        if (ended == null && finish != SampleTranscript.Finish.STOPPED) {
            int running = samples.length - finished;
            if (finished >= config.finishAfter() && running > 0) {
                stopRest(Solution.Ended.ENOUGH_FINISHED);
            } else if (config.earlyStop() && running > 0 && this.votes.ballots() > 0
                    && this.votes.decided(running, config.weight().max())) {
                stopRest(Solution.Ended.DECIDED);
            }
        }
        if (finished == samples.length) complete();
    }

    /** The model's own words across all turns (tool outputs left out: an answer is what the model states). */
    private static String modelText(Sample s) {
        StringBuilder b = new StringBuilder();
        for (Step step : s.steps) b.append(step.text());
        return b.toString();
    }

    /** Stops every sample still working; they report as stopped and the problem completes when all have. */
    private void stopRest(Solution.Ended why) {
        if (ended != null) return;
        ended = why;
        stopEverything();
        for (Sample s : samples) {
            if (!s.done && s.awaitedCode != null) {
                // Its code's result is no longer wanted: the sample ends now, the run is left to the executor's limits.
                s.steps.add(new Step(s.last.text(), s.last.tokens(), s.awaitedCode, null, null));
                finish(s, SampleTranscript.Finish.STOPPED);
            }
        }
    }

    /** Called on the loop when the solver closes: stops every sample and fails the problem. */
    void abort() {
        guarded(() -> {
            throw new IllegalStateException("the solver was closed before problem " + problem.id() + " was solved");
        }).run();
    }

    private void stopEverything() {
        if (group != null) group.stopAll();
        for (Sample s : samples) if (s.pending != null) s.pending.stop();
    }

    private void complete() {
        if (deadline != null) deadline.cancel(false);
        List<SampleTranscript> transcripts = new ArrayList<>();
        long tokens = 0;
        for (Sample s : samples) {
            transcripts.add(s.transcript);
            tokens += s.tokens;
        }
        Solution.Ended why = ended != null ? ended : Solution.Ended.ALL_FINISHED;
        result.complete(new Solution(problem.id(), votes.winner().orElse(null), votes.ranking(), transcripts, why,
                Duration.ofNanos(System.nanoTime() - startNanos), tokens, idle.idleFraction()));
    }
}
