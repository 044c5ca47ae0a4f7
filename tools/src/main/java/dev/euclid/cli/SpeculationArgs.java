package dev.euclid.cli;

import dev.euclid.Speculation;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Speculative decoding options shared by generate and bench; fields are named as the API values they set. */
final class SpeculationArgs {
    @Option(names = "--speculative", defaultValue = "off", paramLabel = "MODE",
            description = "off, lookup (prompt-lookup drafts), redrafter (the --drafter file's beams), or for bench"
                    + " replay (the plain run's output proposed back, see --replay-accept-rate); drafts are verified in"
                    + " the same step and the output is unchanged")
    String mode;

    @Option(names = "--draft-tokens", defaultValue = "4", paramLabel = "K", description = "Draft tokens per step (per beam) (default ${DEFAULT-VALUE})")
    int draftTokens;

    @Option(names = "--beams", defaultValue = "4", paramLabel = "B", description = "Drafter beams, verified as one tree (default ${DEFAULT-VALUE})")
    int beams;

    @Option(names = "--speculative-step-tokens", defaultValue = "4", paramLabel = "N",
            description = "Tokens a step may verify, drafts included: a lone sequence's tree has this minus one (default ${DEFAULT-VALUE})")
    int speculativeStepTokens;

    @Option(names = "--drafter", paramLabel = "FILE", description = "Drafter file (from train-drafter) for --speculative redrafter")
    Path drafter;

    boolean replay() {
        return mode.equals("replay");
    }

    Speculation speculation() {
        Speculation s = switch (mode) {
            case "off" -> Speculation.off();
            case "lookup" -> Speculation.promptLookup(draftTokens);
            case "redrafter" -> Speculation.redrafter(draftTokens, beams);
            case "replay" -> throw new UsageException("--speculative replay is a benchmark drafter: bench only");
            default -> throw new UsageException("unknown --speculative mode '" + mode + "' (off, lookup, redrafter, replay)");
        };
        if ((s.kind() == Speculation.Kind.REDRAFTER) != (drafter != null)) {
            throw new UsageException("--drafter FILE goes with --speculative redrafter, and only with it");
        }
        return s;
    }
}
