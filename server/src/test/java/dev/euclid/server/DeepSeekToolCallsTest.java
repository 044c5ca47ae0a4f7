package dev.euclid.server;

import static dev.euclid.server.ToolCallCases.assertStreamsAsWhole;
import static dev.euclid.server.ToolCallCases.whole;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.euclid.server.ToolCallCases.Parsed;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DeepSeek V3 / R1 and V3.1 calls: blocks of {@code <｜tool▁call▁begin｜>} calls, whole and streamed. */
class DeepSeekToolCallsTest {
    private static final String BEGIN = "<｜tool▁calls▁begin｜>", END = "<｜tool▁calls▁end｜>";
    private static final String V3_WEATHER = "<｜tool▁call▁begin｜>function<｜tool▁sep｜>get_weather\n```json\n"
            + "{\"city\": \"Paris\", \"unit\": \"celsius\"}\n```<｜tool▁call▁end｜>";
    private static final String V3_TIME = "<｜tool▁call▁begin｜>function<｜tool▁sep｜>get_time\n```json\n{\"zone\": \"CET\"}\n```"
            + "<｜tool▁call▁end｜>";
    private static final String V31_WEATHER = "<｜tool▁call▁begin｜>get_weather<｜tool▁sep｜>{\"city\": \"Paris\", \"unit\":"
            + " \"celsius\"}<｜tool▁call▁end｜>";
    private static final String WEATHER_CALL = "get_weather {\"city\":\"Paris\",\"unit\":\"celsius\"}";
    private static final String TIME_CALL = "get_time {\"zone\":\"CET\"}";

    private static Parsed parse(String text) {
        return whole(DeepSeekToolCalls::new, text);
    }

    @Test
    void v3CallsWithTheirJsonFences() {
        assertEquals(new Parsed(null, List.of(WEATHER_CALL)), parse(BEGIN + V3_WEATHER + END));
        String two = BEGIN + V3_WEATHER + "\n" + V3_TIME + END;
        assertEquals(new Parsed(null, List.of(WEATHER_CALL, TIME_CALL)), parse(two));
        assertStreamsAsWhole(DeepSeekToolCalls::new, two);
    }

    @Test
    void v31Calls() {
        String text = BEGIN + V31_WEATHER + END;
        assertEquals(new Parsed(null, List.of(WEATHER_CALL)), parse(text));
        assertStreamsAsWhole(DeepSeekToolCalls::new, text);
    }

    @Test
    void reasoningAndTextAroundTheBlockIsContent() {
        String text = "<think>\nThe user wants the weather.\n</think>\n\nLet me look.\n" + BEGIN + V3_WEATHER + END + "\nDone.";
        assertEquals(new Parsed("<think>\nThe user wants the weather.\n</think>\n\nLet me look.Done.", List.of(WEATHER_CALL)),
                parse(text));
        assertStreamsAsWhole(DeepSeekToolCalls::new, text);
    }

    @Test
    void aBlockCutOffBeforeItsEndStillHoldsItsWholeCalls() {
        assertEquals(new Parsed(null, List.of(WEATHER_CALL)), parse(BEGIN + V3_WEATHER));
        assertStreamsAsWhole(DeepSeekToolCalls::new, BEGIN + V3_WEATHER);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        BEGIN + "<｜tool▁call▁begin｜>function<｜tool▁sep｜>f\n```json\n{\"a\": }\n```<｜tool▁call▁end｜>" + END,
        BEGIN + "<｜tool▁call▁begin｜>f<｜tool▁sep｜>[1]<｜tool▁call▁end｜>" + END,
        BEGIN + "<｜tool▁call▁begin｜>no separator<｜tool▁call▁end｜>" + END,
        BEGIN + "<｜tool▁call▁begin｜><｜tool▁sep｜>{}<｜tool▁call▁end｜>" + END,
        BEGIN + "plain text" + END,
        BEGIN + END,
        BEGIN + "<｜tool▁call▁begin｜>f<｜tool▁sep｜>{\"a\": 1",
        "before " + BEGIN,
    })
    void aMalformedCallLeavesTheAnswerAsContent(String text) {
        assertEquals(new Parsed(text, List.of()), parse(text));
        assertStreamsAsWhole(DeepSeekToolCalls::new, text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Once upon a time", "<think>x</think> 42", "a <｜tool", "<｜tool▁call▁begin｜> alone"})
    void anAnswerWithoutABlockIsUnchanged(String text) {
        assertEquals(new Parsed(text, List.of()), parse(text));
        if (!text.isEmpty()) assertStreamsAsWhole(DeepSeekToolCalls::new, text);
    }
}
