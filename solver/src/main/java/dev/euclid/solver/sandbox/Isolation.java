package dev.euclid.solver.sandbox;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How the fork server is walled off from the machine, in the order {@link #detect()} prefers them.
 * Each wraps the server's command line; all of them give it a private /tmp, no network (loopback
 * included), a read-only view of the rest of the file system with the user's home hidden, a pid
 * namespace, and an empty environment. A user namespace (mapping the user to root inside) is
 * made only when the JVM is not root itself.
 */
public enum Isolation {
    /** bubblewrap: mount, pid, net, ipc, uts (and user, unless root) namespaces, read-only root bind, private /tmp and /dev. */
    BUBBLEWRAP {
        @Override
        List<String> wrap(PythonInstallation python, Path hiddenHome, List<String> serverArgs) {
            List<String> cmd = new ArrayList<>(List.of("bwrap", "--die-with-parent", "--new-session"));
            cmd.addAll(namespaces());
            cmd.addAll(List.of("--dev", "/dev", "--tmpfs", "/tmp"));
            if (hiddenHome != null) {
                cmd.addAll(List.of("--tmpfs", hiddenHome.toString()));
                for (Path root : python.roots()) {
                    if (!root.startsWith(hiddenHome)) continue;
                    // bwrap would make the directories on the way 0700, closed to the code's uid when that is nobody.
                    for (Path dir = hiddenHome.resolve(root.getName(hiddenHome.getNameCount())); !dir.equals(root);
                            dir = dir.resolve(root.getName(dir.getNameCount()))) {
                        cmd.addAll(List.of("--perms", "0755", "--dir", dir.toString()));
                    }
                    cmd.addAll(List.of("--ro-bind", root.toString(), root.toString()));
                }
            }
            cmd.addAll(List.of("--clearenv", "--setenv", "PATH", SAFE_PATH, "--setenv", "LANG", "C.UTF-8", "--chdir", "/tmp"));
            cmd.add(python.executable().toString());
            cmd.addAll(serverArgs);
            cmd.add("--isolated");
            return cmd;
        }

        @Override
        boolean available() {
            List<String> probe = new ArrayList<>(List.of("bwrap", "--die-with-parent"));
            probe.addAll(namespaces());
            probe.add("true");
            return onPath("bwrap") && succeeds(probe);
        }

        private List<String> namespaces() {
            List<String> flags = new ArrayList<>();
            // As root, no user namespace: one would map only uid 0, leaving the code no
            // unprivileged uid to become (the server makes it nobody; see forkserver.py).
            flags.addAll(RUNNING_AS_ROOT ? List.of("--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
                    "--unshare-cgroup-try") : List.of("--unshare-all"));
            // The server keeps its capabilities to make each run's own pid and mount namespaces;
            // the code's process drops all of them before it runs.
            flags.addAll(List.of("--cap-add", "ALL", "--ro-bind", "/", "/", "--proc", "/proc"));
            return flags;
        }
    },
    /**
     * util-linux {@code unshare}: user (mapped to root inside), mount, pid and network namespaces;
     * the server itself then mounts a private /tmp, hides the home and remounts everything else
     * read-only, and refuses to start if the root stays writable.
     */
    UNSHARE {
        @Override
        List<String> wrap(PythonInstallation python, Path hiddenHome, List<String> serverArgs) {
            List<String> cmd = namespaces();
            cmd.add(python.executable().toString());
            cmd.addAll(serverArgs);
            cmd.add("--isolated");
            cmd.add("--setup-mounts");
            cmd.add(hiddenHome == null ? "-" : hiddenHome.toString());
            if (hiddenHome != null) {
                for (Path root : python.roots()) if (root.startsWith(hiddenHome)) cmd.add(root.toString());
            }
            return cmd;
        }

        @Override
        boolean available() {
            List<String> probe = namespaces();
            probe.add("true");
            return onPath("unshare") && succeeds(probe);
        }

        private List<String> namespaces() {
            List<String> cmd = new ArrayList<>(List.of("unshare"));
            // As root, no user namespace, for the same reason as bubblewrap's.
            if (!RUNNING_AS_ROOT) cmd.addAll(List.of("--user", "--map-root-user"));
            cmd.addAll(List.of("--mount", "--net", "--pid", "--fork", "--mount-proc", "--ipc", "--uts"));
            return cmd;
        }
    },
    /** No isolation at all: the code runs as the JVM's user with rlimits only. Only with {@code allowUnisolated()}. */
    NONE {
        @Override
        List<String> wrap(PythonInstallation python, Path hiddenHome, List<String> serverArgs) {
            List<String> cmd = new ArrayList<>();
            cmd.add(python.executable().toString());
            cmd.addAll(serverArgs);
            return cmd;
        }

        @Override
        boolean available() {
            return true;
        }
    };

    /** The only environment the server (and so the code) sees; the JVM's is never passed on. */
    static final String SAFE_PATH = "/usr/local/bin:/usr/bin:/bin";
    private static final boolean RUNNING_AS_ROOT = new com.sun.security.auth.module.UnixSystem().getUid() == 0;

    /** The full command line that starts the server under this isolation. */
    abstract List<String> wrap(PythonInstallation python, Path hiddenHome, List<String> serverArgs);

    /** Whether this machine can use it: the tool is installed and the kernel lets it make its namespaces. */
    abstract boolean available();

    /** The strongest isolation this machine offers, or {@link #NONE} when it offers none. */
    public static Isolation detect() {
        for (Isolation isolation : values()) {
            if (isolation != NONE && isolation.available()) return isolation;
        }
        return NONE;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", SAFE_PATH) + File.pathSeparator + SAFE_PATH;
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    private static boolean succeeds(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
