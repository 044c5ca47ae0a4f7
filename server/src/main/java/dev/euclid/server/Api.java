package dev.euclid.server;

/** The two generation endpoints: the same engine request, answered in two OpenAI shapes. */
enum Api {
    COMPLETIONS("/v1/completions", "cmpl-", "text_completion", "text_completion"),
    CHAT("/v1/chat/completions", "chatcmpl-", "chat.completion", "chat.completion.chunk");

    final String path;
    final String idPrefix;
    final String object;
    final String chunkObject;

    Api(String path, String idPrefix, String object, String chunkObject) {
        this.path = path;
        this.idPrefix = idPrefix;
        this.object = object;
        this.chunkObject = chunkObject;
    }
}
