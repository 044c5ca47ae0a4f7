package dev.euclid.cli;

import picocli.CommandLine.Option;

/** Speculative decoding options shared by generate and bench. */
final class SpeculationArgs {
    @Option(names = "--speculative", defaultValue = "off",
            description = "off or lookup (prompt-lookup drafts, verified in the same step; output unchanged)")
    String mode;

    @Option(names = "--draft-tokens", defaultValue = "4", description = "Draft tokens per step (default ${DEFAULT-VALUE})")
    int draftTokens;

    int draftTokens() {
        return switch (mode) {
            case "off" -> 0;
            case "lookup" -> draftTokens;
            case "redrafter" -> throw new IllegalArgumentException("--speculative redrafter is not available yet; use lookup");
            default -> throw new IllegalArgumentException("unknown --speculative mode '" + mode + "' (off, lookup)");
        };
    }
}
