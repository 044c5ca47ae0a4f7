package dev.euclid.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A template that is wrong, unsupported or hostile gives a ChatTemplateException naming the
 * template and line (never a wrong prompt, never a JVM failure); wrong arguments give an
 * IllegalArgumentException saying which.
 */
class ChatTemplateErrorsTest {
    private static final List<Map<String, Object>> HELLO = List.of(Conversations.user("Hello"));

    private static ChatTemplateException renderFails(String source) {
        return assertThrows(ChatTemplateException.class,
                () -> ChatTemplate.parse(source, "t.jinja").render(HELLO, true));
    }

    private static ChatTemplateException parseFails(String source) {
        return assertThrows(ChatTemplateException.class, () -> ChatTemplate.parse(source, "t.jinja"));
    }

    @Test
    void raiseExceptionNamesItsLineAndKeepsTheMessage() {
        ChatTemplateException e = renderFails("{% for m in messages %}\n{{ m.content }}\n"
                + "{% if m.role == 'user' %}{{ raise_exception('Only assistants here!') }}{% endif %}\n{% endfor %}");
        assertEquals("Only assistants here!", e.reason());
        assertEquals(3, e.line());
        assertEquals("t.jinja", e.templateName());
        assertEquals("t.jinja, line 3: Only assistants here!", e.getMessage());
    }

    static Stream<Arguments> syntaxErrorsNameTheLine() {
        return Stream.of(
                Arguments.of("{{ x | nosuchfilter }}", 1, "No filter named 'nosuchfilter'."),
                Arguments.of("a\nb\n{{ x is nosuchtest }}", 3, "No test named 'nosuchtest'."),
                Arguments.of("\n\n\n{{ 'x' | wordwrap }}", 4, "the filter 'wordwrap' is not supported in chat templates"),
                Arguments.of("{% include 'other.jinja' %}", 1, "the 'include' tag is not supported in chat templates"),
                Arguments.of("\n{% extends 'base.jinja' %}", 2, "the 'extends' tag is not supported in chat templates"),
                Arguments.of("{% block body %}{% endblock %}", 1, "the 'block' tag is not supported in chat templates"),
                Arguments.of("\n\n{% for m in messages recursive %}{% endfor %}", 3,
                        "recursive for loops are not supported in chat templates"),
                Arguments.of("{% if true %}\nunclosed", 2,
                        "Unexpected end of template. Jinja was looking for the following tags: 'elif' or 'else' or 'endif'."),
                Arguments.of("{% endfor %}", 1, "Encountered unknown tag 'endfor'."),
                Arguments.of("{% for x in y %}{% endif %}", 1,
                        "Encountered unknown tag 'endif'. Jinja was looking for the following tags: 'endfor' or 'else'."),
                Arguments.of("x\n{{ 1 +}}", 2, "unexpected end of print statement"),
                Arguments.of("{{ 'open", 1, "unterminated string literal"),
                Arguments.of("\n{# never closed", 2, "Missing end of comment tag"),
                Arguments.of("{{ x\n", 1, "unexpected end of template: the {{ tag opened here is not closed"),
                Arguments.of("{% break %}", 1, "'break' outside of a loop"),
                Arguments.of("{% set 1 = 2 %}", 1, "can't assign to 'const'"),
                Arguments.of("{{ a ! b }}", 1, "unexpected char '!' at 5"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void syntaxErrorsNameTheLine(String source, int line, String message) {
        ChatTemplateException e = parseFails(source);
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(message, e.reason());
    }

    static Stream<Arguments> runtimeErrorsNameTheLine() {
        return Stream.of(
                Arguments.of("line 1\n{{ 'a' + 1 }}", 2, "TypeError: can only concatenate str (not \"int\") to str"),
                Arguments.of("{% set x = messages[0] %}\n\n{{ x.missing.deeper }}", 3,
                        "UndefinedError: 'dict object' has no attribute 'missing'"),
                Arguments.of("{{ messages.append(1) }}", 1,
                        "SecurityError: access to attribute 'append' of 'list' object is unsafe."),
                Arguments.of("{{ 1 // 0 }}", 1, "ZeroDivisionError: integer division or modulo by zero"),
                Arguments.of("{% set s = 'x' %}\n{% set s.a = 1 %}", 2,
                        "TemplateRuntimeError: cannot assign attribute on non-namespace object"),
                Arguments.of("{% if messages %}\n{{ 'x' | nosuchfilter }}{% endif %}", 2,
                        "TemplateRuntimeError: No filter named 'nosuchfilter' found."),
                Arguments.of("{{ messages[0].items }}", 1,
                        "TypeError: a function cannot be printed (Python would show its memory address)"),
                Arguments.of("{{ range(10 ** 6) | length }}", 1,
                        "OverflowError: Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000)."),
                Arguments.of("{{ 'ab' * 100000000 }}", 1,
                        "MemoryError: a value of 200000000 characters or items is beyond the 16777216 a chat template may build"),
                Arguments.of("{% if messages %}{{ messages | urlize }}{% endif %}", 1,
                        "TemplateRuntimeError: the filter 'urlize' is not supported in chat templates"),
                Arguments.of("{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, 2) }}", 1,
                        "TypeError: macro 'm' takes not more than 1 argument(s)"),
                Arguments.of("{{ messages | tojson(indent=2) }}{{ undefined_name | tojson }}", 1,
                        "TypeError: Object of type Undefined is not JSON serializable"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void runtimeErrorsNameTheLine(String source, int line, String message) {
        ChatTemplateException e = renderFails(source);
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(message, e.reason());
    }

    @Test
    void runawayRecursionIsAnErrorNotACrash() {
        ChatTemplateException e = renderFails("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}");
        assertTrue(e.reason().contains("recursion"), e.getMessage());
    }

    @Test
    void absurdNestingIsAnErrorNotACrash() {
        ChatTemplateException e = parseFails("{{ " + "(".repeat(200_000) + "1" + ")".repeat(200_000) + " }}");
        assertEquals("the template nests too deeply to parse", e.reason());
    }

    @Test
    void outputCannotGrowWithoutBound() {
        // a string doubling 40 times inside a loop: refused at the bound, not after filling the heap
        ChatTemplateException e = renderFails("{% set ns = namespace(s='x') %}{% for i in range(40) %}"
                + "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}");
        assertTrue(e.reason().startsWith("MemoryError"), e.getMessage());
    }

    @Test
    void badArgumentsAreIllegalArgumentsNamingTheValue() {
        ChatTemplate t = ChatTemplate.parse("{{ messages }}", "t.jinja");
        IllegalArgumentException reserved = assertThrows(IllegalArgumentException.class,
                () -> t.render(HELLO, null, false, Map.of("add_generation_prompt", true)));
        assertTrue(reserved.getMessage().contains("add_generation_prompt"), reserved.getMessage());
        Map<String, Object> odd = new HashMap<>(Conversations.user("hi"));
        odd.put("content", new Object());
        IllegalArgumentException value = assertThrows(IllegalArgumentException.class,
                () -> t.render(List.of(odd), false));
        assertTrue(value.getMessage().startsWith("messages[0].content: "), value.getMessage());
    }

    @Test
    void severalTemplatesWithoutADefaultMustBeChosenByName() {
        ChatTemplate set = new ChatTemplate("cfg.json", Map.of("rag", "R", "tool_use", "T"), Map.of(), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> set.render(HELLO, false));
        assertTrue(e.getMessage().contains("named"), e.getMessage());
        assertEquals("R", set.named("rag").render(HELLO, false));
        assertEquals("T", set.render(HELLO, List.of(), false, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> set.named("default"));
    }

    @Test
    void aTemplateCannotSeeOrChangeTheCallersObjects() {
        List<Map<String, Object>> messages = new ArrayList<>(List.of(new HashMap<>(Conversations.user("hi"))));
        String out = ChatTemplate.parse("{% set m = messages[0] %}{{ m.update is defined }}{{ m | length }}", "t")
                .render(messages, false);
        assertEquals("False2", out);
        assertEquals(Map.of("role", "user", "content", "hi"), messages.get(0));
    }
}
