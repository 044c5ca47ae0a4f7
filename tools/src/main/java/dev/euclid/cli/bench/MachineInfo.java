package dev.euclid.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the report says about the machine: CPU, cores, memory, load, JVM. Linux /proc where present. */
record MachineInfo(String cpu, int logicalCpus, int availableProcessors, long memoryBytes, String os, String jvm) {

    static MachineInfo current() {
        String cpu = "unknown CPU";
        int logical = 0;
        for (String line : lines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name") && cpu.equals("unknown CPU")) cpu = value(line);
            if (line.startsWith("processor")) logical++;
        }
        long memory = 0;
        for (String line : lines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) memory = Long.parseLong(value(line).replace("kB", "").trim()) * 1024;
        }
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
        String jvm = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        return new MachineInfo(cpu, logical, Runtime.getRuntime().availableProcessors(), memory, os, jvm);
    }

    /** The 1, 5 and 15 minute load averages, or "unknown". */
    static String loadAverage() {
        List<String> l = lines(Path.of("/proc/loadavg"));
        if (l.isEmpty()) return "unknown";
        String[] f = l.get(0).trim().split("\\s+");
        return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : "unknown";
    }

    /**
     * This process's command line as the shell saw it ({@code /proc/self/cmdline}), and its nice
     * value; null where /proc is missing.
     */
    static String commandLine() {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc/self/cmdline"));
            StringBuilder sb = new StringBuilder();
            for (String arg : new String(raw, StandardCharsets.UTF_8).split("\0")) {
                if (arg.isEmpty()) continue;
                if (sb.length() > 0) sb.append(' ');
                sb.append(arg.matches("[A-Za-z0-9_./:=,+@%-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
            }
            return sb.toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** This process's nice value (field 19 of /proc/self/stat), or null. */
    static Integer niceness() {
        List<String> l = lines(Path.of("/proc/self/stat"));
        if (l.isEmpty()) return null;
        String s = l.get(0);
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" "); // fields from 3 (state) on
        try {
            return Integer.parseInt(f[19 - 3]);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String value(String line) {
        int colon = line.indexOf(':');
        return colon < 0 ? "" : line.substring(colon + 1).trim();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
