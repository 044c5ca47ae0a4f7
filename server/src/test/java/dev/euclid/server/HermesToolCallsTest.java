package dev.euclid.server;

import static dev.euclid.server.ToolCallCases.assertStreamsAsWhole;
import static dev.euclid.server.ToolCallCases.streamed;
import static dev.euclid.server.ToolCallCases.whole;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.euclid.server.ToolCallCases.Parsed;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hermes / Qwen 2.5 calls: {@code <tool_call>{json}</tool_call>}, whole and streamed. */
class HermesToolCallsTest {
    private static final String WEATHER = "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\","
            + " \"unit\": \"celsius\"}}\n</tool_call>";
    private static final String WEATHER_CALL = "get_weather {\"city\":\"Paris\",\"unit\":\"celsius\"}";
    private static final String TIME = "<tool_call>\n{\"name\": \"get_time\", \"arguments\": {\"zone\": \"CET\"}}\n</tool_call>";

    private static Parsed parse(String text) {
        return whole(HermesToolCalls::new, text);
    }

    @Test
    void oneCallIsTheWholeAnswer() {
        assertEquals(new Parsed(null, List.of(WEATHER_CALL)), parse(WEATHER));
        assertEquals(new Parsed(null, List.of(WEATHER_CALL)), parse("\n" + WEATHER + "\n"));
    }

    @Test
    void severalCallsInOrder() {
        assertEquals(new Parsed(null, List.of(WEATHER_CALL, "get_time {\"zone\":\"CET\"}")), parse(WEATHER + "\n" + TIME));
        assertEquals(new Parsed(null, List.of(WEATHER_CALL, WEATHER_CALL)), parse(WEATHER + WEATHER));
    }

    @Test
    void textAroundCallsIsContentWithoutTheWhitespaceNextToCalls() {
        assertEquals(new Parsed("Let me check.", List.of(WEATHER_CALL)), parse("Let me check.\n\n" + WEATHER));
        assertEquals(new Parsed("Done.\n", List.of(WEATHER_CALL)), parse(WEATHER + "\nDone.\n"));
        assertEquals(new Parsed("First,then", List.of(WEATHER_CALL, "get_time {\"zone\":\"CET\"}")),
                parse("First, " + WEATHER + " then " + TIME));
        assertEquals(new Parsed("A  b", List.of(WEATHER_CALL)), parse("A  b " + WEATHER));
    }

    @Test
    void bracesAndTagsInsideStringsAreArguments() {
        String text = "<tool_call>{\"name\": \"run\", \"arguments\": {\"code\": \"if (x) { return \\\"}\\\"; } // <tool_call>\","
                + " \"list\": [1, {\"a\": [2, 3]}]}}</tool_call>";
        assertEquals(new Parsed(null, List.of("run {\"code\":\"if (x) { return \\\"}\\\"; } // <tool_call>\","
                + "\"list\":[1,{\"a\":[2,3]}]}")), parse(text));
        assertStreamsAsWhole(HermesToolCalls::new, text);
    }

    @Test
    void unicodeStaysUnescaped() {
        String text = "Voilà: <tool_call>{\"name\": \"météo\", \"arguments\": {\"city\": \"Zürich 東京 😀\"}}</tool_call>";
        assertEquals(new Parsed("Voilà:", List.of("météo {\"city\":\"Zürich 東京 😀\"}")), parse(text));
        assertStreamsAsWhole(HermesToolCalls::new, text);
    }

    @Test
    void argumentsMayBeAbsentOrCalledParameters() {
        assertEquals(new Parsed(null, List.of("now {}")), parse("<tool_call>{\"name\": \"now\"}</tool_call>"));
        assertEquals(new Parsed(null, List.of("f {\"x\":1}")), parse("<tool_call>{\"name\": \"f\", \"parameters\": {\"x\": 1}}"
                + "</tool_call>"));
    }

    @Test
    void aCallCutOffAfterItsJsonStillCounts() {
        assertEquals(new Parsed(null, List.of(WEATHER_CALL)), parse(WEATHER.replace("\n</tool_call>", "")));
        assertStreamsAsWhole(HermesToolCalls::new, WEATHER.replace("\n</tool_call>", ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<tool_call>{\"name\": \"f\", \"arguments\": {\"a\": }}</tool_call>",
        "<tool_call>{\"name\": \"f\", \"arguments\": {\"a\": 1}</tool_call>",
        "<tool_call>{\"arguments\": {\"a\": 1}}</tool_call>",
        "<tool_call>{\"name\": \"\", \"arguments\": {}}</tool_call>",
        "<tool_call>{\"name\": \"f\", \"arguments\": [1]}</tool_call>",
        "<tool_call>[{\"name\": \"f\"}]</tool_call>",
        "<tool_call>{\"name\": \"f\"} {\"name\": \"g\"}</tool_call>",
        "<tool_call>not json</tool_call>",
        "<tool_call>{\"name\": \"f\", \"arguments\": {\"a\"",
        "before <tool_call>",
    })
    void aMalformedCallLeavesTheAnswerAsContent(String text) {
        assertEquals(new Parsed(text, List.of()), parse(text));
        assertStreamsAsWhole(HermesToolCalls::new, text);
    }

    @Test
    void oneMalformedCallAmongGoodOnesLeavesTheWholeAnswerButAStreamHasSentTheGoodOnes() {
        String bad = "<tool_call>{\"name\": \"f\", \"arguments\": {]}</tool_call>";
        assertEquals(new Parsed(WEATHER + bad, List.of()), parse(WEATHER + bad));
        assertEquals(new Parsed(bad, List.of(WEATHER_CALL)), streamed(HermesToolCalls::new, List.of(WEATHER, bad)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Once upon a time", "a < b and b > c", "x <tool", "<tool_cal>", "tags: </tool_call>",
        "  spaces at both ends  ", "line\n\n"})
    void anAnswerWithoutCallsIsUnchanged(String text) {
        assertEquals(new Parsed(text, List.of()), parse(text));
        if (!text.isEmpty()) assertStreamsAsWhole(HermesToolCalls::new, text);
    }

    @Test
    void everySplitOfCallsAndTextStreamsAsTheWhole() {
        assertStreamsAsWhole(HermesToolCalls::new, WEATHER);
        assertStreamsAsWhole(HermesToolCalls::new, "Let me check.\n\n" + WEATHER + "\n" + TIME + "\nThat is all.");
    }

    @Test
    void aClosingTagInsideAStringArgumentDoesNotEndTheCall() {
        String text = "x <tool_call>{\"name\": \"f\", \"arguments\": {\"s\": \"</tool_call>\"}}</tool_call> y";
        assertEquals(new Parsed("xy", List.of("f {\"s\":\"</tool_call>\"}")), parse(text));
        assertStreamsAsWhole(HermesToolCalls::new, text);
    }

    @Test
    void textStreamsAsSoonAsItCannotBeginACall() {
        ToolCallStream s = new ToolCallStream(new HermesToolCalls());
        assertEquals(List.of(new ToolCallStream.Text("Let me")), s.add("Let me <tool"));
        assertEquals(List.of(), s.add("_call>{\"name\": \"now\"}"));
        List<ToolCallStream.Piece> call = s.add("</tool_call>");
        assertEquals(1, call.size());
        assertEquals("now", ((ToolCallStream.Call) call.get(0)).call().name());
        assertEquals(List.of(new ToolCallStream.Text("ok")), s.add(" ok"));
        assertEquals(List.of(), s.finish());
    }
}
