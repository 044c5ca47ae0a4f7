package dev.euclid.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.euclid.solver.CodeExecutor;
import dev.euclid.solver.ExecutionLimits;
import dev.euclid.solver.ExecutionResult;
import dev.euclid.solver.sandbox.Isolation;
import dev.euclid.solver.sandbox.LocalPythonExecutor;
import dev.euclid.solver.sandbox.PythonInstallation;
import dev.euclid.solver.sandbox.SandboxSelfCheck;
import dev.euclid.solver.sandbox.Sandboxes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code euclid sandbox check|run}: the sandbox that runs model-written Python, for users checking their machine. */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = "Check or use the sandbox that runs model-written Python (see SECURITY.md).",
        subcommands = {SandboxCommand.Check.class, SandboxCommand.Run.class, SandboxCommand.Bench.class})
final class SandboxCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: check, run or bench");
    }

    private static PrintStream out() {
        return new PrintStream(System.out, true, StandardCharsets.UTF_8);
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Run the attack battery (infinite loop, 8 GiB allocation, fork bomb, network, writes outside"
                    + " the temp dir, the parent's secrets, 10 MB of output, os._exit, kill -9, segfault, leaks) through"
                    + " the local sandbox; exit 0 only if every attack was contained.")
    static final class Check implements Callable<Integer> {
        @Option(names = "--json", description = "Print {\"isolation\", \"contained\", \"attacks\": [...]} as JSON")
        boolean json;

        @Option(names = "--runs", paramLabel = "N", defaultValue = "1000",
                description = "Runs the leak check makes (default: ${DEFAULT-VALUE})")
        int runs;

        @Override
        public Integer call() {
            if (runs < 1) throw new UsageException("--runs must be at least 1, got " + runs);
            SandboxSelfCheck.Report report;
            try (LocalPythonExecutor executor = LocalPythonExecutor.builder().build()) {
                report = new SandboxSelfCheck(executor, runs).run();
            }
            PrintStream out = out();
            if (json) {
                ObjectNode root = JSON.createObjectNode();
                root.put("isolation", report.isolation().name().toLowerCase(Locale.ROOT));
                root.put("contained", report.allContained());
                ArrayNode attacks = root.putArray("attacks");
                for (SandboxSelfCheck.Attack a : report.attacks()) {
                    attacks.addObject().put("name", a.name()).put("contained", a.contained())
                            .put("evidence", a.evidence()).put("seconds", a.seconds());
                }
                out.println(root.toString());
            } else {
                out.println("isolation: " + report.isolation().name().toLowerCase(Locale.ROOT));
                for (SandboxSelfCheck.Attack a : report.attacks()) {
                    out.printf("%-9s %-26s %6.2f s  %s%n", a.contained() ? "contained" : "ESCAPED", a.name(), a.seconds(),
                            a.evidence());
                }
            }
            return report.allContained() ? ExitCode.OK : ExitCode.RUNTIME;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run one Python file through the sandbox; exit 0 when it ran (whatever its status), 1 when"
                    + " the sandbox could not run it.")
    static final class Run implements Callable<Integer> {
        @Option(names = "--code-file", required = true, paramLabel = "FILE", description = "The Python source to run")
        Path codeFile;

        @Option(names = "--timeout", paramLabel = "S", defaultValue = "10",
                description = "Wall-clock limit in seconds (default: ${DEFAULT-VALUE})")
        double timeout;

        @Option(names = "--memory", paramLabel = "BYTES", defaultValue = "2147483648",
                description = "Address-space limit in bytes (default: ${DEFAULT-VALUE})")
        long memory;

        @Option(names = "--max-output", paramLabel = "BYTES", defaultValue = "65536",
                description = "Bytes kept of each of stdout and stderr, head and tail (default: ${DEFAULT-VALUE})")
        long maxOutput;

        @Option(names = "--executor", paramLabel = "SPEC", defaultValue = "local",
                description = "local (refuses without isolation), local-unisolated, or a NeMo-Skills sandbox"
                        + " http://host:port (default: ${DEFAULT-VALUE})")
        String executor;

        @Option(names = "--json", description = "Print {\"status\", \"stdout\", \"stderr\", \"seconds\"} instead of the"
                + " code's own output")
        boolean json;

        @Override
        public Integer call() throws IOException, InterruptedException {
            if (!(timeout > 0) || Double.isInfinite(timeout)) throw new UsageException("--timeout must be positive, got " + timeout);
            if (memory <= 0) throw new UsageException("--memory must be positive, got " + memory);
            if (maxOutput <= 0) throw new UsageException("--max-output must be positive, got " + maxOutput);
            String code = Files.readString(codeFile, StandardCharsets.UTF_8);
            ExecutionLimits limits = new ExecutionLimits(Duration.ofNanos((long) (timeout * 1e9)), memory, maxOutput);
            ExecutionResult result;
            try (CodeExecutor sandbox = open(executor, limits)) {
                result = sandbox.execute(code, limits).get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("the sandbox failed: " + e.getCause().getMessage(), e.getCause());
            }
            PrintStream out = out();
            if (json) {
                ObjectNode root = JSON.createObjectNode();
                root.put("status", result.status().name().toLowerCase(Locale.ROOT));
                root.put("stdout", result.stdout()).put("stderr", result.stderr()).put("seconds", result.seconds());
                out.println(root.toString());
            } else {
                out.print(result.stdout());
                out.flush();
                PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
                err.print(result.stderr());
                if (result.status() != ExecutionResult.Status.OK) err.println("[" + result.status().name().toLowerCase(Locale.ROOT) + "]");
                err.flush();
            }
            return ExitCode.OK;
        }

        private static CodeExecutor open(String spec, ExecutionLimits limits) {
            try {
                return Sandboxes.open(spec, limits);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--executor: " + e.getMessage());
            }
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Per-run latency of the local sandbox's fork server (isolated, and without isolation) against a"
                    + " cold `python3 -I -c` with the same imports (math, numpy, sympy), all running print(6 * 7) one run"
                    + " at a time.")
    static final class Bench implements Callable<Integer> {
        private static final String CODE = "print(6 * 7)";

        @Option(names = "--runs", paramLabel = "N", defaultValue = "200",
                description = "Fork-server runs (default: ${DEFAULT-VALUE}); the cold interpreter runs N/10 times")
        int runs;

        @Override
        public Integer call() throws IOException, InterruptedException, ExecutionException {
            if (runs < 10) throw new UsageException("--runs must be at least 10, got " + runs);
            double[] server;
            String isolation;
            try (LocalPythonExecutor executor = LocalPythonExecutor.builder().build()) {
                isolation = executor.isolation().name().toLowerCase(Locale.ROOT);
                server = latencies(executor, runs);
            }
            // The same server without namespaces: what the per-run pid and mount namespaces cost.
            double[] bare;
            try (LocalPythonExecutor executor = LocalPythonExecutor.builder().isolation(Isolation.NONE).allowUnisolated()
                    .build()) {
                bare = latencies(executor, runs);
            }
            Path python = PythonInstallation.find("python3").executable();
            double[] cold = new double[runs / 10];
            for (int i = 0; i < cold.length; i++) {
                ProcessBuilder pb = new ProcessBuilder(python.toString(), "-I", "-c", "import math, numpy, sympy\n" + CODE);
                pb.environment().clear();
                long start = System.nanoTime();
                Process p = pb.redirectErrorStream(true).start();
                byte[] out = p.getInputStream().readAllBytes();
                if (p.waitFor() != 0) throw new IllegalStateException("cold python failed: " + new String(out, StandardCharsets.UTF_8));
                cold[i] = (System.nanoTime() - start) / 1e6;
            }
            double serverMedian = median(server);
            double coldMedian = median(cold);
            PrintStream out = out();
            out.printf(Locale.ROOT, "fork server (%s): %d runs, median %.1f ms, mean %.1f ms%n", isolation, runs, serverMedian,
                    mean(server));
            out.printf(Locale.ROOT, "fork server (no isolation): %d runs, median %.1f ms, mean %.1f ms%n", runs, median(bare),
                    mean(bare));
            out.printf(Locale.ROOT, "cold python3 -I -c (no isolation): %d runs, median %.1f ms, mean %.1f ms%n",
                    cold.length, coldMedian, mean(cold));
            out.printf(Locale.ROOT, "cold / fork server (medians): %.1fx%n", coldMedian / serverMedian);
            return ExitCode.OK;
        }

        private static double[] latencies(LocalPythonExecutor executor, int runs) throws InterruptedException, ExecutionException {
            ExecutionLimits limits = ExecutionLimits.defaults();
            for (int i = 0; i < 5; i++) executor.execute(CODE, limits).get();
            double[] millis = new double[runs];
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                ExecutionResult r = executor.execute(CODE, limits).get();
                millis[i] = (System.nanoTime() - start) / 1e6;
                if (r.status() != ExecutionResult.Status.OK) throw new IllegalStateException("a run failed: " + r);
            }
            return millis;
        }

        private static double median(double[] values) {
            double[] sorted = values.clone();
            java.util.Arrays.sort(sorted);
            return sorted[sorted.length / 2];
        }

        private static double mean(double[] values) {
            return java.util.Arrays.stream(values).average().orElse(Double.NaN);
        }
    }
}
