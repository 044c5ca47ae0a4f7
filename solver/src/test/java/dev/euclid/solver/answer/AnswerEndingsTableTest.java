package dev.euclid.solver.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Extraction plus normalisation against answer-endings.jsonl: endings written in the styles AIMO
 * (NuminaMath TIR) and MATH solutions end with, each with the vote key a reader would count it as
 * (null: the sample abstains).
 */
class AnswerEndingsTableTest {
    private static final AnswerExtractor EXTRACTOR = AnswerExtractor.boxed();

    static List<Arguments> endings() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Arguments> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                AnswerEndingsTableTest.class.getResourceAsStream("/answer-endings.jsonl"), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                JsonNode row = json.readTree(line);
                JsonNode expected = row.get("expected");
                rows.add(Arguments.of(row.get("format").asText(), row.get("ending").asText(),
                        expected.isNull() ? null : expected.asText()));
            }
        }
        return rows;
    }

    @Test
    void theTableHasAtLeastAHundredEndingsInBothStyles() throws IOException {
        List<Arguments> rows = endings();
        assertTrue(rows.size() >= 100, "rows: " + rows.size());
        assertTrue(rows.stream().filter(a -> a.get()[0].equals("aimo")).count() >= 40);
        assertTrue(rows.stream().filter(a -> a.get()[0].equals("any")).count() >= 40);
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @MethodSource("endings")
    void extractsAndNormalisesTheAnswerAReaderWouldCount(String format, String ending, String expected) {
        AnswerNormalizer normalizer = new AnswerNormalizer(format.equals("aimo") ? AnswerFormat.aimo() : AnswerFormat.any());
        Optional<String> key = EXTRACTOR.extract(ending).flatMap(normalizer::normalize);
        assertEquals(Optional.ofNullable(expected), key, ending);
    }
}
