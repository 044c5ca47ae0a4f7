package dev.euclid.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.Completion;
import dev.euclid.Request;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** LangChain4j's OpenAI chat models, as a Java application uses them, against the server (item 4a). */
class LangChain4jClientTest {
    private static final String KEY = "sk-langchain4j";
    private static ServerHarness h;

    @BeforeAll
    static void start() {
        h = ServerHarness.start(o -> o.withApiKey(KEY));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static Completion expected(String prompt, int maxTokens) {
        return h.engine.generate(Request.builder().prompt(prompt).maxTokens(maxTokens).build());
    }

    @Test
    void chatModelGetsTheGreedyAnswer() {
        OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(h.base + "/v1").apiKey(KEY).modelName(ServerHarness.MODEL)
                .temperature(0.0).maxTokens(48).timeout(Duration.ofSeconds(60)).build();
        Completion expected = expected("Once upon a time there was", 48);
        ChatResponse r = model.chat(ChatRequest.builder().messages(List.of(SystemMessage.from("Once upon a time"),
                UserMessage.from("there was"))).build());
        assertEquals(expected.text(), r.aiMessage().text());
        assertEquals(FinishReason.LENGTH, r.finishReason());
        assertEquals(expected.promptTokenIds().length, r.tokenUsage().inputTokenCount());
        assertEquals(48, r.tokenUsage().outputTokenCount());
        assertTrue(r.id().startsWith("chatcmpl-"), r.id());
        assertEquals(ServerHarness.MODEL, r.modelName());
        assertEquals(expected("Once upon a time", 48).text(), model.chat("Once upon a time"));
    }

    @Test
    void streamingChatModelGetsTheSameTokensPieceByPiece() throws Exception {
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(h.base + "/v1").apiKey(KEY)
                .modelName(ServerHarness.MODEL).temperature(0.0).maxTokens(64).timeout(Duration.ofSeconds(60)).build();
        Completion expected = expected("Once upon a time", 64);
        StringBuilder pieces = new StringBuilder();
        int[] count = {0};
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat("Once upon a time", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                pieces.append(partial);
                count[0]++;
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse r = done.get(60, TimeUnit.SECONDS);
        assertEquals(expected.text(), pieces.toString());
        assertEquals(expected.text(), r.aiMessage().text());
        assertTrue(count[0] > 10, "streamed in pieces, not at once: " + count[0]);
        assertEquals(FinishReason.LENGTH, r.finishReason());
    }

    @Test
    void aWrongKeyIsAnAuthenticationError() {
        OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(h.base + "/v1").apiKey("sk-wrong")
                .modelName(ServerHarness.MODEL).maxRetries(0).build();
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> model.chat("hi"));
        assertTrue(e.getClass().getSimpleName().contains("Authentication") || String.valueOf(e.getMessage()).contains("API key"),
                e.toString());
    }
}
