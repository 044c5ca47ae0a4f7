package dev.euclid.solver;

import dev.euclid.solver.model.Decoding;
import dev.euclid.solver.model.ModelBackend;
import dev.euclid.solver.model.PendingTurn;
import dev.euclid.solver.model.SampleGroup;
import dev.euclid.solver.model.Turn;
import dev.euclid.solver.model.TurnListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Scripted models for tests outside this package. */
public final class TestModels {
    private TestModels() {}

    /**
     * Answers "Add X and 1." problems the TIR way: a ```python block printing X + 1, then a boxed
     * answer. One sample in five (chosen by its seed, so reruns agree) boxes X + 2. Turns take a few
     * milliseconds, on a timer thread.
     */
    public static final class Arithmetic implements ModelBackend {
        private static final Pattern ADD = Pattern.compile("Add (\\d+) and 1");
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private final ScriptedExecutor python = new ScriptedExecutor(2);

        private record Context(long sum, long seed) {}

        /** The executor its code is written for. */
        public CodeExecutor python() {
            return python;
        }

        @Override
        public SampleGroup start(String prompt, int samples, Decoding decoding, long seed, TurnListener listener) {
            Matcher m = ADD.matcher(prompt);
            if (!m.find()) throw new IllegalArgumentException("not an addition: " + prompt);
            long sum = Long.parseLong(m.group(1)) + 1;
            List<PendingTurn> turns = new ArrayList<>();
            for (int i = 0; i < samples; i++) {
                Context c = new Context(sum, seed + i);
                String text = "We compute.\n```python\nprint(" + sum + ")\n```\n";
                turns.add(PendingTurn.of(later(new Turn(text, "```\n", Turn.End.STOP_STRING, 12, 20, c)), () -> {}));
            }
            return SampleGroup.of(turns, listener);
        }

        @Override
        public PendingTurn resume(Turn previous, String appended, Decoding decoding, long seed) {
            Context c = (Context) previous.continuation();
            long answer = Math.floorMod(c.seed(), 5) == 0 ? c.sum() + 1 : c.sum();
            return PendingTurn.of(later(new Turn("So the answer is $\\boxed{" + answer + "}$.", null,
                    Turn.End.END_OF_TEXT, 9, 40, c)), () -> {});
        }

        private CompletableFuture<Turn> later(Turn turn) {
            CompletableFuture<Turn> f = new CompletableFuture<>();
            timer.schedule(() -> f.complete(turn), 2, TimeUnit.MILLISECONDS);
            return f;
        }

        @Override
        public void close() {
            timer.shutdownNow();
            python.close();
        }
    }
}
