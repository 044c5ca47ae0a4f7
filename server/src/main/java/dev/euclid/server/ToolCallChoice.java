package dev.euclid.server;

import dev.euclid.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * A chat choice whose tool calls are read out of its answer, on the wire: whole
 * ({@code message.tool_calls}) or streamed ({@code delta.tool_calls} chunks; one instance per
 * streamed choice). A choice that made a call finishes with "tool_calls", whatever stopped the model.
 */
final class ToolCallChoice {
    static final String FINISH = "tool_calls";

    private final ToolCallStream stream;
    private final ResponseMeta meta;
    private final int index;
    private final boolean usageField;
    private final Tokenizer tokenizer;

    ToolCallChoice(ToolCallParser parser, ResponseMeta meta, int index, boolean usageField, Tokenizer tokenizer) {
        this.stream = new ToolCallStream(parser.scanner());
        this.meta = meta;
        this.index = index;
        this.usageField = usageField;
        this.tokenizer = tokenizer;
    }

    /** A finished answer as a non-streamed choice. */
    static OpenAiJson.Choice whole(ToolCallParser parser, int index, String text, String finishReason,
            List<TokenLogprob> logprobs) {
        ToolCallStream.Reply reply = ToolCallStream.parse(parser.scanner(), text);
        return new OpenAiJson.Choice(index, reply.content(), reply.calls(), reply.calls().isEmpty() ? finishReason : FINISH,
                logprobs, 0);
    }

    /**
     * The chunks for a token's text: the content and calls it settles. Its logprobs go out at once,
     * with content or without, even while its text is held back.
     */
    List<JsonBody> token(String text, List<TokenLogprob> logprobs) {
        return chunks(stream.add(text), logprobs);
    }

    /** The last chunks: what the answer's end settles ({@code rest}: text not yet given to {@link #token}), then the finish reason. */
    List<JsonBody> finish(String rest, String finishReason) {
        List<ToolCallStream.Piece> pieces = new ArrayList<>(stream.add(rest));
        pieces.addAll(stream.finish());
        List<JsonBody> out = chunks(pieces, null);
        out.add(OpenAiJson.chunk(Api.CHAT, meta, index, "", false, null, 0, stream.called() ? FINISH : finishReason,
                usageField, tokenizer));
        return out;
    }

    private List<JsonBody> chunks(List<ToolCallStream.Piece> pieces, List<TokenLogprob> logprobs) {
        List<JsonBody> out = new ArrayList<>();
        for (ToolCallStream.Piece p : pieces) {
            if (p instanceof ToolCallStream.Text t) {
                out.add(content(t.text(), logprobs));
                logprobs = null;
            } else {
                ToolCallStream.Call c = (ToolCallStream.Call) p;
                out.add(OpenAiJson.toolCallChunk(meta, index, c.index(), c.call(), true, usageField));
                out.add(OpenAiJson.toolCallChunk(meta, index, c.index(), c.call(), false, usageField));
            }
        }
        if (logprobs != null) out.add(0, content("", logprobs));
        return out;
    }

    private JsonBody content(String text, List<TokenLogprob> logprobs) {
        return OpenAiJson.chunk(Api.CHAT, meta, index, text, false, logprobs, 0, null, usageField, tokenizer);
    }
}
