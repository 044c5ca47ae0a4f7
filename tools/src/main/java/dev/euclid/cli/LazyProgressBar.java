package dev.euclid.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr (stdout keeps only the result) drawn from the first progress report on,
 * so that a command failing before any progress, e.g. on a bad model file, prints only its error.
 */
final class LazyProgressBar implements AutoCloseable {
    private final String task;
    private final long initialMax;
    private ProgressBar bar;

    /** @param initialMax the steps expected, or -1 if unknown until reported */
    LazyProgressBar(String task, long initialMax) {
        this.task = task;
        this.initialMax = initialMax;
    }

    void stepTo(long done) {
        bar().stepTo(done);
    }

    /** A phase's progress: {@code done} of {@code total} steps. */
    void update(String phase, long done, long total) {
        ProgressBar b = bar();
        b.setExtraMessage(phase);
        b.maxHint(total);
        b.stepTo(done);
    }

    private ProgressBar bar() {
        if (bar == null) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(initialMax).setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
        }
        return bar;
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
