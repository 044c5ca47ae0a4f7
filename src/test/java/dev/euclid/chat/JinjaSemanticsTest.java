package dev.euclid.chat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Small templates, one construct each, rendered by Euclid and by the Jinja2 environment
 * transformers builds for chat templates: whitespace control, scoping, every supported filter,
 * test and string method, Python arithmetic and printing, macros, and the errors Python raises.
 * Real templates combine these; here each is checked in isolation, edge cases included.
 */
class JinjaSemanticsTest {
    private static final Map<String, Object> CONTEXT = context();

    private static final String[] SNIPPETS = {
        // whitespace control: trim_blocks, lstrip_blocks, -, +, comments, raw, trailing newline
        "a\n  {% if true %}\n  b\n  {% endif %}\nc\n",
        "a\n  {%+ if true %}\nb{% endif +%}\nc",
        "a  {%- if true -%}  b  {%- endif -%}  c",
        "x\n  {{ 1 }}\n  {{- 2 -}}\n  {{ 3 }}\n",
        "\t \t{% for i in xs %}\n\t{{ i }}\n{% endfor %}\nend\n\n",
        "a\n  {# comment #}\nb {#- trimmed -#} c\n{#+ kept +#}\nd",
        "{% raw %}{{ not evaluated }} {% if %}{% endraw %}\n  {%- raw -%}  x  {%- endraw %}",
        "line\r\nwindows\rmac\n{{ 'q' }}\r\n",
        "\u3000{% if true %}ideographic space{% endif %}",
        "{{ '{{' }}{{ '}}' }}{{ {'k': {'n': 1}} }}",
        "{%- set x = 1 -%}\n\n   {{ x }}   \n\n",
        "{% for i in xs %}{{ i }}{% if not loop.last %}, {% endif %}{% endfor %}\n",
        // scoping
        "{% set x = 0 %}{% for i in xs %}{% set x = x + i %}{{ x }}{% endfor %}|{{ x }}",
        "{% set ns = namespace(total=0) %}{% for i in xs %}{% set ns.total = ns.total + i %}{% endfor %}{{ ns.total }}",
        "{% for i in xs %}{% if loop.first %}{% set y = i %}{% endif %}[{{ y }}]{% endfor %}",
        "{% if true %}{% set z = 5 %}{% endif %}{{ z }}",
        "{% set a, b = 1, 2 %}{{ a }}{{ b }}{% set (c, d) = [3, 4] %}{{ c + d }}",
        "{% set x %}block {{ n }}{% endset %}[{{ x }}]{% set y | upper %}shout{% endset %}{{ y }}",
        "{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}{{ a }}",
        "{% filter upper %}hello {{ s }}{% endfilter %}",
        "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}",
        "{% for x in xs if x > 1 %}{{ loop.index }}/{{ loop.length }}:{{ x }} {% else %}none{% endfor %}",
        "{% for x in [] %}a{% else %}empty{% endfor %}{% for x in nil_list %}b{% else %}undef{% endfor %}",
        "{% for x in xs %}{% if x == 1 %}{% continue %}{% endif %}{% if x == 2 %}{% break %}{% endif %}{{ x }}{% endfor %}",
        "{% for x in xs %}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}"
                + "{{ loop.previtem }}{{ loop.nextitem }}{{ loop.cycle('a', 'b') }}{{ loop.depth }}{% endfor %}",
        "{% for x in 'héllo' %}{{ x }}.{% endfor %}{% for k in d %}{{ k }}{% endfor %}",
        "{% for a in [[1, 2], [3, 4]] %}{% for b in a %}{{ loop.index }}{{ b }}{% endfor %}|{% endfor %}",
        "{% for x in [1, 1, 2] %}{% if loop.changed(x) %}{{ x }}{% endif %}{% endfor %}",
        // macros and calls
        "{% macro m(a, b=2, c=a) %}{{ a }}{{ b }}{{ c }}{% endmacro %}{{ m(1) }}{{ m(1, 3) }}{{ m(a=4, c=5) }}{{ m() }}",
        "{% macro v() %}{{ varargs }}{{ kwargs }}{% endmacro %}{{ v(1, 2, x=3) }}",
        "{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, 2) }}",
        "{% macro m(a) %}{{ a }}{% endmacro %}{{ m(b=2) }}",
        "{% macro outer() %}<{{ caller() }}>{% endmacro %}{% call outer() %}inside {{ n }}{% endcall %}",
        "{% macro late() %}{{ z }}{% endmacro %}{% set z = 1 %}{{ late() }}{% set z = 2 %}{{ late() }}",
        "{% macro rec(k) %}{% if k > 0 %}{{ k }}{{ rec(k - 1) }}{% endif %}{% endmacro %}{{ rec(4) }}",
        "{% macro m() %}{% set inner = 1 %}{% endmacro %}{{ m() }}{{ inner is defined }}",
        "{{ m }}{% macro m() %}x{% endmacro %}",
        // printing values as Python does
        "{{ 1 }} {{ -0.0 }} {{ 1.0 }} {{ 1e20 }} {{ 1.5e-7 }} {{ 0.1 + 0.2 }} {{ 10 / 4 }} {{ 2 ** 100 }} {{ big }}",
        "{{ [1, 'a', none, true, 1.5, [], {}] }} {{ (1,) }} {{ () }} {{ {'a': [1, (2, 3)]} }}",
        "{{ \"it's\" }} {{ ['it\\'s', \"say \\\"hi\\\"\", 'both \\' \"'] }} {{ ['\\n\\t\\x00\\x7f\\u00e9\\u200b\\U0001F600'] }}",
        "{{ none }}{{ true }}{{ false }}{{ undefined_name }}{{ d.missing }}{{ xs[10] }}",
        "{{ d }}{{ d.keys() }}{{ d.values() }}{{ d.items() }}{{ nested }}",
        // arithmetic and comparisons
        "{{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 7 % -3 }} {{ 7.5 // 2 }} {{ -7.5 % 2 }} {{ 2 ** -1 }}",
        "{{ true + 1 }} {{ 3 * 'ab' }} {{ 'ab' * 0 }} {{ [1] * 3 }} {{ 'a' ~ 1 ~ none ~ [1] }} {{ 1 + 2.5 }} {{ -n }} {{ +f }}",
        "{{ 1 == 1.0 }} {{ true == 1 }} {{ [1, 2] == [1, 2] }} {{ (1, 2) == [1, 2] }} {{ 'a' != 'b' }} {{ nil == none }}",
        "{{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 'a' < 'b' }} {{ 'Z' < 'a' }} {{ [1, 2] < [1, 3] }} {{ 2 >= 2.0 }}",
        "{{ 1 in xs }} {{ 5 not in xs }} {{ 'll' in s }} {{ 'a' in d }} {{ 'x' in undefined_name }} {{ 1 in (1, 2) }}",
        "{{ 'a' + 1 }}", "{{ 1 + 'a' }}", "{{ [] + 'a' }}", "{{ 'a' < 1 }}", "{{ 1 / 0 }}", "{{ undefined_name + 1 }}",
        "{{ undefined_name.attr }}", "{{ d.missing.attr }}", "{{ none.attr }}", "{{ 1 in none }}", "{{ 1 in 'abc' }}",
        "{{ not none }} {{ not xs }} {{ xs and 'yes' }} {{ e or 'default' }} {{ 0 or none or 'last' }} {{ z and 1 }}",
        "{{ 'yes' if t else 'no' }} {{ 'yes' if z }}|{{ 'a' if z else 'b' if t else 'c' }}",
        // subscripts and slices
        "{{ xs[0] }}{{ xs[-1] }}{{ xs[1:] }}{{ xs[:-1] }}{{ xs[::-1] }}{{ xs[::2] }}{{ xs[5:] }}{{ xs[-10:10] }}",
        "{{ s[0] }}{{ s[-1] }}{{ s[1:4] }}{{ s[::-1] }}{{ s[100:] }}|{{ s|length }}",
        "{{ d['a'] }}{{ d.a }}{{ d['items'] is callable }}{{ d.get('a') }}{{ d.get('zz') }}{{ d.get('zz', 9) }}{{ nested.a.b.c }}",
        "{{ items[0].name }}{{ items[2].v }}|{{ items.0.name }}{{ xs.1 }}",
        // string methods
        "{{ ws.strip() }}|{{ ws.lstrip() }}|{{ ws.rstrip() }}|{{ 'xxhixx'.strip('x') }}|{{ s.upper() }}|{{ s.lower() }}",
        "{{ 'a,b,,c'.split(',') }}{{ '  a  b '.split() }}{{ 'a b c'.split(' ', 1) }}{{ 'a,b,c'.rsplit(',', 1) }}{{ ''.split() }}",
        "{{ s.startswith('Hé') }}{{ s.endswith(('x', '🌍')) }}{{ s.find('l') }}{{ s.rfind('l') }}{{ s.count('l') }}{{ s.index('W') }}",
        "{{ 'hello world'.title() }} {{ 'hELLO'.capitalize() }} {{ 'Hi'.swapcase() }} {{ 'a-b'.replace('-', '+') }}"
                + " {{ 'aaa'.replace('a', 'b', 2) }} {{ 'ab'.replace('', '-') }}",
        "{{ ', '.join(['a', 'b']) }} {{ 'x'.center(7, '*') }} {{ 'x'.ljust(3) }}| {{ '42'.zfill(5) }} {{ '-7'.zfill(4) }}",
        "{{ 'a\\nb\\r\\nc'.splitlines() }} {{ '123'.isdigit() }} {{ 'abc'.isalpha() }} {{ ' '.isspace() }}"
                + " {{ 'ABC'.isupper() }} {{ 'abc'.islower() }}",
        "{{ 'v1.2'.removeprefix('v') }} {{ 'file.py'.removesuffix('.py') }} {{ 'a=b=c'.partition('=') }}",
        "{{ '{} and {}'.format(1, 'two') }} {{ '{0}{1}{0}'.format('a', 'b') }} {{ '{name}!'.format(name='x') }}"
                + " {{ '{:>5}|{:<4}|{:^5}'.format('r', 'l', 'c') }} {{ '{:.2f}'.format(3.14159) }}",
        "{{ '%s-%d-%.2f-%r' % ('a', 3, 2.5, 'q') }} {{ '%5s|%-5s|%05d' % ('r', 'l', 42) }} {{ '100%%' % () }}",
        "{{ 'a'.join(1) }}", "{{ 'x'.nosuchmethod() }}", "{{ xs.append(4) }}", "{{ d.update({}) }}", "{{ s.__class__ }}",
        // filters
        "{{ ws|trim }}|{{ 'xxyxx'|trim('x') }}|{{ xs|length }}{{ d|count }}{{ s|length }}{{ undefined_name|length }}",
        "{{ xs|first }}{{ xs|last }}{{ []|first }}{{ s|first }}{{ xs|join }}{{ xs|join('-') }}{{ items|join(', ', attribute='name') }}",
        "{{ undefined_name|default('dflt') }}{{ none|default('dflt') }}{{ ''|default('dflt', true) }}{{ 0|d(5, boolean=true) }}",
        "{{ xs|sort }}{{ xs|sort(reverse=true) }}{{ ['b', 'A', 'c']|sort }}{{ ['b', 'A', 'c']|sort(case_sensitive=true) }}"
                + "{{ items|sort(attribute='name')|map(attribute='name')|list }}",
        "{{ d|dictsort }}{{ d|dictsort(reverse=true) }}{{ {'b': 1, 'A': 2}|dictsort }}{{ {'b': 1, 'a': 2}|dictsort(by='value') }}",
        "{{ d|items|list }}{{ undefined_name|items|list }}{{ xs|list }}{{ 'ab'|list }}{{ d|list }}",
        "{{ items|map(attribute='v')|list }}{{ items|map(attribute='v', default=0)|list }}{{ ['a', 'b']|map('upper')|list }}",
        "{{ items|selectattr('v')|map(attribute='name')|list }}{{ items|rejectattr('v')|list }}"
                + "{{ items|selectattr('name', 'equalto', 'x')|list }}{{ xs|select('odd')|list }}{{ xs|reject('odd')|list }}"
                + "{{ [0, 1, '', 'a', none]|select|list }}{{ none|select|list }}",
        "{{ items|selectattr('v', 'defined')|list|length }}{{ xs|select('greaterthan', 1)|list }}{{ xs|select('in', [1, 3])|list }}",
        "{{ ['a', 'A', 'b']|unique|list }}{{ ['a', 'A', 'b']|unique(case_sensitive=true)|list }}{{ xs|min }}{{ xs|max }}"
                + "{{ ['b', 'A']|min }}{{ []|max }}{{ xs|sum }}{{ items|sum(attribute='v', start=10) }}",
        "{{ 'hello'|upper }}{{ 'HeLLo'|lower }}{{ 'hello world-wide (x)'|title }}{{ 'hELLO wORLD'|capitalize }}{{ 'x'|center(5) }}",
        "{{ 'a-b-a'|replace('a', 'c') }}{{ 'a-b-a'|replace('a', 'c', 1) }}{{ 5|replace('5', 'five') }}",
        "{{ -3|abs }}{{ -2.5|abs }}{{ '42'|int }}{{ '4.7'|int }}{{ 'x'|int }}{{ 'x'|int(7) }}{{ '0x1A'|int(0, 16) }}{{ 3.9|int }}"
                + "{{ '2.5'|float }}{{ 'x'|float }}{{ 3|float }}",
        "{{ 2.5|round }}{{ 3.5|round }}{{ 2.675|round(2) }}{{ 2.1|round(0, 'ceil') }}{{ 2.9|round(method='floor') }}{{ 7|round }}",
        "{{ 'a\\nb\\n\\nc'|indent }}|{{ 'a\\nb'|indent(2, true) }}|{{ 'a\\n\\nb'|indent('> ', blank=true) }}|{{ 'x'|indent(first=true) }}",
        "{{ 'one two three'|wordcount }}{{ 'a long sentence here'|truncate(9) }}|{{ 'a long sentence here'|truncate(9, true) }}"
                + "|{{ 'short'|truncate(4, leeway=0) }}",
        "{{ xs|reverse|list }}{{ 'abc'|reverse }}{{ xs|batch(2)|list }}{{ xs|batch(2, 0)|list }}{{ [1, 2, 3, 4, 5]|slice(2)|list }}",
        "{{ '<b>&\"\\''|e }}{{ '<b>'|escape }}{{ '<b>'|safe }}{{ ('<b>'|safe) + '<i>' }}{{ '<x>'|forceescape }}",
        "{{ 'Hello %s, %d'|format('x', 3) }}{{ '%(a)s'|format(a=1) }}{{ 5|string }}{{ [1]|string }}{{ none|string }}",
        "{{ d|attr('a') }}{{ d|attr('items') is callable }}{{ xs|attr('append') is defined }}",
        "{{ d|tojson }} {{ 'é\\n\"\\\\<>&\\''|tojson }} {{ [1.0, 2.5e-8, 1e22, none, true]|tojson }} {{ (1, 2)|tojson }}",
        "{{ d|tojson(indent=2) }} {{ d|tojson(indent='\\t') }} {{ []|tojson(indent=2) }} {{ {}|tojson(indent=2) }}",
        "{{ d|tojson(separators=(',', ':')) }} {{ d|tojson(sort_keys=true) }} {{ 'é😀'|tojson(ensure_ascii=true) }}"
                + " {{ {1: 'a', true: 'b', none: 'c', 2.5: 'd'}|tojson }}",
        "{{ undefined_name|tojson }}", "{{ {(1, 2): 3}|tojson }}", "{{ 'x'|nosuchfilter }}",
        "{% if false %}{{ 'x'|nosuchfilter }}{% endif %}ok",
        // tests
        "{{ undefined_name is defined }}{{ undefined_name is undefined }}{{ none is none }}{{ 1 is number }}{{ true is number }}"
                + "{{ true is integer }}{{ 1 is integer }}{{ 1.0 is float }}{{ true is boolean }}{{ 1 is boolean }}",
        "{{ 'a' is string }}{{ d is mapping }}{{ xs is mapping }}{{ xs is iterable }}{{ 'a' is iterable }}{{ 1 is iterable }}"
                + "{{ d is sequence }}{{ undefined_name is iterable }}{{ undefined_name is sequence }}{{ none is sequence }}",
        "{{ 3 is odd }}{{ 4 is even }}{{ 9 is divisibleby 3 }}{{ 9 is divisibleby(4) }}{{ 1 is in xs }}{{ 2 is eq 2 }}"
                + "{{ 2 is ne 3 }}{{ 2 is lt 3 }}{{ 2 is ge 3 }}{{ 'abc' is lower }}{{ 'ABC' is upper }}",
        "{{ true is sameas true }}{{ none is sameas none }}{{ false is false }}{{ 0 is false }}{{ true is true }}"
                + "{{ 'upper' is filter }}{{ 'odd' is test }}{{ d.get is callable }}{{ 1 is not none }}",
        "{{ x is nosuchtest }}", "{% if false %}{{ x is nosuchtest }}{% endif %}ok",
        // globals
        "{{ range(3)|list }}{{ range(1, 7, 2)|list }}{{ range(5, 0, -2)|list }}{{ dict(a=1, b=2) }}{{ namespace(a=1).a }}",
        "{% set j = joiner(' | ') %}{% for x in xs %}{{ j() }}{{ x }}{% endfor %}",
        "{{ raise_exception('custom failure') }}", "{{ range(200000)|length }}",
        "{% set ns = namespace() %}{% set ns.items = [1] %}{{ ns.items }}{{ ns.missing }}",
        "{% set notns = 1 %}{% set notns.x = 2 %}",
        // syntax the parser must accept or refuse as Jinja2 does
        "{{ 'a' 'b' }}{{ [1, 2, ] }}{{ {'a': 1, } }}{{ (1) }}{{ ((1, 2)) }}{{ xs|join(',') ~ '!' }}",
        "{{ -xs|length }}{{ not 1 == 2 }}{{ 1 + 2 * 3 ** 2 }}{{ (1 + 2) * 3 }}{{ 2 ** 3 ** 2 }}{{ 10 - 2 - 3 }}",
        "{{ 1_000 }} {{ 0x10 }} {{ 0o17 }} {{ 0b101 }} {{ 1_0.5e1_0 }} {{ .5 if false else 0.5 }}",
        "{% if %}{% endif %}", "{% for x in %}{% endfor %}", "{{ 1 +}}", "{% endif %}", "{% if true %}", "{{ x", "{# open",
        "{% include 'other.jinja' %}", "{% extends 'base' %}",
        "{% break %}", "{{ x is defined is defined }}", "{{ 1 = 2 }}", "{% set 1 = 2 %}", "{{ 'unterminated }}",
    };

    @Test
    void snippetsRenderAsJinja2Does() {
        List<Map<String, Object>> cases = new ArrayList<>();
        for (String snippet : SNIPPETS) {
            Map<String, Object> kase = new LinkedHashMap<>();
            kase.put("kind", "raw");
            kase.put("template", snippet);
            kase.put("context", CONTEXT);
            cases.add(kase);
        }
        List<Map<String, Object>> expected = ReferenceRenderer.get().render(cases);
        List<String> mismatches = new ArrayList<>();
        int rendered = 0;
        for (int i = 0; i < SNIPPETS.length; i++) {
            String expectedText = (String) expected.get(i).get("text");
            String actual;
            try {
                Map<String, Object> extra = new LinkedHashMap<>(CONTEXT);
                extra.keySet().removeAll(List.of("messages", "tools", "documents", "add_generation_prompt"));
                actual = ChatTemplate.parse(SNIPPETS[i], "snippet " + i).render(List.of(), null, false, extra);
            } catch (ChatTemplateException e) {
                if (expectedText != null) {
                    mismatches.add(Json.write(SNIPPETS[i]) + "\n  Jinja2: " + Json.write(expectedText) + "\n  Euclid failed: "
                            + e.getMessage());
                }
                continue;
            }
            if (expectedText == null) {
                mismatches.add(Json.write(SNIPPETS[i]) + "\n  Jinja2 failed: " + expected.get(i).get("type") + ": "
                        + expected.get(i).get("error") + "\n  Euclid: " + Json.write(actual));
            } else if (!expectedText.equals(actual)) {
                mismatches.add(Json.write(SNIPPETS[i]) + "\n  Jinja2: " + Json.write(expectedText) + "\n  Euclid: "
                        + Json.write(actual));
            } else {
                rendered++;
            }
        }
        assertTrue(mismatches.isEmpty(), mismatches.size() + " of " + SNIPPETS.length + " snippets differ:\n\n"
                + String.join("\n\n", mismatches));
        assertTrue(rendered >= 90, "only " + rendered + " snippets rendered; most must render, not fail");
    }

    static Map<String, Object> context() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("messages", List.of());
        c.put("tools", null);
        c.put("documents", null);
        c.put("add_generation_prompt", false);
        c.put("xs", List.of(3L, 1L, 2L));
        c.put("d", Conversations.map("b", 2L, "a", 1L, "c", List.of(1L, 2L)));
        c.put("s", "Héllo, World 🌍");
        c.put("ws", "  a b  ");
        c.put("n", 7L);
        c.put("f", 2.5);
        c.put("z", 0L);
        c.put("e", "");
        c.put("nil", null);
        c.put("t", true);
        c.put("big", new java.math.BigInteger("12345678901234567890"));
        c.put("items", List.of(Conversations.map("name", "x", "v", 2L), Conversations.map("name", "Y", "v", 1L),
                Conversations.map("name", "z")));
        c.put("nested", Conversations.map("a", Conversations.map("b", Conversations.map("c", 5L))));
        return c;
    }
}
