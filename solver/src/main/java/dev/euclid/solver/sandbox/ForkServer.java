package dev.euclid.solver.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.euclid.solver.ExecutionResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running fork server (forkserver.py) and its line protocol: requests written to its stdin,
 * responses read by a daemon thread. When the process ends, every run still in flight is
 * reported to {@code onResult} as killed; the owner decides whether to start another.
 */
final class ForkServer {
    private static final Logger LOG = LoggerFactory.getLogger(ForkServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Importing sympy takes seconds on a loaded machine; a server that is not ready by then is broken. */
    private static final long READY_TIMEOUT_S = 120;

    private final Process process;
    private final OutputStream requests;
    private final JsonNode ready;
    private final Map<Long, Boolean> inFlight = new ConcurrentHashMap<>();
    private final BiConsumer<Long, ExecutionResult> onResult;
    private volatile boolean dead;

    private ForkServer(Process process, JsonNode ready, BiConsumer<Long, ExecutionResult> onResult, BufferedReader responses) {
        this.process = process;
        this.requests = process.getOutputStream();
        this.ready = ready;
        this.onResult = onResult;
        Thread reader = new Thread(() -> readResponses(responses), "euclid-sandbox-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code command} with an empty environment and waits for the server's ready line. */
    static ForkServer start(List<String> command, BiConsumer<Long, ExecutionResult> onResult) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().put("PATH", Isolation.SAFE_PATH);
        builder.environment().put("LANG", "C.UTF-8");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the sandbox (" + command.get(0) + "): " + e.getMessage(), e);
        }
        drainStderr(process);
        BufferedReader responses = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        JsonNode ready = awaitReady(process, responses);
        return new ForkServer(process, ready, onResult, responses);
    }

    private static JsonNode awaitReady(Process process, BufferedReader responses) {
        Thread watchdog = new Thread(() -> {
            try {
                if (!process.waitFor(READY_TIMEOUT_S, TimeUnit.SECONDS)) killTree(process);
            } catch (InterruptedException ignored) {
                // the server became ready: nothing to watch any more
            }
        }, "euclid-sandbox-start");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            String line = responses.readLine();
            if (line == null) {
                process.waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException("the sandbox server exited before it was ready (exit "
                        + (process.isAlive() ? "?" : process.exitValue()) + "); its stderr is in the log");
            }
            JsonNode ready = JSON.readTree(line);
            if (!ready.path("ready").asBoolean()) throw new IllegalStateException("the sandbox server said " + line);
            return ready;
        } catch (IOException e) {
            killTree(process);
            throw new UncheckedIOException("reading the sandbox server's ready line", e);
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the sandbox server", e);
        } finally {
            watchdog.interrupt();
        }
    }

    /** What the server reported when it started: its pid (inside its namespace), preloaded modules, writable mounts. */
    JsonNode ready() {
        return ready;
    }

    /** The host pid of the sandbox's outermost process (bwrap, unshare or python). */
    long pid() {
        return process.pid();
    }

    boolean alive() {
        return !dead && process.isAlive();
    }

    /** Sends one run; its result arrives through {@code onResult}. False when the server is gone. */
    synchronized boolean submit(long id, String code, RunLimits limits) {
        if (!alive()) return false;
        ObjectNode req = JSON.createObjectNode();
        req.put("id", id).put("code", code);
        limits.writeTo(req);
        inFlight.put(id, Boolean.TRUE);
        try {
            requests.write(JSON.writeValueAsBytes(req));
            requests.write('\n');
            requests.flush();
            return true;
        } catch (IOException e) {
            inFlight.remove(id);
            kill();
            return false;
        }
    }

    /** Ends the server and every run in it now. */
    void kill() {
        dead = true;
        killTree(process);
    }

    /** Asks the server to stop (its runs are killed), then makes sure within {@code graceMillis}. */
    void close(long graceMillis) {
        dead = true;
        try {
            requests.close();
            if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) killTree(process);
        } catch (IOException e) {
            killTree(process);
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
        }
    }

    private void readResponses(BufferedReader responses) {
        try {
            String line;
            while ((line = responses.readLine()) != null) {
                JsonNode r = JSON.readTree(line);
                long id = r.path("id").asLong();
                if (inFlight.remove(id) == null) continue;
                onResult.accept(id, new ExecutionResult(status(r.path("status").asText()), r.path("stdout").asText(),
                        r.path("stderr").asText(), r.path("seconds").asDouble()));
            }
        } catch (IOException e) {
            LOG.warn("sandbox server {}: unreadable response: {}", process.pid(), e.getMessage());
        } finally {
            dead = true;
            killTree(process);
            for (Long id : new ArrayList<>(inFlight.keySet())) {
                if (inFlight.remove(id) != null) {
                    onResult.accept(id, new ExecutionResult(ExecutionResult.Status.KILLED, "",
                            "[the sandbox server died during this run; it is restarted for the next one]", 0));
                }
            }
        }
    }

    private static ExecutionResult.Status status(String s) {
        switch (s) {
            case "ok": return ExecutionResult.Status.OK;
            case "timeout": return ExecutionResult.Status.TIMEOUT;
            case "killed": return ExecutionResult.Status.KILLED;
            default: return ExecutionResult.Status.ERROR;
        }
    }

    /** The sandbox's outer process may not pass a kill on (unshare does not on SIGKILL): kill every descendant too. */
    static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void drainStderr(Process process) {
        Thread t = new Thread(() -> {
            try (InputStream err = process.getErrorStream();
                 BufferedReader lines = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) LOG.warn("sandbox server {}: {}", process.pid(), line);
            } catch (IOException ignored) {
                // the server is gone; so is its stderr
            }
        }, "euclid-sandbox-stderr-" + process.pid());
        t.setDaemon(true);
        t.start();
    }
}
