package dev.euclid.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.Completion;
import dev.euclid.Engine;
import dev.euclid.Request;
import dev.euclid.Sampling;
import dev.euclid.chat.ChatTemplate;
import dev.euclid.testing.SharedModels;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EuclidChatModelTest {
    private static Engine engine;
    private static EuclidChatModel model;

    @BeforeAll
    static void open() {
        engine = StoryModel.open();
        model = EuclidChatModel.builder().engine(engine).chatTemplate(StoryModel.TEMPLATE).build();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static ChatResponse chat(ChatRequestParameters parameters) {
        return model.chat(ChatRequest.builder()
                .messages(SystemMessage.from("Once upon a time"), UserMessage.from("there was"))
                .parameters(parameters).build());
    }

    @Test
    void greedyReplyHasTheInProcessTokens() {
        Completion expected = StoryModel.expected(engine, "Once upon a time there was", 48);
        ChatResponse r = chat(ChatRequestParameters.builder().temperature(0.0).maxOutputTokens(48).build());
        assertEquals(expected.text(), r.aiMessage().text());
        assertEquals(expected.promptTokenIds().length, r.tokenUsage().inputTokenCount());
        assertEquals(expected.tokenIds().length, r.tokenUsage().outputTokenCount());
        assertEquals(48, r.tokenUsage().outputTokenCount());
        assertEquals(FinishReason.LENGTH, r.finishReason());
        assertEquals("euclid", r.modelName());
    }

    @Test
    void aiServicesInterfaceGetsTheInProcessText() {
        Completion expected = StoryModel.expected(engine, "The little dog", 256);
        // The story ends on the model's stop token well inside the default 256 tokens.
        assertEquals(dev.euclid.FinishReason.STOP, expected.finishReason());
        Storyteller teller = AiServices.create(Storyteller.class, model);
        assertEquals(expected.text(), teller.continueStory("The little dog"));
        Result<String> result = teller.continueStoryWithUsage("The little dog");
        assertEquals(expected.text(), result.content());
        assertEquals(expected.tokenIds().length, result.tokenUsage().outputTokenCount());
        assertEquals(expected.promptTokenIds().length, result.tokenUsage().inputTokenCount());
        assertEquals(FinishReason.STOP, result.finishReason());
    }

    interface Storyteller {
        String continueStory(String opening);

        Result<String> continueStoryWithUsage(String opening);
    }

    @Test
    void samplingParametersAndSeedReachTheEngine() {
        Sampling sampling = Sampling.builder().temperature(0.9f).topP(0.9f).topK(40).seed(7).build();
        Completion expected = engine.generate(Request.builder().prompt("Once upon a time there was").maxTokens(40)
                .sampling(sampling).build());
        ChatResponse r = chat(EuclidChatRequestParameters.builder().temperature(0.9).topP(0.9).topK(40).seed(7L)
                .maxOutputTokens(40).build());
        assertEquals(expected.text(), r.aiMessage().text());
        ChatResponse otherSeed = chat(EuclidChatRequestParameters.builder().temperature(0.9).topP(0.9).topK(40).seed(8L)
                .maxOutputTokens(40).build());
        assertNotEquals(expected.text(), otherSeed.aiMessage().text());
    }

    @Test
    void defaultParametersApplyAndRequestParametersOverrideThem() {
        EuclidChatModel seeded = EuclidChatModel.builder().engine(engine).chatTemplate(StoryModel.TEMPLATE)
                .defaultRequestParameters(EuclidChatRequestParameters.builder().temperature(1.0).seed(3L).maxOutputTokens(30).build())
                .build();
        Completion expected = engine.generate(Request.builder().prompt("Once upon a time").maxTokens(30)
                .sampling(Sampling.builder().temperature(1.0f).seed(3).build()).build());
        assertEquals(expected.text(), seeded.chat("Once upon a time"));
        Completion greedy = StoryModel.expected(engine, "Once upon a time", 12);
        ChatResponse r = seeded.chat(ChatRequest.builder().messages(UserMessage.from("Once upon a time"))
                .parameters(ChatRequestParameters.builder().temperature(0.0).maxOutputTokens(12).build()).build());
        assertEquals(greedy.text(), r.aiMessage().text());
    }

    @Test
    void stopSequenceEndsTheReplyWithoutTheStopText() {
        Completion full = StoryModel.expected(engine, "Once upon a time there was", 64);
        int at = full.text().indexOf(" the ");
        assertTrue(at > 0, "the greedy story should contain ' the ': " + full.text());
        ChatResponse r = chat(ChatRequestParameters.builder().maxOutputTokens(64).stopSequences(" the ").build());
        assertEquals(full.text().substring(0, at), r.aiMessage().text());
        assertEquals(FinishReason.STOP, r.finishReason());
    }

    @Test
    void templateThatWritesBosIsNotGivenASecondOne() {
        // The Hugging Face copy of stories260K: its tokenizer turns the text "<s>" into the BOS id.
        try (Engine hf = Engine.open(SharedModels.models().resolve("stories260K-hf"))) {
            ChatTemplate withBos = ChatTemplate.parse("{{ bos_token }}" + StoryModel.TEMPLATE.source(), "story-bos",
                    Map.of("bos_token", "<s>"));
            EuclidChatModel m = EuclidChatModel.builder().engine(hf).chatTemplate(withBos).build();
            int[] ids = hf.tokenizer().encode("<s>Once upon a time", false);
            assertEquals(hf.tokenizer().bosId(), ids[0]);
            assertTrue(ids[1] != hf.tokenizer().bosId(), "one BOS");
            Completion expected = hf.generate(Request.builder().promptTokens(ids).maxTokens(20).build());
            ChatResponse r = m.chat(ChatRequest.builder().messages(UserMessage.from("Once upon a time"))
                    .maxOutputTokens(20).build());
            assertEquals(expected.text(), r.aiMessage().text());
            assertEquals(ids.length, r.tokenUsage().inputTokenCount());
            // Without the template's BOS, the model's is added: the same prompt ids.
            EuclidChatModel plain = EuclidChatModel.builder().engine(hf).chatTemplate(StoryModel.TEMPLATE).build();
            assertEquals(ids.length, plain.chat(ChatRequest.builder().messages(UserMessage.from("Once upon a time"))
                    .maxOutputTokens(20).build()).tokenUsage().inputTokenCount());
        }
    }

    @Test
    void unsupportedFeaturesAndBadParametersAreRefused() {
        ToolSpecification tool = ToolSpecification.builder().name("weather").description("the weather").build();
        UnsupportedFeatureException tools = assertThrows(UnsupportedFeatureException.class,
                () -> chat(ChatRequestParameters.builder().toolSpecifications(tool).build()));
        assertTrue(tools.getMessage().contains("tools"), tools.getMessage());
        UnsupportedFeatureException image = assertThrows(UnsupportedFeatureException.class, () -> model.chat(
                UserMessage.from(TextContent.from("what is this?"), ImageContent.from("https://example.com/cat.png"))));
        assertTrue(image.getMessage().contains("message 0"), image.getMessage());
        IllegalArgumentException topP = assertThrows(IllegalArgumentException.class,
                () -> chat(ChatRequestParameters.builder().topP(1.5).build()));
        assertTrue(topP.getMessage().contains("topP"), topP.getMessage());
    }

    @Test
    void modelWithoutTemplateNeedsOneAndAnEngineIsRequired() {
        IllegalStateException noTemplate = assertThrows(IllegalStateException.class,
                () -> EuclidChatModel.builder().engine(engine).build());
        assertTrue(noTemplate.getMessage().contains("chat template"), noTemplate.getMessage());
        IllegalStateException noEngine = assertThrows(IllegalStateException.class,
                () -> EuclidChatModel.builder().chatTemplate(StoryModel.TEMPLATE).build());
        assertTrue(noEngine.getMessage().contains("engine"), noEngine.getMessage());
    }
}
