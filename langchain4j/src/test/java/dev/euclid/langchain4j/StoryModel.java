package dev.euclid.langchain4j;

import dev.euclid.Completion;
import dev.euclid.Engine;
import dev.euclid.Request;
import dev.euclid.chat.ChatTemplate;
import dev.euclid.testing.SharedModels;

/**
 * stories260K and a chat template for it: a story model only continues text and ships no template,
 * so the conversation's texts are joined with spaces ("Once upon a time" stays itself).
 */
final class StoryModel {
    static final ChatTemplate TEMPLATE = ChatTemplate.parse(
            "{% for m in messages %}{% if not loop.first %} {% endif %}{{ m.content }}{% endfor %}", "story");

    private StoryModel() {
    }

    static Engine open() {
        return Engine.open(SharedModels.models().resolve("stories260K/stories260K.bin"));
    }

    /** What the in-process API gives for the rendered prompt, BOS added by the engine as for any text prompt. */
    static Completion expected(Engine engine, String prompt, int maxTokens) {
        return engine.generate(Request.builder().prompt(prompt).maxTokens(maxTokens).build());
    }
}
