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
        return new ToolCall("call_" + randomCharacters(24), name, arguments);
    }

    /**
     * This call with a fresh id of 9 letters and digits: Mistral's templates refuse any other when the
     * conversation comes back with the call in it (vLLM's mistral parser makes the same ids).
     */
    ToolCall withNineCharacterId() {
        return new ToolCall(randomCharacters(9), name, arguments);
    }

    private static String randomCharacters(int n) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder id = new StringBuilder(n);
        for (int i = 0; i < n; i++) id.append(ID_CHARACTERS.charAt(random.nextInt(ID_CHARACTERS.length())));
        return id.toString();
    }
}
