package dev.euclid.solver;

import dev.euclid.solver.answer.AnswerFormat;
import dev.euclid.solver.tool.ToolSyntax;

/**
 * How a {@link Solver} works a problem. Start from a strategy's preset and change what differs:
 * {@code SolverConfig.scTir().withSamples(16).withDepth(2)}.
 *
 * @param samples N, samples per problem
 * @param depth M, code runs per sample at most (0 for chain of thought)
 * @param finishAfter K: the problem ends once K samples have finished (N = wait for all)
 * @param maxTokensPerTurn tokens a sample may generate between two tool calls
 * @param tools how the model writes tool calls, or null for none
 * @param earlyStop stop the remaining samples once the leading answer cannot be overtaken
 * @param pruneFailedCode samples whose last code run failed do not vote (NuminaMath's rule)
 * @param seed the run's seed: each problem's samples are seeded from it and the problem's id
 */
public record SolverConfig(Strategy strategy, int samples, int depth, int finishAfter, float temperature, float topP,
        int maxTokensPerTurn, PromptTemplate prompt, ToolSyntax tools, AnswerFormat answers, ExecutionLimits limits,
        boolean earlyStop, boolean pruneFailedCode, BallotWeight weight, long seed) {

    public SolverConfig {
        if (strategy == null || prompt == null || answers == null || limits == null || weight == null) {
            throw new IllegalArgumentException("strategy, prompt, answers, limits and weight must be set");
        }
        if (samples < 1) throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        if (depth < 0) throw new IllegalArgumentException("depth must be >= 0, got " + depth);
        if (finishAfter < 1 || finishAfter > samples) {
            throw new IllegalArgumentException("finishAfter must be in 1.." + samples + ", got " + finishAfter);
        }
        if (maxTokensPerTurn < 1) throw new IllegalArgumentException("maxTokensPerTurn must be >= 1, got " + maxTokensPerTurn);
        if (depth > 0 && tools == null) throw new IllegalArgumentException("depth " + depth + " needs a tool syntax");
        if (!(temperature >= 0)) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
    }

    /** NuminaMath's SC-TIR: N=48, M=4, temperature 0.8, integer answers mod 1000, failed code pruned. */
    public static SolverConfig scTir() {
        return new SolverConfig(Strategy.SC_TIR, 48, 4, 48, 0.8f, 1.0f, 1024, PromptTemplate.numinaTir(),
                ToolSyntax.fencedPython(), AnswerFormat.aimo(), ExecutionLimits.defaults(), true, true,
                BallotWeight.uniform(), 0);
    }

    /** NemoSkills-style: 12 samples, done once 10 have finished, tool calls as ```python blocks. */
    public static SolverConfig nemoSkills() {
        return new SolverConfig(Strategy.NEMO, 12, 6, 10, 0.7f, 0.95f, 2048, PromptTemplate.toolUse(),
                ToolSyntax.fencedPython(), AnswerFormat.aimo(), ExecutionLimits.defaults(), false, false,
                BallotWeight.uniform(), 0);
    }

    /** Self-consistency chain of thought: 16 samples, no tools. */
    public static SolverConfig chainOfThought() {
        return new SolverConfig(Strategy.COT, 16, 0, 16, 0.7f, 0.95f, 2048, PromptTemplate.chainOfThought(), null,
                AnswerFormat.aimo(), ExecutionLimits.defaults(), true, false, BallotWeight.uniform(), 0);
    }

    /** The preset of {@code strategy}. */
    public static SolverConfig of(Strategy strategy) {
        return switch (strategy) {
            case SC_TIR -> scTir();
            case NEMO -> nemoSkills();
            case COT -> chainOfThought();
        };
    }

    /** N samples; K (finishAfter) follows when it was N, or when it would exceed N. */
    public SolverConfig withSamples(int n) {
        int k = finishAfter == samples || finishAfter > n ? n : finishAfter;
        return new SolverConfig(strategy, n, depth, k, temperature, topP, maxTokensPerTurn, prompt, tools, answers,
                limits, earlyStop, pruneFailedCode, weight, seed);
    }

    public SolverConfig withDepth(int m) {
        return new SolverConfig(strategy, samples, m, finishAfter, temperature, topP, maxTokensPerTurn, prompt, tools,
                answers, limits, earlyStop, pruneFailedCode, weight, seed);
    }

    public SolverConfig withFinishAfter(int k) {
        return new SolverConfig(strategy, samples, depth, k, temperature, topP, maxTokensPerTurn, prompt, tools,
                answers, limits, earlyStop, pruneFailedCode, weight, seed);
    }

    public SolverConfig withSampling(float temperature, float topP) {
        return new SolverConfig(strategy, samples, depth, finishAfter, temperature, topP, maxTokensPerTurn, prompt,
                tools, answers, limits, earlyStop, pruneFailedCode, weight, seed);
    }

    public SolverConfig withMaxTokensPerTurn(int n) {
        return new SolverConfig(strategy, samples, depth, finishAfter, temperature, topP, n, prompt, tools, answers,
                limits, earlyStop, pruneFailedCode, weight, seed);
    }

    public SolverConfig withPrompt(PromptTemplate p) {
        return new SolverConfig(strategy, samples, depth, finishAfter, temperature, topP, maxTokensPerTurn, p, tools,
                answers, limits, earlyStop, pruneFailedCode, weight, seed);
    }

    public SolverConfig withTools(ToolSyntax t) {
        return new SolverConfig(strategy, samples, depth, finishAfter, temperature, topP, maxTokensPerTurn, prompt, t,
                answers, limits, earlyStop, pruneFailedCode, weight, seed);
    }

    public SolverConfig withAnswers(AnswerFormat a) {
        return new SolverConfig(strategy, samples, depth, finishAfter, temperature, topP, maxTokensPerTurn, prompt,
                tools, a, limits, earlyStop, pruneFailedCode, weight, seed);
    }

    public SolverConfig withLimits(ExecutionLimits l) {
        return new SolverConfig(strategy, samples, depth, finishAfter, temperature, topP, maxTokensPerTurn, prompt,
                tools, answers, l, earlyStop, pruneFailedCode, weight, seed);
    }

    public SolverConfig withEarlyStop(boolean on) {
        return new SolverConfig(strategy, samples, depth, finishAfter, temperature, topP, maxTokensPerTurn, prompt,
                tools, answers, limits, on, pruneFailedCode, weight, seed);
    }

    public SolverConfig withPruneFailedCode(boolean on) {
        return new SolverConfig(strategy, samples, depth, finishAfter, temperature, topP, maxTokensPerTurn, prompt,
                tools, answers, limits, earlyStop, on, weight, seed);
    }

    public SolverConfig withWeight(BallotWeight w) {
        return new SolverConfig(strategy, samples, depth, finishAfter, temperature, topP, maxTokensPerTurn, prompt,
                tools, answers, limits, earlyStop, pruneFailedCode, w, seed);
    }

    public SolverConfig withSeed(long s) {
        return new SolverConfig(strategy, samples, depth, finishAfter, temperature, topP, maxTokensPerTurn, prompt,
                tools, answers, limits, earlyStop, pruneFailedCode, weight, s);
    }
}
