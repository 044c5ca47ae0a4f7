package dev.euclid.server;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.euclid.Tokenizer;
import dev.euclid.TopLogprob;
import java.io.IOException;
import java.util.List;

/**
 * The response objects of OpenAI's completions and chat APIs, written field by field: whole
 * responses, stream chunks, usage and the error object.
 */
final class OpenAiJson {
    private OpenAiJson() {}

    /**
     * A finished choice. {@code text} is null when a chat answer is only tool calls; {@code toolCalls}
     * is empty when it made none; {@code logprobs} is null when not asked for.
     */
    record Choice(int index, String text, List<ToolCall> toolCalls, String finishReason, List<TokenLogprob> logprobs,
            int textOffset) {}

    record Usage(long promptTokens, long completionTokens) {}

    static JsonBody response(Api api, ResponseMeta meta, List<Choice> choices, Usage usage, Tokenizer tokenizer) {
        return g -> {
            g.writeStartObject();
            head(g, meta, api.object);
            g.writeArrayFieldStart("choices");
            for (Choice c : choices) {
                g.writeStartObject();
                g.writeNumberField("index", c.index());
                if (api == Api.CHAT) {
                    g.writeObjectFieldStart("message");
                    g.writeStringField("role", "assistant");
                    g.writeStringField("content", c.text());
                    if (!c.toolCalls().isEmpty()) toolCalls(g, c.toolCalls());
                    g.writeEndObject();
                } else {
                    g.writeStringField("text", c.text());
                }
                logprobs(g, api, c.logprobs(), c.textOffset(), tokenizer);
                g.writeStringField("finish_reason", c.finishReason());
                g.writeEndObject();
            }
            g.writeEndArray();
            usage(g, usage);
            g.writeEndObject();
        };
    }

    /**
     * A stream chunk of one choice: new text (chat: the first chunk also names the role), the
     * tokens' logprobs, or the finish reason. {@code usageField}: include_usage asks every chunk to
     * carry "usage": null until the last.
     */
    static JsonBody chunk(Api api, ResponseMeta meta, int index, String text, boolean role, List<TokenLogprob> logprobs,
            int textOffset, String finishReason, boolean usageField, Tokenizer tokenizer) {
        return g -> {
            g.writeStartObject();
            head(g, meta, api.chunkObject);
            g.writeArrayFieldStart("choices");
            g.writeStartObject();
            g.writeNumberField("index", index);
            if (api == Api.CHAT) {
                g.writeObjectFieldStart("delta");
                if (role) g.writeStringField("role", "assistant");
                if (role || !text.isEmpty() || finishReason == null) g.writeStringField("content", text);
                g.writeEndObject();
            } else {
                g.writeStringField("text", text);
            }
            logprobs(g, api, logprobs, textOffset, tokenizer);
            g.writeStringField("finish_reason", finishReason);
            g.writeEndObject();
            g.writeEndArray();
            if (usageField) g.writeNullField("usage");
            g.writeEndObject();
        };
    }

    /**
     * A stream chunk of one tool call of chat choice {@code index}: the call's {@code id}, type and
     * name with empty arguments ({@code header}), or its arguments, which clients append to the
     * header's.
     */
    static JsonBody toolCallChunk(ResponseMeta meta, int index, int callIndex, ToolCall call, boolean header,
            boolean usageField) {
        return g -> {
            g.writeStartObject();
            head(g, meta, Api.CHAT.chunkObject);
            g.writeArrayFieldStart("choices");
            g.writeStartObject();
            g.writeNumberField("index", index);
            g.writeObjectFieldStart("delta");
            g.writeArrayFieldStart("tool_calls");
            g.writeStartObject();
            g.writeNumberField("index", callIndex);
            if (header) {
                g.writeStringField("id", call.id());
                g.writeStringField("type", "function");
            }
            g.writeObjectFieldStart("function");
            if (header) g.writeStringField("name", call.name());
            g.writeStringField("arguments", header ? "" : call.arguments());
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeNullField("logprobs");
            g.writeNullField("finish_reason");
            g.writeEndObject();
            g.writeEndArray();
            if (usageField) g.writeNullField("usage");
            g.writeEndObject();
        };
    }

    /** The last chunk with stream_options.include_usage: no choices, the usage of the whole request. */
    static JsonBody usageChunk(Api api, ResponseMeta meta, Usage usage) {
        return g -> {
            g.writeStartObject();
            head(g, meta, api.chunkObject);
            g.writeArrayFieldStart("choices");
            g.writeEndArray();
            usage(g, usage);
            g.writeEndObject();
        };
    }

    static JsonBody error(ApiException e) {
        return g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeStringField("message", e.getMessage());
            g.writeStringField("type", e.type);
            g.writeStringField("param", e.param);
            g.writeStringField("code", e.code);
            g.writeEndObject();
            g.writeEndObject();
        };
    }

    private static void head(JsonGenerator g, ResponseMeta meta, String object) throws IOException {
        g.writeStringField("id", meta.id());
        g.writeStringField("object", object);
        g.writeNumberField("created", meta.created());
        g.writeStringField("model", meta.model());
    }

    /** A chat message's {@code tool_calls}: each call's arguments a JSON string, as in OpenAI's API. */
    private static void toolCalls(JsonGenerator g, List<ToolCall> calls) throws IOException {
        g.writeArrayFieldStart("tool_calls");
        for (ToolCall call : calls) {
            g.writeStartObject();
            g.writeStringField("id", call.id());
            g.writeStringField("type", "function");
            g.writeObjectFieldStart("function");
            g.writeStringField("name", call.name());
            g.writeStringField("arguments", call.arguments());
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void usage(JsonGenerator g, Usage usage) throws IOException {
        g.writeObjectFieldStart("usage");
        g.writeNumberField("prompt_tokens", usage.promptTokens());
        g.writeNumberField("completion_tokens", usage.completionTokens());
        g.writeNumberField("total_tokens", usage.promptTokens() + usage.completionTokens());
        g.writeEndObject();
    }

    /**
     * Completions: {"tokens", "token_logprobs", "top_logprobs", "text_offset"}; chat: {"content":
     * [{"token", "logprob", "bytes", "top_logprobs"}]}. Null when not asked for.
     */
    private static void logprobs(JsonGenerator g, Api api, List<TokenLogprob> tokens, int textOffset, Tokenizer tokenizer)
            throws IOException {
        if (tokens == null) {
            g.writeNullField("logprobs");
            return;
        }
        g.writeObjectFieldStart("logprobs");
        if (api == Api.CHAT) {
            g.writeArrayFieldStart("content");
            for (TokenLogprob t : tokens) {
                g.writeStartObject();
                chatToken(g, t.id(), t.logprob(), tokenizer);
                g.writeArrayFieldStart("top_logprobs");
                for (TopLogprob a : t.top()) {
                    g.writeStartObject();
                    chatToken(g, a.tokenId(), a.logprob(), tokenizer);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
        } else {
            g.writeArrayFieldStart("tokens");
            for (TokenLogprob t : tokens) g.writeString(TokenLogprob.text(tokenizer, t.id()));
            g.writeEndArray();
            g.writeArrayFieldStart("token_logprobs");
            for (TokenLogprob t : tokens) {
                if (t.scored()) g.writeNumber(t.logprob());
                else g.writeNull();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("top_logprobs");
            for (TokenLogprob t : tokens) {
                if (!t.scored()) {
                    g.writeNull();
                    continue;
                }
                g.writeStartObject();
                for (TopLogprob a : t.top()) g.writeNumberField(TokenLogprob.text(tokenizer, a.tokenId()), a.logprob());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("text_offset");
            int offset = textOffset;
            for (TokenLogprob t : tokens) {
                g.writeNumber(offset);
                offset += TokenLogprob.text(tokenizer, t.id()).length();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void chatToken(JsonGenerator g, int id, float logprob, Tokenizer tokenizer) throws IOException {
        g.writeStringField("token", TokenLogprob.text(tokenizer, id));
        g.writeNumberField("logprob", logprob);
        g.writeArrayFieldStart("bytes");
        for (byte b : tokenizer.tokenBytes(id)) g.writeNumber(b & 0xff);
        g.writeEndArray();
    }
}
