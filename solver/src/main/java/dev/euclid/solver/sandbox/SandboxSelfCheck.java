package dev.euclid.solver.sandbox;

import dev.euclid.solver.ExecutionLimits;
import dev.euclid.solver.ExecutionResult;
import dev.euclid.solver.ExecutionResult.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The sandbox's attack battery: real attacks run through a {@link LocalPythonExecutor}, each
 * judged by what the host can observe afterwards (files that must not exist, a listening socket
 * that must not have been reached, processes that must be gone), not by what the code claims.
 * Used by the tests and by {@code euclid sandbox check}.
 */
public final class SandboxSelfCheck {
    /** One attack: whether the sandbox contained it, and what showed it. */
    public record Attack(String name, boolean contained, String evidence, double seconds) {}

    /** The battery's outcome under one isolation. */
    public record Report(Isolation isolation, List<Attack> attacks) {
        public boolean allContained() {
            return attacks.stream().allMatch(Attack::contained);
        }
    }

    /** Names the env-secret attack looks for when set in the JVM's environment (the tests set it). */
    public static final String CANARY_VARIABLE = "EUCLID_SANDBOX_CANARY";
    private static final Set<String> SANDBOX_OWN_VARIABLES = Set.of("PATH", "LANG", "LC_CTYPE", "PWD", "HOME", "TMPDIR",
            "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "SHLVL", "_");
    private static final ExecutionLimits QUICK = new ExecutionLimits(Duration.ofSeconds(20), 2L << 30, 64L << 10);

    private final LocalPythonExecutor executor;
    private final int leakRuns;

    /** @param leakRuns how many runs the leak check makes (1,000 for the full battery) */
    public SandboxSelfCheck(LocalPythonExecutor executor, int leakRuns) {
        if (leakRuns < 1) throw new IllegalArgumentException("leakRuns must be at least 1, got " + leakRuns);
        this.executor = executor;
        this.leakRuns = leakRuns;
    }

    /** Runs every attack in order; each result says whether it was contained. */
    public Report run() {
        List<Attack> attacks = new ArrayList<>();
        attacks.add(timed("infinite-loop", this::infiniteLoop));
        attacks.add(timed("allocate-8GiB", this::allocate));
        attacks.add(timed("memory-across-processes", this::memoryAcrossProcesses));
        attacks.add(timed("fork-bomb", this::forkBomb));
        attacks.add(timed("network", this::network));
        attacks.add(timed("write-outside-temp-dir", this::writeOutside));
        attacks.add(timed("read-parent-secrets", this::readSecrets));
        attacks.add(timed("output-10MB", this::bigOutput));
        attacks.add(timed("os._exit", () -> survives("import os\nos._exit(7)", Status.ERROR)));
        attacks.add(timed("kill-9-own-process", () -> survives("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
                Status.KILLED)));
        attacks.add(timed("segfault", () -> survives("import ctypes\nctypes.string_at(0)", Status.KILLED)));
        attacks.add(timed("kill-9-server", this::killServer));
        attacks.add(timed(leakRuns + "-runs-leave-nothing", this::leaks));
        return new Report(executor.isolation(), attacks);
    }

    private interface Check {
        Attack run(String name) throws Exception;
    }

    private static Attack timed(String name, Check check) {
        long start = System.nanoTime();
        Attack a;
        try {
            a = check.run(name);
        } catch (Exception e) {
            a = new Attack(name, false, "the check itself failed: " + e, 0);
        }
        return new Attack(a.name(), a.contained(), a.evidence(), (System.nanoTime() - start) / 1e9);
    }

    private static Attack timed(String name, Supplier<String> failureOrNull) {
        return timed(name, n -> {
            String failure = failureOrNull.get();
            return new Attack(n, failure == null, failure == null ? "contained" : failure, 0);
        });
    }

    private ExecutionResult run(String code, ExecutionLimits limits) {
        try {
            return executor.execute(code, limits).get(limits.wallTime().toSeconds() + 60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("run did not complete: " + e, e);
        }
    }

    private Attack infiniteLoop(String name) {
        ExecutionResult r = run("while True:\n    pass\n", new ExecutionLimits(Duration.ofSeconds(1), 2L << 30, 4096));
        boolean ok = r.status() == Status.TIMEOUT && r.seconds() < 1 + LocalPythonExecutor.GRACE_SECONDS;
        return new Attack(name, ok, r.status() + " after " + round(r.seconds()) + " s (wall limit 1 s)", 0);
    }

    private Attack allocate(String name) {
        ExecutionResult r = run("x = bytearray(8 << 30)\nprint('allocated', len(x))\n", QUICK);
        boolean ok = r.status() == Status.ERROR && r.stderr().contains("MemoryError") && !r.stdout().contains("allocated");
        return new Attack(name, ok, r.status() + ": " + lastLine(r.stderr()) + " (limit 2 GiB of address space)", 0);
    }

    private Attack memoryAcrossProcesses(String name) {
        // Four processes of 400 MiB each, every one within its 1 GiB address space, 1.6 GiB together;
        // each reports on a pipe once it holds its share. Contained: the four never held it at once
        // (killed at the memory cap or, where the host is too slow to fault in 1 GiB, at the wall limit).
        ExecutionResult r = run("import os, time\nr, w = os.pipe()\nfor i in range(4):\n    if os.fork() == 0:\n"
                + "        x = b'\\1' * (400 << 20)\n        os.write(w, b'x')\n        time.sleep(60)\n        os._exit(0)\n"
                + "got = b''\nwhile len(got) < 4:\n    got += os.read(r, 4)\nprint('all allocated')\n",
                new ExecutionLimits(Duration.ofSeconds(30), 1L << 30, 4096));
        boolean ok = !r.stdout().contains("all allocated")
                && (r.status() == Status.KILLED && r.stderr().contains("bytes of memory") || r.status() == Status.TIMEOUT);
        return new Attack(name, ok, r.status() + " after " + round(r.seconds()) + " s: " + lastLine(r.stderr())
                + " (4 x 400 MiB, limit 1 GiB)", 0);
    }

    private Attack forkBomb(String name) {
        ExecutionResult r = run("import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n",
                new ExecutionLimits(Duration.ofSeconds(10), 2L << 30, 4096));
        ExecutionResult after = run("print('alive')", QUICK);
        boolean ok = r.status() == Status.KILLED && r.seconds() < 10 && after.status() == Status.OK;
        return new Attack(name, ok, r.status() + " after " + round(r.seconds()) + " s: " + lastLine(r.stderr())
                + "; next run " + after.status(), 0);
    }

    private Attack network(String name) throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = listener.getLocalPort();
            String code = "import socket\n"
                    + "for host, port in (('127.0.0.1', " + port + "), ('localhost', " + port + "), ('1.1.1.1', 53)):\n"
                    + "    try:\n"
                    + "        socket.create_connection((host, port), timeout=3).close()\n"
                    + "        print('CONNECTED', host)\n"
                    + "    except OSError as e:\n"
                    + "        print('refused', host, e)\n";
            ExecutionResult r = run(code, QUICK);
            listener.setSoTimeout(200);
            boolean reached;
            try (Socket accepted = listener.accept()) {
                reached = accepted != null;
            } catch (SocketTimeoutException e) {
                reached = false;
            }
            boolean ok = !reached && !r.stdout().contains("CONNECTED") && r.stdout().contains("refused 1.1.1.1");
            return new Attack(name, ok, (reached ? "the JVM's loopback listener was reached; " : "")
                    + r.stdout().trim().replace('\n', ';') + (r.status() == Status.OK ? "" : " " + lastLine(r.stderr())), 0);
        }
    }

    private Attack writeOutside(String name) throws IOException {
        String file = "euclid-sandbox-escape-" + UUID.randomUUID();
        List<Path> targets = new ArrayList<>();
        for (String dir : new String[] {System.getProperty("user.dir"), System.getProperty("java.io.tmpdir"),
                System.getProperty("user.home"), "/tmp", "/var/tmp", "/dev/shm"}) {
            if (dir != null && Files.isDirectory(Path.of(dir))) targets.add(Path.of(dir).toAbsolutePath().resolve(file));
        }
        StringBuilder code = new StringBuilder("import os\nfor path in [");
        for (Path t : targets) code.append(pythonString(t.toString())).append(", ");
        code.append("]:\n    try:\n        open(path, 'w').write('escaped')\n        print('WROTE', path)\n"
                + "    except OSError as e:\n        print('denied', path, e.strerror)\n");
        ExecutionResult r = run(code.toString(), QUICK);
        List<String> escaped = new ArrayList<>();
        for (Path t : targets) {
            if (Files.exists(t)) {
                escaped.add(t.toString());
                Files.delete(t);
            }
        }
        boolean ok = escaped.isEmpty() && r.status() == Status.OK;
        return new Attack(name, ok, escaped.isEmpty() ? "no file appeared on the host in " + targets.size()
                + " directories tried (" + targets.get(0).getParent() + ", ...)" : "files appeared on the host: " + escaped, 0);
    }

    private Attack readSecrets(String name) throws IOException {
        String secret = "euclid-secret-" + UUID.randomUUID();
        Path secretFile = Files.createTempFile("euclid-sandbox-secret", ".txt");
        try {
            Files.writeString(secretFile, secret);
            String code = "import os, glob\n"
                    + "for k, v in os.environ.items():\n    print(k + '=' + v)\n"
                    + "for f in glob.glob('/proc/*/environ') + glob.glob('/proc/*/cmdline'):\n"
                    + "    try:\n        print(open(f, 'rb').read().replace(b'\\0', b'\\n').decode('utf-8', 'replace'))\n"
                    + "    except OSError:\n        pass\n"
                    + "try:\n    print(open(" + pythonString(secretFile.toString()) + ").read())\n"
                    + "except OSError as e:\n    print('secret file:', e.strerror)\n";
            ExecutionResult r = run(code, new ExecutionLimits(Duration.ofSeconds(20), 2L << 30, 4L << 20));
            List<String> leaked = new ArrayList<>();
            for (Map.Entry<String, String> e : System.getenv().entrySet()) {
                if (SANDBOX_OWN_VARIABLES.contains(e.getKey()) || e.getValue().length() < 4) continue;
                if (r.stdout().contains(e.getKey() + "=" + e.getValue())) leaked.add(e.getKey());
            }
            if (r.stdout().contains(secret)) leaked.add("the secret file " + secretFile);
            if (r.status() != Status.OK) leaked.add("(the attack itself failed: " + lastLine(r.stderr()) + ")");
            boolean ok = leaked.isEmpty();
            String canary = System.getenv(CANARY_VARIABLE) != null ? " (" + CANARY_VARIABLE + " included)" : "";
            return new Attack(name, ok, leaked.isEmpty() ? "none of the JVM's " + System.getenv().size()
                    + " environment variables" + canary + " nor a file in its temp dir was visible" : "leaked: " + leaked, 0);
        } finally {
            Files.deleteIfExists(secretFile);
        }
    }

    private Attack bigOutput(String name) {
        long cap = 64L << 10;
        ExecutionResult r = run("import sys\nsys.stdout.write('HEAD' + 'x' * (10 << 20) + 'TAIL')\n",
                new ExecutionLimits(Duration.ofSeconds(20), 2L << 30, cap));
        int size = r.stdout().getBytes(StandardCharsets.UTF_8).length;
        boolean ok = r.status() == Status.OK && size <= cap + 100 && r.stdout().startsWith("HEAD")
                && r.stdout().endsWith("TAIL") && r.stdout().contains("bytes omitted");
        return new Attack(name, ok, "10 MiB printed, " + size + " bytes kept (cap " + cap + "), head and tail intact", 0);
    }

    private String survives(String code, Status expected) {
        ExecutionResult r = run(code, QUICK);
        ExecutionResult after = run("print(6 * 7)", QUICK);
        if (r.status() != expected) return "status " + r.status() + ", expected " + expected + ": " + lastLine(r.stderr());
        if (after.status() != Status.OK || !after.stdout().trim().equals("42")) return "the next run failed: " + after;
        return null;
    }

    private Attack killServer(String name) {
        int before = executor.restarts();
        CompletableFuture<ExecutionResult> inFlight = executor.execute("import time\ntime.sleep(30)", QUICK);
        run("print('started')", QUICK);
        forkServer(executor).destroyForcibly();
        ExecutionResult lost;
        try {
            lost = inFlight.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            return new Attack(name, false, "the run in flight never completed: " + e, 0);
        }
        ExecutionResult after = run("print(6 * 7)", QUICK);
        boolean ok = lost.status() == Status.KILLED && after.status() == Status.OK && executor.restarts() == before + 1;
        return new Attack(name, ok, "run in flight " + lost.status() + ", server restarted " + (executor.restarts() - before)
                + " time(s), next run " + after.status(), 0);
    }

    /** The python that is not a child of another python: the fork server itself, not one of its runs. */
    static ProcessHandle forkServer(LocalPythonExecutor executor) {
        ProcessHandle outer = ProcessHandle.of(executor.serverPid()).orElseThrow();
        List<ProcessHandle> tree = new ArrayList<>(outer.descendants().toList());
        tree.add(outer);
        return tree.stream()
                .filter(p -> isPython(p) && p.parent().map(parent -> !isPython(parent)).orElse(true))
                .findFirst().orElseThrow(() -> new IllegalStateException("no fork server process under " + outer.pid()));
    }

    private static boolean isPython(ProcessHandle p) {
        return p.info().command().map(c -> Path.of(c).getFileName().toString().startsWith("python")).orElse(false);
    }

    private Attack leaks(String name) {
        ExecutionResult first = run("print(1)", QUICK);
        if (first.status() != Status.OK) return new Attack(name, false, "a plain run failed: " + first, 0);
        long processesBefore = ProcessHandle.current().descendants().count();
        // Every tenth run leaves a process and a file behind on purpose.
        String code = "import os, subprocess\nopen('scratch.txt', 'w').write('x' * 1000)\n"
                + "if %d %% 10 == 0:\n    subprocess.Popen(['sleep', '1000'], start_new_session=True)\nprint('ok')\n";
        List<CompletableFuture<ExecutionResult>> runs = new ArrayList<>();
        for (int i = 0; i < leakRuns; i++) runs.add(executor.execute(String.format(code, i), QUICK));
        int failed = 0;
        for (CompletableFuture<ExecutionResult> f : runs) {
            ExecutionResult r = f.join();
            if (r.status() != Status.OK) failed++;
        }
        // The sandbox's private /tmp, seen from the host through the server's root.
        Path base = Path.of("/proc", String.valueOf(forkServer(executor).pid()), "root")
                .resolve(executor.runDirectoryBase().substring(1));
        long dirsLeft;
        try (java.util.stream.Stream<Path> dirs = Files.list(base)) {
            dirsLeft = dirs.count();
        } catch (IOException e) {
            throw new UncheckedIOException("listing the runs' directories in " + base, e);
        }
        long processesAfter = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            processesAfter = ProcessHandle.current().descendants().count();
            if (processesAfter <= processesBefore) break;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        boolean ok = failed == 0 && processesAfter == processesBefore && dirsLeft == 0;
        return new Attack(name, ok, failed + " runs failed; processes under the JVM " + processesBefore + " before, "
                + processesAfter + " after; run directories left " + dirsLeft + " (" + base + ")", 0);
    }

    private static String pythonString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String lastLine(String text) {
        String t = text.strip();
        return t.substring(t.lastIndexOf('\n') + 1);
    }

    private static String round(double seconds) {
        return String.format("%.2f", seconds);
    }
}
