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

/** Llama 3.1-3.3 JSON calls: the answer is {"name", "parameters"} objects, whole and streamed. */
class Llama3JsonToolCallsTest {
    private static final String WEATHER = "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\", \"unit\": \"celsius\"}}";
    private static final String WEATHER_CALL = "get_weather {\"city\":\"Paris\",\"unit\":\"celsius\"}";
    private static final String TIME = "{\"name\": \"get_time\", \"arguments\": {\"zone\": \"CET\"}}";
    private static final String TIME_CALL = "get_time {\"zone\":\"CET\"}";

    private static Parsed parse(String text) {
        return whole(Llama3JsonToolCalls::new, text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "<|python_tag|>", "\n\n", "<|python_tag|> "})
    void anAnswerThatIsACall(String before) {
        assertEquals(new Parsed(null, List.of(WEATHER_CALL)), parse(before + WEATHER));
        assertStreamsAsWhole(Llama3JsonToolCalls::new, before + WEATHER);
    }

    @Test
    void severalCallsSeparatedBySemicolons() {
        for (String text : List.of(WEATHER + ";" + TIME, WEATHER + "; " + TIME, "<|python_tag|>" + WEATHER + " ;\n" + TIME + ";")) {
            assertEquals(new Parsed(null, List.of(WEATHER_CALL, TIME_CALL)), parse(text), text);
            assertStreamsAsWhole(Llama3JsonToolCalls::new, text);
        }
    }

    @Test
    void textAfterTheCallsIsContent() {
        String text = WEATHER + "\nI will tell you when it answers.";
        assertEquals(new Parsed("I will tell you when it answers.", List.of(WEATHER_CALL)), parse(text));
        assertStreamsAsWhole(Llama3JsonToolCalls::new, text);
    }

    @Test
    void bracesInsideStringsAndNestedArguments() {
        String text = "{\"name\": \"run\", \"parameters\": {\"code\": \"while (1) { puts(\\\"}{\\\"); }\", \"opts\": {\"a\": [1,"
                + " {\"b\": null}], \"c\": true}}}";
        assertEquals(new Parsed(null, List.of("run {\"code\":\"while (1) { puts(\\\"}{\\\"); }\",\"opts\":{\"a\":[1,{\"b\":null}],"
                + "\"c\":true}}")), parse(text));
        assertStreamsAsWhole(Llama3JsonToolCalls::new, text);
    }

    @Test
    void unicodeStaysUnescaped() {
        String text = "{\"name\": \"traduire\", \"parameters\": {\"texte\": \"Grüße, 世界 🌍\", \"escaped\": \"\\u00e9\"}}";
        assertEquals(new Parsed(null, List.of("traduire {\"texte\":\"Grüße, 世界 🌍\",\"escaped\":\"é\"}")), parse(text));
        assertStreamsAsWhole(Llama3JsonToolCalls::new, text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"The weather is fine.", "Use {\"name\": \"f\", \"parameters\": {}} to call f.", "<|python_",
        "<b>bold</b>", "  indented  ", "{\"answer\": 42}", "{\"answer\": 42} is the JSON you asked for",
        "{\"name\": \"f\", \"parameters\": {\"a\": 1}", "{\"name\": \"f\", \"parameters\": {\"a\": tru}}",
        "{\"name\": 7, \"parameters\": {}}", "{\"name\": \"f\", \"parameters\": \"a=1\"}", "<|python_tag|>print(1)"})
    void anythingElseIsContentUnchanged(String text) {
        assertEquals(new Parsed(text, List.of()), parse(text));
        assertStreamsAsWhole(Llama3JsonToolCalls::new, text);
    }

    @Test
    void oneMalformedCallAfterGoodOnesLeavesTheWholeAnswerButAStreamHasSentTheGoodOnes() {
        String text = WEATHER + "; {\"name\": \"g\", \"parameters\": {";
        assertEquals(new Parsed(text, List.of()), parse(text));
        assertEquals(new Parsed("{\"name\": \"g\", \"parameters\": {", List.of(WEATHER_CALL)),
                streamed(Llama3JsonToolCalls::new, List.of(WEATHER, text.substring(WEATHER.length()))));
    }

    @Test
    void plainTextStreamsAtOnceAndACallWaitsUntilWholeAndWhatFollowsIt() {
        ToolCallStream plain = new ToolCallStream(new Llama3JsonToolCalls());
        assertEquals(List.of(new ToolCallStream.Text("Hello")), plain.add("Hello"));
        assertEquals(List.of(new ToolCallStream.Text(", {world}")), plain.add(", {world}"));

        ToolCallStream call = new ToolCallStream(new Llama3JsonToolCalls());
        assertEquals(List.of(), call.add("<|python"));
        assertEquals(List.of(), call.add("_tag|>{\"name\": \"f\", "));
        assertEquals(List.of(), call.add("\"parameters\": {\"s\": \"}\"}"));
        assertEquals(List.of(), call.add("}"), "a ';' may still follow");
        List<ToolCallStream.Piece> pieces = call.add(" ;");
        assertEquals(1, pieces.size());
        assertEquals("{\"s\":\"}\"}", ((ToolCallStream.Call) pieces.get(0)).call().arguments());
        assertEquals(List.of(), call.finish());
    }
}
