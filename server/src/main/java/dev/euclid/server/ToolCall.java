package dev.euclid.server;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A tool call read from a model's answer, as OpenAI's API returns it.
 *
 * @param id the call's id, which the client's tool result names in {@code tool_call_id}
 * @param name the function's name
 * @param arguments the arguments: a JSON object, as a string
 */
record ToolCall(String id, String name, String arguments) {
    private static final String ID_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /** A call with a fresh id: "call_" and 24 random letters and digits, the shape of OpenAI's ids. */
    static ToolCall of(String name, String arguments) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder id = new StringBuilder("call_");
        for (int i = 0; i < 24; i++) id.append(ID_CHARACTERS.charAt(random.nextInt(ID_CHARACTERS.length())));
        return new ToolCall(id.toString(), name, arguments);
    }
}
