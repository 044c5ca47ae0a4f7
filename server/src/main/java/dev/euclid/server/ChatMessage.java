package dev.euclid.server;

/**
 * One message of a chat request, as a chat template sees it.
 *
 * @param role "system", "developer", "user", "assistant" or "tool"
 * @param content the message text (an array of text parts is joined)
 */
public record ChatMessage(String role, String content) {
    public ChatMessage {
        java.util.Objects.requireNonNull(role, "role");
        java.util.Objects.requireNonNull(content, "content");
    }
}
