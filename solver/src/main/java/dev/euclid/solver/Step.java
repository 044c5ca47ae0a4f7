package dev.euclid.solver;

/**
 * One turn of a sample: what the model wrote, and the tool call it ended with if any.
 *
 * @param text the model's text in this turn (the stop string that ended it included)
 * @param tokens tokens generated in this turn
 * @param code the code of the call the turn ended with, or null
 * @param result what running the code gave, or null (no call, or stopped before it ran)
 * @param appended the text fed back to the model after the call, or null
 */
public record Step(String text, int tokens, String code, ExecutionResult result, String appended) {}
