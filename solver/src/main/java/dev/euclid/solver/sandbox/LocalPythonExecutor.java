package dev.euclid.solver.sandbox;

import dev.euclid.solver.CodeExecutor;
import dev.euclid.solver.ExecutionLimits;
import dev.euclid.solver.ExecutionResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link CodeExecutor}: a long-lived Python fork server (numpy and sympy imported
 * once, one fork per run) inside the strongest {@link Isolation} the machine has. It fails closed:
 * {@link Builder#build()} throws when no isolation is available unless the caller said
 * {@link Builder#allowUnisolated()}.
 *
 * <p>At most {@code maxConcurrent} runs are in the server at once; the rest wait in order. A
 * server that dies (or stops answering past a run's wall limit plus {@link #GRACE_SECONDS}) is
 * killed with everything in it and a new one is started for the next run.
 */
public final class LocalPythonExecutor implements CodeExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(LocalPythonExecutor.class);
    /** How long past its wall limit a run may stay unanswered before the server counts as hung. */
    static final double GRACE_SECONDS = 10;
    private static final String SCRIPT = loadScript();

    private final List<String> command;
    private final Isolation isolation;
    private final SandboxCaps caps;
    private final int maxConcurrent;
    private final ExecutorService dispatcher;
    private final ScheduledExecutorService overdue;
    private final AtomicLong ids = new AtomicLong();
    // Guarded by this.
    private final Queue<Pending> queued = new ArrayDeque<>();
    private final Map<Long, Pending> inFlight = new HashMap<>();
    private final Set<Long> hung = new HashSet<>();
    private ForkServer server;
    private int restarts;
    private boolean closed;

    private record Pending(long id, String code, RunLimits limits, CompletableFuture<ExecutionResult> result) {}

    private LocalPythonExecutor(List<String> command, Isolation isolation, SandboxCaps caps, int maxConcurrent) {
        this.command = command;
        this.isolation = isolation;
        this.caps = caps;
        this.maxConcurrent = maxConcurrent;
        this.dispatcher = Executors.newSingleThreadExecutor(daemon("euclid-sandbox-dispatch"));
        this.overdue = Executors.newSingleThreadScheduledExecutor(daemon("euclid-sandbox-overdue"));
        // Started here, not on the first run, so that a sandbox that cannot start fails the build.
        this.server = ForkServer.start(command, this::onResult);
        checkReady(server);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The isolation the server runs under. */
    public Isolation isolation() {
        return isolation;
    }

    /** How many times a dead or hung server has been replaced. */
    public synchronized int restarts() {
        return restarts;
    }

    /** Host pid of the sandbox's outermost process (for diagnostics, and for tests that kill it). */
    public synchronized long serverPid() {
        return server == null ? -1 : server.pid();
    }

    /** Where the server makes its runs' directories, as a path inside the sandbox. */
    synchronized String runDirectoryBase() {
        return server == null ? null : server.ready().path("base").asText();
    }

    @Override
    public CompletableFuture<ExecutionResult> execute(String code, ExecutionLimits limits) {
        if (code == null) throw new IllegalArgumentException("code must not be null");
        if (limits == null) throw new IllegalArgumentException("limits must not be null");
        CompletableFuture<ExecutionResult> result = new CompletableFuture<>();
        synchronized (this) {
            if (closed) throw new IllegalStateException("this executor is closed");
            queued.add(new Pending(ids.incrementAndGet(), code, RunLimits.of(limits, caps), result));
        }
        try {
            dispatcher.execute(this::dispatch);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // close() raced with us: it completes every queued run, this one included
        }
        return result;
    }

    /** Moves queued runs into the server while there is room; (re)starts the server when it is gone. */
    private void dispatch() {
        while (true) {
            Pending next;
            ForkServer target;
            synchronized (this) {
                if (closed || queued.isEmpty() || inFlight.size() >= maxConcurrent) return;
                next = queued.poll();
                inFlight.put(next.id(), next);
                target = server;
            }
            if (target == null || !target.alive()) {
                target = restart(target);
                if (target == null) return;
            }
            if (!target.submit(next.id(), next.code(), next.limits())) {
                target = restart(target);
                if (target == null || !target.submit(next.id(), next.code(), next.limits())) {
                    onResult(next.id(), new ExecutionResult(ExecutionResult.Status.ERROR, "",
                            "[the sandbox server could not take this run]", 0));
                    continue;
                }
            }
            long id = next.id();
            long delayMs = (long) ((next.limits().wallSeconds() + GRACE_SECONDS) * 1000);
            ForkServer watched = target;
            overdue.schedule(() -> checkOverdue(id, watched), delayMs, TimeUnit.MILLISECONDS);
        }
    }

    private ForkServer restart(ForkServer dead) {
        ForkServer fresh;
        try {
            if (dead != null) dead.kill();
            fresh = ForkServer.start(command, this::onResult);
            checkReady(fresh);
        } catch (RuntimeException e) {
            LOG.error("the sandbox server could not be restarted: {}", e.getMessage());
            failAll(e);
            return null;
        }
        synchronized (this) {
            if (closed) {
                fresh.kill();
                return null;
            }
            server = fresh;
            restarts++;
            return fresh;
        }
    }

    private void checkOverdue(long id, ForkServer watched) {
        synchronized (this) {
            if (!inFlight.containsKey(id)) return;
            hung.add(id);
        }
        LOG.warn("sandbox run {} is {} s past its wall limit: restarting the sandbox server", id, GRACE_SECONDS);
        watched.kill();
    }

    private void onResult(long id, ExecutionResult result) {
        Pending done;
        synchronized (this) {
            done = inFlight.remove(id);
            if (hung.remove(id)) {
                result = new ExecutionResult(ExecutionResult.Status.TIMEOUT, result.stdout(),
                        result.stderr() + "\n[the sandbox server stopped answering; it was restarted]", result.seconds());
            }
        }
        if (done == null) return;
        ExecutionResult r = result;
        done.result().completeAsync(() -> r);
        try {
            dispatcher.execute(this::dispatch);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // closed: nothing more to dispatch
        }
    }

    private void failAll(RuntimeException cause) {
        List<Pending> failed;
        synchronized (this) {
            failed = new java.util.ArrayList<>(queued);
            failed.addAll(inFlight.values());
            queued.clear();
            inFlight.clear();
        }
        for (Pending p : failed) p.result().completeExceptionally(cause);
    }

    /** Kills the server and every run in it; runs in flight or queued end as KILLED. */
    @Override
    public void close() {
        ForkServer last;
        List<Pending> abandoned;
        synchronized (this) {
            if (closed) return;
            closed = true;
            last = server;
            server = null;
            abandoned = new java.util.ArrayList<>(queued);
            abandoned.addAll(inFlight.values());
            queued.clear();
            inFlight.clear();
        }
        dispatcher.shutdownNow();
        overdue.shutdownNow();
        if (last != null) last.close(2000);
        for (Pending p : abandoned) {
            p.result().complete(new ExecutionResult(ExecutionResult.Status.KILLED, "", "[the executor was closed]", 0));
        }
    }

    private void checkReady(ForkServer started) {
        if (isolation != Isolation.NONE && started.ready().path("writable").size() > 0) {
            List<String> writable = new java.util.ArrayList<>();
            started.ready().path("writable").forEach(w -> writable.add(w.asText()));
            if (writable.contains("/")) {
                started.kill();
                throw new IsolationUnavailableException("the sandbox could not make the root file system read-only");
            }
            LOG.warn("sandbox: these mounts stay writable inside the sandbox: {}", writable);
        }
    }

    private static String loadScript() {
        try (InputStream in = LocalPythonExecutor.class.getResourceAsStream("forkserver.py")) {
            if (in == null) throw new IllegalStateException("forkserver.py is missing from the euclid-solver jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Configures a {@link LocalPythonExecutor}; every setting has a safe default. */
    public static final class Builder {
        private String python = "python3";
        private Isolation isolation;
        private boolean allowUnisolated;
        private int maxConcurrent = Math.max(2, Runtime.getRuntime().availableProcessors());
        private SandboxCaps caps = SandboxCaps.defaults();
        private Path hiddenHome = defaultHome();

        private Builder() {}

        /** The interpreter, a command on PATH or a path; default {@code python3}. */
        public Builder python(String command) {
            if (command == null || command.isBlank()) throw new IllegalArgumentException("python command must not be empty");
            this.python = command;
            return this;
        }

        /** Uses exactly this isolation (building fails if the machine lacks it) instead of the strongest available. */
        public Builder isolation(Isolation isolation) {
            if (isolation == null) throw new IllegalArgumentException("isolation must not be null");
            this.isolation = isolation;
            return this;
        }

        /** Runs code with rlimits only when no isolation is available, instead of refusing. Not a sandbox. */
        public Builder allowUnisolated() {
            this.allowUnisolated = true;
            return this;
        }

        /** Runs in the server at once; more wait in order. Default: the number of cores, at least 2. */
        public Builder maxConcurrent(int runs) {
            if (runs < 1) throw new IllegalArgumentException("maxConcurrent must be at least 1, got " + runs);
            this.maxConcurrent = runs;
            return this;
        }

        public Builder caps(SandboxCaps caps) {
            if (caps == null) throw new IllegalArgumentException("caps must not be null");
            this.caps = caps;
            return this;
        }

        /** The directory replaced by an empty one inside the sandbox (default: the user's home); null hides nothing. */
        public Builder hideHome(Path home) {
            this.hiddenHome = home == null ? null : home.toAbsolutePath().normalize();
            return this;
        }

        /**
         * Finds the interpreter and the isolation, and starts the server.
         *
         * @throws IsolationUnavailableException when the machine offers no isolation (or not the one
         *         asked for) and unisolated execution was not allowed
         */
        public LocalPythonExecutor build() {
            Isolation chosen = isolation == null ? Isolation.detect() : isolation;
            if (chosen == Isolation.NONE && !allowUnisolated) {
                throw new IsolationUnavailableException("no sandbox is available: install bubblewrap (apt-get install "
                        + "bubblewrap) or allow unprivileged user namespaces; or, knowing the code then runs with your "
                        + "user's rights, allow unisolated execution (allowUnisolated(), executor 'local-unisolated')");
            }
            if (isolation != null && isolation != Isolation.NONE && !isolation.available()) {
                throw new IsolationUnavailableException("isolation " + isolation + " is not available on this machine");
            }
            PythonInstallation installation = PythonInstallation.find(python);
            List<String> serverArgs = List.of("-I", "-c", SCRIPT);
            Path home = hiddenHome != null && hiddenHome.getNameCount() > 0 && Files.isDirectory(hiddenHome) ? hiddenHome : null;
            return new LocalPythonExecutor(chosen.wrap(installation, home, serverArgs), chosen, caps, maxConcurrent);
        }

        private static Path defaultHome() {
            String home = System.getProperty("user.home");
            return home == null || home.isBlank() ? null : Path.of(home).toAbsolutePath().normalize();
        }
    }
}
