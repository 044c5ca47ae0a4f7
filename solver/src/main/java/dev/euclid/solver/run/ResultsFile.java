package dev.euclid.solver.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results JSONL of a run, one row per finished problem, each appended and forced to disk as
 * soon as its problem ends: a killed run loses at most the problem it was working on. Reopened,
 * it yields the rows already there (so a resumed run skips their ids); a row cut short by the kill
 * is dropped and the file truncated back to the last whole row.
 */
public final class ResultsFile implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final Map<String, JsonNode> rows = new LinkedHashMap<>();

    /**
     * Opens {@code path}, creating it if absent; its folder must exist.
     *
     * @throws IllegalArgumentException if a whole row is not a JSON object with an id
     */
    public ResultsFile(Path path) throws IOException {
        this.path = path;
        Path folder = path.toAbsolutePath().getParent();
        if (folder != null && !Files.isDirectory(folder)) throw new IOException(folder + ": no such folder");
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            load();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private void load() throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        int whole = 0; // bytes up to the end of the last complete line
        for (int i = 0; i < bytes.length; i++) if (bytes[i] == '\n') whole = i + 1;
        String[] lines = new String(bytes, 0, whole, StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) continue;
            JsonNode row;
            try {
                row = ResultRows.JSON.readTree(lines[i]);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(path + ":" + (i + 1) + ": not a results row: " + e.getOriginalMessage());
            }
            if (!row.isObject() || !row.hasNonNull("id")) throw new IllegalArgumentException(path + ":" + (i + 1) + ": a results row needs an id");
            rows.put(row.get("id").asText(), row);
        }
        channel.truncate(whole); // the rest was a row the previous run was killed writing
        channel.position(whole);
    }

    /** The rows finished so far, by id, in file order. */
    public Map<String, JsonNode> rows() {
        return java.util.Collections.unmodifiableMap(rows);
    }

    /** Appends a row and forces it to disk. */
    public void append(ObjectNode row) throws IOException {
        byte[] line = (ResultRows.JSON.writeValueAsString(row) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.wrap(line);
        while (buffer.hasRemaining()) channel.write(buffer);
        channel.force(false);
        rows.put(row.get("id").asText(), row);
    }

    /** The rows as a list. */
    public List<JsonNode> list() {
        return new ArrayList<>(rows.values());
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
