package dev.euclid.solver;

import dev.euclid.solver.model.Decoding;
import dev.euclid.solver.model.ModelBackend;
import dev.euclid.solver.model.PendingTurn;
import dev.euclid.solver.model.SampleGroup;
import dev.euclid.solver.model.Turn;
import dev.euclid.solver.model.TurnListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A model that writes fixed text: {@code script.turn(sample, turn)} says what sample {@code sample}
 * writes in its turn {@code turn} (0 = first) and how long that takes. Turns end asynchronously on
 * a timer thread, as a real model's do; stopped turns end at once as STOPPED. Records every call.
 */
final class ScriptedModel implements ModelBackend {
    /** What one turn writes: text, how it ends, the stop string that ended it, how long it takes. */
    record Line(String text, Turn.End end, String stop, long millis) {
        static Line code(String before, String code, long millis) {
            return new Line(before + "```python\n" + code + "\n```\n", Turn.End.STOP_STRING, "```\n", millis);
        }

        static Line answer(String text, long millis) {
            return new Line(text, Turn.End.END_OF_TEXT, null, millis);
        }
    }

    @FunctionalInterface
    interface Script {
        Line turn(int sample, int turn);
    }

    /** One call the solver made: which sample and turn, the seed, and the text appended before it. */
    record Call(int sample, int turn, long seed, String appended) {}

    private record Context(int sample, int turn) {}

    private final Script script;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    final List<String> prompts = Collections.synchronizedList(new ArrayList<>());
    volatile int stopped;

    ScriptedModel(Script script) {
        this.script = script;
    }

    @Override
    public SampleGroup start(String prompt, int samples, Decoding decoding, long seed, TurnListener listener) {
        prompts.add(prompt);
        List<PendingTurn> turns = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            calls.add(new Call(i, 0, seed + i, null));
            turns.add(schedule(i, 0));
        }
        return SampleGroup.of(turns, listener);
    }

    @Override
    public PendingTurn resume(Turn previous, String appended, Decoding decoding, long seed) {
        Context c = (Context) previous.continuation();
        calls.add(new Call(c.sample, c.turn + 1, seed, appended));
        return schedule(c.sample, c.turn + 1);
    }

    private PendingTurn schedule(int sample, int turn) {
        Line line = script.turn(sample, turn);
        CompletableFuture<Turn> done = new CompletableFuture<>();
        Turn result = new Turn(line.text(), line.stop(), line.end(), line.text().length(), 0, new Context(sample, turn));
        ScheduledFuture<?> timed = timer.schedule(() -> done.complete(result), line.millis(), TimeUnit.MILLISECONDS);
        return PendingTurn.of(done, () -> {
            if (timed.cancel(false) && done.complete(new Turn("", null, Turn.End.STOPPED, 0, 0, new Context(sample, turn)))) {
                stopped++;
            }
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
