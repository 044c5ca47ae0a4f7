package dev.euclid;

/** Why a generation ended. */
public enum FinishReason {
    /** The model produced a stop token or a stop string. */
    STOP("stop"),
    /** The request's max tokens, or the model context, was reached. */
    LENGTH("length"),
    /** The request's {@link GroupStop} stopped this sample when enough other samples had finished. */
    GROUP_STOP("group_stop"),
    /** The sample was cancelled through {@link RequestHandle#cancel(int)}. */
    CANCELLED("cancelled");

    private final String wireName;

    FinishReason(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in JSON output ("stop", "length"), as in OpenAI-style APIs. */
    public String wireName() {
        return wireName;
    }
}
