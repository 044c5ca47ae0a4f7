package dev.euclid.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.Engine;
import dev.euclid.Request;
import dev.euclid.Sampling;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EuclidStreamingChatModelTest {
    private static final long SEED = 1;
    private static Engine engine;
    private static EuclidChatModel blocking;
    private static EuclidStreamingChatModel streaming;

    @BeforeAll
    static void open() {
        engine = StoryModel.open();
        blocking = EuclidChatModel.builder().engine(engine).chatTemplate(StoryModel.TEMPLATE).build();
        streaming = EuclidStreamingChatModel.builder().engine(engine).chatTemplate(StoryModel.TEMPLATE).build();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    /** Collects what a handler hears: partial texts, then the complete response or the error. */
    private static class Recorder implements StreamingChatResponseHandler {
        final List<String> partials = new CopyOnWriteArrayList<>();
        final CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        volatile int endings;

        @Override
        public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
            partials.add(partial.text());
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            endings++;
            done.complete(response);
        }

        @Override
        public void onError(Throwable error) {
            endings++;
            done.completeExceptionally(error);
        }

        ChatResponse response() throws Exception {
            return done.get(60, TimeUnit.SECONDS);
        }

        Throwable error() throws Exception {
            try {
                done.get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                return e.getCause();
            }
            throw new AssertionError("expected an error, got " + done.join());
        }
    }

    private static ChatRequest request(String text, ChatRequestParameters parameters) {
        return ChatRequest.builder().messages(UserMessage.from(text)).parameters(parameters).build();
    }

    @Test
    void streamedPiecesMakeTheBlockingReply() throws Exception {
        ChatRequest request = request("Once upon a time", ChatRequestParameters.builder().maxOutputTokens(80).build());
        ChatResponse expected = blocking.chat(request);
        assertEquals(StoryModel.expected(engine, "Once upon a time", 80).text(), expected.aiMessage().text());
        Recorder r = new Recorder();
        streaming.chat(request, r);
        ChatResponse streamed = r.response();
        assertTrue(r.partials.size() > 10, "one partial per token, got " + r.partials.size());
        assertEquals(expected.aiMessage().text(), String.join("", r.partials));
        assertEquals(expected.aiMessage().text(), streamed.aiMessage().text());
        assertEquals(expected.tokenUsage(), streamed.tokenUsage());
        assertEquals(expected.finishReason(), streamed.finishReason());
        Thread.sleep(100);
        assertEquals(1, r.endings);
    }

    @Test
    void stopSequenceIsHeldBackFromThePieces() throws Exception {
        ChatRequest request = request("Once upon a time",
                ChatRequestParameters.builder().maxOutputTokens(64).stopSequences(" the ").build());
        ChatResponse expected = blocking.chat(request);
        Recorder r = new Recorder();
        streaming.chat(request, r);
        assertEquals(expected.aiMessage().text(), r.response().aiMessage().text());
        assertEquals(expected.aiMessage().text(), String.join("", r.partials));
        assertFalse(String.join("", r.partials).contains(" the "));
    }

    @Test
    void badRequestsReachOnError() throws Exception {
        Recorder badTopK = new Recorder();
        streaming.chat(request("Once", ChatRequestParameters.builder().topK(-1).build()), badTopK);
        assertInstanceOf(IllegalArgumentException.class, badTopK.error());
        Recorder tooLong = new Recorder();
        streaming.chat(request("Once upon a time ".repeat(400), ChatRequestParameters.builder().build()), tooLong);
        Throwable error = tooLong.error();
        assertTrue(error.getMessage() != null && !error.getMessage().isEmpty(), String.valueOf(error));
        Recorder tool = new Recorder();
        streaming.chat(ChatRequest.builder().messages(UserMessage.from("Once")).toolSpecifications(
                dev.langchain4j.agent.tool.ToolSpecification.builder().name("t").build()).build(), tool);
        assertInstanceOf(UnsupportedFeatureException.class, tool.error());
        assertTrue(tooLong.partials.isEmpty());
    }

    @Test
    void failingHandlerEndsTheRequestWithItsError() throws Exception {
        Recorder r = new Recorder() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                super.onPartialResponse(partial, context);
                throw new IllegalStateException("handler broke");
            }
        };
        streaming.chat(request("Once upon a time", ChatRequestParameters.builder().maxOutputTokens(200).build()), r);
        assertEquals("handler broke", r.error().getMessage());
        assertEquals(1, r.partials.size());
        awaitNoBlocksUsed();
    }

    @Test
    void cancellingThroughTheHandleStopsTheRequestAndFreesItsBlocks() throws Exception {
        CompletableFuture<Void> cancelled = new CompletableFuture<>();
        Recorder r = new Recorder() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                super.onPartialResponse(partial, context);
                if (partials.size() == 3) {
                    context.streamingHandle().cancel();
                    assertTrue(context.streamingHandle().isCancelled());
                    cancelled.complete(null);
                }
            }
        };
        EuclidChatRequestParameters parameters = EuclidChatRequestParameters.builder().temperature(1.0).seed(SEED)
                .maxOutputTokens(400).build();
        int fullLength = engine.generate(Request.builder().prompt("Once upon a time").maxTokens(400)
                .sampling(Sampling.builder().temperature(1.0f).seed(SEED).build()).build()).tokenIds().length;
        assertTrue(fullLength > 200, "the uncancelled reply should be long, is " + fullLength);
        long generatedBefore = engine.metrics().generatedTokens();
        streaming.chat(request("Once upon a time", parameters), r);
        cancelled.get(60, TimeUnit.SECONDS);
        awaitNoBlocksUsed();
        Thread.sleep(200);
        assertEquals(0, r.endings, "a cancelled stream ends silently");
        assertEquals(3, r.partials.size());
        long generated = engine.metrics().generatedTokens() - generatedBefore;
        assertTrue(generated < fullLength, "the engine stopped early: " + generated + " of " + fullLength + " tokens");
    }

    private static void awaitNoBlocksUsed() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (engine.kvStats().usedBlocks() > 0) {
            if (System.nanoTime() > deadline) throw new AssertionError("KV blocks still used: " + engine.kvStats());
            Thread.sleep(10);
        }
    }
}
