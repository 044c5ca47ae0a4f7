package dev.euclid.server;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The chat template fixture for stories260K, which has none: a story model only continues text,
 * so the conversation's texts are joined with spaces ("Once upon a time" stays itself).
 */
final class StoryChatTemplate implements ChatPromptRenderer {
    @Override
    public String render(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::content).collect(Collectors.joining(" "));
    }
}
