package dev.euclid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code euclid sandbox run} and {@code check}, through the local sandbox this machine has. */
class SandboxCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    private JsonNode runJson(String code, String... extra) throws IOException {
        Path file = Files.writeString(tmp.resolve("code.py"), code);
        String[] args = new String[5 + extra.length];
        args[0] = "sandbox";
        args[1] = "run";
        args[2] = "--code-file";
        args[3] = file.toString();
        args[4] = "--json";
        System.arraycopy(extra, 0, args, 5, extra.length);
        CliRun run = CliRun.of(args);
        assertEquals(0, run.code(), run.err());
        return JSON.readTree(run.out());
    }

    @Test
    void runPrintsStatusAndOutputAsJson() throws IOException {
        JsonNode ok = runJson("import sympy\nprint(sympy.factorint(1001))");
        assertEquals("ok", ok.get("status").asText());
        assertEquals("{7: 1, 11: 1, 13: 1}\n", ok.get("stdout").asText());
        assertTrue(ok.get("seconds").asDouble() > 0);

        JsonNode error = runJson("raise ValueError('bad')");
        assertEquals("error", error.get("status").asText());
        assertTrue(error.get("stderr").asText().contains("ValueError: bad"), error.toString());

        JsonNode timeout = runJson("while True: pass", "--timeout", "1");
        assertEquals("timeout", timeout.get("status").asText());

        JsonNode memory = runJson("x = bytearray(1 << 30)", "--memory", String.valueOf(512L << 20));
        assertEquals("error", memory.get("status").asText());
        assertTrue(memory.get("stderr").asText().contains("MemoryError"), memory.toString());
    }

    @Test
    void runRefusesAnUnknownExecutorAndAMissingFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("code.py"), "print(1)");
        CliRun bad = CliRun.of("sandbox", "run", "--code-file", file.toString(), "--executor", "docker", "--json");
        assertEquals(ExitCode.USAGE, bad.code(), bad.err());
        assertTrue(bad.err().contains("unknown executor 'docker'"), bad.err());

        CliRun missing = CliRun.of("sandbox", "run", "--code-file", tmp.resolve("nope.py").toString());
        assertEquals(ExitCode.RUNTIME, missing.code(), missing.err());
        assertTrue(missing.err().contains("nope.py"), missing.err());

        CliRun bare = CliRun.of("sandbox");
        assertEquals(ExitCode.USAGE, bare.code(), bare.err());
    }

    @Test
    void checkReportsTheIsolationAndEveryAttackContained() throws IOException {
        CliRun check = CliRun.of("sandbox", "check", "--json", "--runs", "50");
        JsonNode report = JSON.readTree(check.out());
        assertEquals(0, check.code(), check.out() + check.err());
        assertTrue(report.get("isolation").asText().matches("bubblewrap|unshare"), report.toString());
        assertTrue(report.get("contained").asBoolean(), report.toString());
        assertEquals(13, report.get("attacks").size());
    }
}
