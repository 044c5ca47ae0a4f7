package dev.euclid.server;

import dev.euclid.Speculation;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link EuclidServer} listens and what it accepts.
 *
 * @param host address to bind; loopback unless told otherwise
 * @param port TCP port; 0 picks a free one ({@link EuclidServer#address()} tells which)
 * @param apiKey when set, every endpoint but {@code /health} needs {@code Authorization: Bearer KEY}
 * @param maxConcurrent generation requests submitted to the engine at once
 * @param maxQueue generation requests waiting for a place; more get 429 with Retry-After
 * @param maxBodyBytes largest request body; a larger one gets 413 without being read
 * @param servedModelName the model's name in {@code /v1/models} and in requests' {@code model}
 * @param chat how chat messages become a prompt; null (the default): the model's own chat template,
 *     else {@link ChatMlRenderer}
 * @param shutdownGrace how long shutdown lets running requests finish before cancelling them
 * @param speculation how requests that do not say ({@code "speculative"}) draft tokens
 * @param toolCallParser how tool calls are read out of chat answers when a request offers tools;
 *     null (the default): the syntax the chat template teaches ({@link ToolCallParser#forTemplate})
 */
public record ServerOptions(String host, int port, String apiKey, int maxConcurrent, int maxQueue, long maxBodyBytes,
        String servedModelName, ChatPromptRenderer chat, Duration shutdownGrace, Speculation speculation,
        ToolCallParser toolCallParser) {
    public ServerOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(servedModelName, "servedModelName");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(speculation, "speculation");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        if (apiKey != null && apiKey.isBlank()) throw new IllegalArgumentException("the API key must not be blank");
        if (maxConcurrent < 1) throw new IllegalArgumentException("maxConcurrent must be >= 1, got " + maxConcurrent);
        if (maxQueue < 0) throw new IllegalArgumentException("maxQueue must be >= 0, got " + maxQueue);
        if (maxBodyBytes < 1) throw new IllegalArgumentException("maxBodyBytes must be >= 1, got " + maxBodyBytes);
        if (servedModelName.isBlank()) throw new IllegalArgumentException("the served model name must not be blank");
        if (shutdownGrace.isNegative()) throw new IllegalArgumentException("shutdownGrace must be >= 0, got " + shutdownGrace);
    }

    /**
     * 127.0.0.1:8000, no key, 64 running + 256 waiting, 8 MiB bodies, the model's chat template (else
     * ChatML), 30 s to finish on shutdown, no drafts, tool calls read in the template's syntax.
     */
    public static ServerOptions defaults(String servedModelName) {
        return new ServerOptions("127.0.0.1", 8000, null, 64, 256, 8L << 20, servedModelName, null,
                Duration.ofSeconds(30), Speculation.off(), null);
    }

    public ServerOptions withAddress(String host, int port) {
        return new ServerOptions(host, port, apiKey, maxConcurrent, maxQueue, maxBodyBytes, servedModelName, chat, shutdownGrace,
                speculation, toolCallParser);
    }

    public ServerOptions withApiKey(String apiKey) {
        return new ServerOptions(host, port, apiKey, maxConcurrent, maxQueue, maxBodyBytes, servedModelName, chat, shutdownGrace,
                speculation, toolCallParser);
    }

    public ServerOptions withLimits(int maxConcurrent, int maxQueue, long maxBodyBytes) {
        return new ServerOptions(host, port, apiKey, maxConcurrent, maxQueue, maxBodyBytes, servedModelName, chat, shutdownGrace,
                speculation, toolCallParser);
    }

    public ServerOptions withChat(ChatPromptRenderer chat) {
        return new ServerOptions(host, port, apiKey, maxConcurrent, maxQueue, maxBodyBytes, servedModelName, chat, shutdownGrace,
                speculation, toolCallParser);
    }

    public ServerOptions withShutdownGrace(Duration shutdownGrace) {
        return new ServerOptions(host, port, apiKey, maxConcurrent, maxQueue, maxBodyBytes, servedModelName, chat, shutdownGrace,
                speculation, toolCallParser);
    }

    public ServerOptions withSpeculation(Speculation speculation) {
        return new ServerOptions(host, port, apiKey, maxConcurrent, maxQueue, maxBodyBytes, servedModelName, chat, shutdownGrace,
                speculation, toolCallParser);
    }

    public ServerOptions withToolCallParser(ToolCallParser toolCallParser) {
        return new ServerOptions(host, port, apiKey, maxConcurrent, maxQueue, maxBodyBytes, servedModelName, chat, shutdownGrace,
                speculation, toolCallParser);
    }
}
