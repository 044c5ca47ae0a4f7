package dev.euclid.chat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Renders every conversation of {@link Conversations} (with and without the generation prompt)
 * through each model folder's chat template, in Euclid and in transformers, and compares them:
 * the same text byte for byte, or an error on both sides (with the same message when the
 * template itself raises).
 */
final class ParityCheck {
    /** A model folder to check and how many conversations must render (not raise) for the check to count. */
    record Folder(String name, Path path, int minimumRendered) {}

    /** What one folder's check found. */
    record Outcome(Folder folder, int cases, Set<String> renderedConversations, List<String> mismatches) {
        void assertPassed() {
            assertTrue(mismatches.isEmpty(), folder.name() + ": " + mismatches.size() + " of " + cases
                    + " renderings differ from transformers; first ones:\n" + String.join("\n\n",
                    mismatches.subList(0, Math.min(5, mismatches.size()))));
            assertTrue(renderedConversations.size() >= folder.minimumRendered(), folder.name() + ": only "
                    + renderedConversations.size() + " conversations rendered without error, expected at least "
                    + folder.minimumRendered());
        }
    }

    private ParityCheck() {}

    static List<Outcome> run(List<Folder> folders) {
        List<Conversations.Conversation> conversations = Conversations.all();
        List<Map<String, Object>> cases = new ArrayList<>();
        for (Folder folder : folders) {
            for (Conversations.Conversation c : conversations) {
                for (boolean prompt : new boolean[] {false, true}) {
                    Map<String, Object> kase = new LinkedHashMap<>();
                    kase.put("kind", "model");
                    kase.put("folder", folder.path().toString());
                    kase.put("messages", c.messages());
                    kase.put("tools", c.tools());
                    kase.put("add_generation_prompt", prompt);
                    kase.put("extra", c.extra());
                    cases.add(kase);
                }
            }
        }
        List<Map<String, Object>> expected = ReferenceRenderer.get().render(cases);
        List<Outcome> outcomes = new ArrayList<>();
        int k = 0;
        for (Folder folder : folders) {
            Optional<ChatTemplate> template = ChatTemplate.fromModel(folder.path());
            Set<String> rendered = new HashSet<>();
            List<String> mismatches = new ArrayList<>();
            for (Conversations.Conversation c : conversations) {
                for (boolean prompt : new boolean[] {false, true}) {
                    Map<String, Object> reference = expected.get(k++);
                    String label = folder.name() + " / " + c.name() + " / add_generation_prompt=" + prompt;
                    String mismatch = compare(label, template, c, prompt, reference);
                    if (mismatch != null) mismatches.add(mismatch);
                    else if (reference.containsKey("text")) rendered.add(c.name());
                }
            }
            outcomes.add(new Outcome(folder, conversations.size() * 2, rendered, mismatches));
            System.out.printf("%s: %d cases, %d conversations rendered, %d differences (reference: %s)%n", folder.name(),
                    conversations.size() * 2, rendered.size(), mismatches.size(), ReferenceRenderer.get().reference());
        }
        return outcomes;
    }

    /** Null when Euclid agrees with the reference, else a description of the difference. */
    private static String compare(String label, Optional<ChatTemplate> template, Conversations.Conversation c,
            boolean prompt, Map<String, Object> reference) {
        String expectedText = (String) reference.get("text");
        if (template.isEmpty()) {
            return expectedText == null ? null : label + ": Euclid found no chat template, transformers rendered "
                    + Json.write(expectedText);
        }
        String actual;
        try {
            actual = template.get().render(c.messages(), c.tools(), prompt, c.extra());
        } catch (ChatTemplateException e) {
            if (expectedText != null) return label + ": Euclid failed (" + e.getMessage() + "), transformers rendered "
                    + Json.write(expectedText);
            if ("TemplateError".equals(reference.get("type")) && !e.reason().equals(reference.get("error"))) {
                return label + ": the template raised " + Json.write(reference.get("error")) + " in transformers but "
                        + Json.write(e.reason()) + " in Euclid";
            }
            return null;
        }
        if (expectedText == null) {
            return label + ": transformers failed (" + reference.get("type") + ": " + reference.get("error")
                    + ") but Euclid rendered " + Json.write(actual);
        }
        if (expectedText.equals(actual)) return null;
        int at = 0;
        while (at < Math.min(actual.length(), expectedText.length()) && actual.charAt(at) == expectedText.charAt(at)) at++;
        int from = Math.max(0, at - 60);
        return label + ": first difference at char " + at + "\n  transformers: "
                + Json.write(expectedText.substring(from, Math.min(expectedText.length(), at + 60)))
                + "\n  euclid:       " + Json.write(actual.substring(from, Math.min(actual.length(), at + 60)));
    }
}
