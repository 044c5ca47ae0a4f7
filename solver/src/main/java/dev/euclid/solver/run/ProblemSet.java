package dev.euclid.solver.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.solver.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Problems from a JSONL file: one object per line with {@code id}, {@code problem} and optionally {@code answer}. */
public final class ProblemSet {
    private ProblemSet() {}

    /**
     * @throws IllegalArgumentException naming the file and line of a malformed row or a repeated id
     * @throws IOException if the file cannot be read
     */
    public static List<Problem> read(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Problem> problems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            String where = file + ":" + (i + 1);
            JsonNode row;
            try {
                row = json.readTree(line);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(where + ": not a JSON object: " + e.getOriginalMessage());
            }
            if (!row.isObject()) throw new IllegalArgumentException(where + ": not a JSON object");
            JsonNode id = row.get("id"), text = row.get("problem"), answer = row.get("answer");
            if (id == null || !id.isValueNode() || id.asText().isEmpty()) throw new IllegalArgumentException(where + ": missing \"id\"");
            if (text == null || !text.isTextual() || text.asText().isBlank()) {
                throw new IllegalArgumentException(where + ": missing \"problem\" text");
            }
            if (!ids.add(id.asText())) throw new IllegalArgumentException(where + ": id " + id.asText() + " appears twice");
            problems.add(new Problem(id.asText(), text.asText(), answer == null || answer.isNull() ? null : answer.asText()));
        }
        if (problems.isEmpty()) throw new IllegalArgumentException(file + ": no problems");
        return problems;
    }
}
