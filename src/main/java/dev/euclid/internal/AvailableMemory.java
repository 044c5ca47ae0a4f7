package dev.euclid.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Memory this process could still take without swapping: the kernel's MemAvailable, lowered to the
 * headroom under the process's cgroup limit where one applies (in a container, /proc/meminfo shows
 * the host's memory, not the container's).
 */
final class AvailableMemory {
    private static final Path MEMINFO = Path.of("/proc/meminfo");
    private static final Path CGROUP_V2 = Path.of("/sys/fs/cgroup");
    private static final Path CGROUP_V1 = Path.of("/sys/fs/cgroup/memory");

    private AvailableMemory() {}

    /** Bytes available now; empty where the system does not say (no /proc/meminfo). */
    static OptionalLong bytes() {
        OptionalLong host = memAvailable(read(MEMINFO));
        OptionalLong cgroup = headroom(read(CGROUP_V2.resolve("memory.max")), read(CGROUP_V2.resolve("memory.current")));
        if (cgroup.isEmpty()) {
            cgroup = headroom(read(CGROUP_V1.resolve("memory.limit_in_bytes")), read(CGROUP_V1.resolve("memory.usage_in_bytes")));
        }
        if (host.isEmpty()) return cgroup;
        return cgroup.isEmpty() ? host : OptionalLong.of(Math.min(host.getAsLong(), cgroup.getAsLong()));
    }

    /** The "MemAvailable: N kB" line of /proc/meminfo, in bytes. */
    static OptionalLong memAvailable(String meminfo) {
        if (meminfo == null) return OptionalLong.empty();
        for (String line : meminfo.split("\n")) {
            if (!line.startsWith("MemAvailable:")) continue;
            String[] parts = line.substring("MemAvailable:".length()).trim().split("\\s+");
            OptionalLong kib = number(parts[0]);
            return kib.isPresent() && parts.length == 2 && parts[1].equals("kB")
                    ? OptionalLong.of(kib.getAsLong() * 1024) : OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /** Limit minus usage, both plain byte counts; empty without a limit ("max", or v1's huge sentinel). */
    static OptionalLong headroom(String limit, String usage) {
        if (limit == null || usage == null) return OptionalLong.empty();
        OptionalLong max = number(limit.trim());
        OptionalLong used = number(usage.trim());
        // cgroup v1 reports "no limit" as a page-aligned Long.MAX_VALUE.
        if (max.isEmpty() || used.isEmpty() || max.getAsLong() >= Long.MAX_VALUE / 2) return OptionalLong.empty();
        return OptionalLong.of(Math.max(0, max.getAsLong() - used.getAsLong()));
    }

    private static OptionalLong number(String text) {
        try {
            return OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
