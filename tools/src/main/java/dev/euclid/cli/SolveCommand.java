package dev.euclid.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.Engine;
import dev.euclid.chat.ChatTemplate;
import dev.euclid.solver.CodeExecutor;
import dev.euclid.solver.ExecutionLimits;
import dev.euclid.solver.Problem;
import dev.euclid.solver.PromptTemplate;
import dev.euclid.solver.Solver;
import dev.euclid.solver.SolverConfig;
import dev.euclid.solver.Strategy;
import dev.euclid.solver.answer.AnswerFormat;
import dev.euclid.solver.model.EngineBackend;
import dev.euclid.solver.model.ModelBackend;
import dev.euclid.solver.model.OpenAiBackend;
import dev.euclid.solver.run.DatasetRun;
import dev.euclid.solver.run.ProblemSet;
import dev.euclid.solver.run.ResultsFile;
import dev.euclid.solver.run.RunBudget;
import dev.euclid.solver.run.RunProgress;
import dev.euclid.solver.run.RunSummary;
import dev.euclid.solver.tool.ToolSyntax;
import dev.euclid.solver.sandbox.Sandboxes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "solve", mixinStandardHelpOptions = true,
        description = "Solve a JSONL problem set (id, problem, optional answer) with the AIMO winners' loops: SC-TIR"
                + " (NuminaMath), NemoSkills-style or self-consistency CoT. Results are appended to --out per problem;"
                + " the same command resumes a killed run. Writes a Markdown and PNG summary beside --out."
                + " --model may also be http://HOST:PORT, an OpenAI-compatible server (euclid serve, vLLM, ...).")
final class SolveCommand implements Callable<Integer> {
    @Option(names = "--problems", required = true, paramLabel = "FILE", description = "Problems, one JSON object per line")
    Path problems;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "Results JSONL (appended; ids already in it are skipped)")
    Path out;

    @Option(names = "--strategy", defaultValue = "sc-tir", paramLabel = "S", description = "sc-tir, nemo or cot (default ${DEFAULT-VALUE})")
    String strategy;

    @Option(names = "--samples", paramLabel = "N", description = "Samples per problem (default: sc-tir 48, nemo 12, cot 16)")
    Integer samples;

    @Option(names = "--depth", paramLabel = "M", description = "Code runs per sample at most (default: sc-tir 4, nemo 6)")
    Integer depth;

    @Option(names = "--finish-after", paramLabel = "K", description = "End a problem once K samples finished (default: nemo 10, else N)")
    Integer finishAfter;

    @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature (default: sc-tir 0.8, else 0.7)")
    Float temperature;

    @Option(names = "--top-p", paramLabel = "P", description = "Nucleus sampling (default: sc-tir 1.0, else 0.95)")
    Float topP;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Tokens per turn, between tool calls (default: sc-tir 1024, else 2048)")
    Integer maxTokens;

    @Option(names = "--time-budget", paramLabel = "D", converter = DurationArgument.class,
            description = "The whole run's time (e.g. 9h), re-planned before each problem: equal share of what is left,"
                    + " at least a quarter and at most twice the first share")
    Duration timeBudget;

    @Option(names = "--problem-budget", paramLabel = "D", converter = DurationArgument.class,
            description = "The most one problem may take (with --time-budget: the cap of its share)")
    Duration problemBudget;

    @Option(names = "--answer-mod", paramLabel = "M", description = "Integer answers, reduced mod M (default 1000, AIMO; 0 = not reduced)")
    Long answerMod;

    @Option(names = "--any-answers", description = "Answers may be fractions or expressions (MATH-style), not only integers")
    boolean anyAnswers;

    @Option(names = "--no-early-stop", description = "Let every sample finish even when the vote is decided")
    boolean noEarlyStop;

    @Option(names = "--prompt-template", paramLabel = "FILE", description = "Prompt text with {problem} where the problem goes")
    Path promptTemplate;

    @Option(names = "--chat", description = "Ask each problem (the prompt template's text) as the user message of the"
            + " model's chat template, for chat models; the template's special tokens are not added twice (default: the"
            + " prompt as it is, for base and TIR models)")
    boolean chat;

    @Option(names = "--tool-tags", paramLabel = "OPEN,CLOSE,OUT_OPEN,OUT_CLOSE", split = ",",
            description = "Tool calls between tags in the model's own syntax, e.g. <tool_call>,</tool_call>,<tool_response>,</tool_response>"
                    + " (default: ```python blocks answered by ```output blocks)")
    List<String> toolTags;

    @Option(names = "--seed", defaultValue = "0", description = "Run seed; samples are seeded from it, the problem id and the sample (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--executor", defaultValue = "local", paramLabel = "SPEC",
            description = "Where code runs: local (sandboxed), local-unisolated, or http://HOST:PORT (a NeMo-Skills sandbox) (default ${DEFAULT-VALUE})")
    String executor;

    @Option(names = "--code-timeout", defaultValue = "10", paramLabel = "S", description = "Wall-clock seconds per code run (default ${DEFAULT-VALUE})")
    double codeTimeout;

    @Option(names = "--code-memory", defaultValue = "2147483648", paramLabel = "BYTES", description = "Address space per code run (default ${DEFAULT-VALUE})")
    long codeMemory;

    @Option(names = "--served-model", paramLabel = "NAME", description = "With --model http://...: the model's name (default: the server's first)")
    String servedModel;

    @Option(names = "--api-key", paramLabel = "KEY", description = "With --model http://...: bearer token (default: env OPENAI_API_KEY)")
    String apiKey;

    @Mixin EngineArgs engineArgs;

    @Mixin KvArgs kv;

    @Mixin SpeculationArgs speculation;

    @Override
    public Integer call() throws IOException {
        SolverConfig config = config();
        List<Problem> set = ProblemSet.read(problems);
        Engine engine = null;
        CodeExecutor python = null;
        try (ResultsFile results = new ResultsFile(out)) {
            // The executor first: it is cheap to open and refuses early (no isolation, a bad address).
            if (config.depth() > 0) python = Sandboxes.open(executor, config.limits());
            ModelBackend model;
            if (isServer(engineArgs.model)) {
                String key = apiKey != null ? apiKey : System.getenv("OPENAI_API_KEY");
                URI base = URI.create(engineArgs.model);
                model = new OpenAiBackend(base, servedModel != null ? servedModel : firstModel(base, key), key, config.tools(),
                        Duration.ofHours(1));
            } else {
                engine = engineArgs.open(kv, speculation);
                ChatTemplate template = null;
                if (chat) {
                    template = engine.chatTemplate().orElseThrow(() -> new UsageException("--chat: the model "
                            + engineArgs.model + " has no chat template"));
                }
                model = new EngineBackend(engine, speculation.speculation(), template);
            }
            RunBudget budget = timeBudget == null ? null : new RunBudget(timeBudget, set.size(), problemBudget);
            try (Solver solver = new Solver(model, python, config); LazyProgressBar bar = new LazyProgressBar("solve", set.size())) {
                new DatasetRun(solver).run(set, results, budget, p -> bar.update(status(p), p.done(), p.total()));
            }
            List<JsonNode> rows = results.list();
            Path md = sibling(".md"), png = sibling(".png");
            RunSummary.write(rows, md, png);
            System.err.println(summaryLine(rows) + "; summary in " + md + " and " + png);
            return ExitCode.OK;
        } finally {
            if (python != null) python.close();
            if (engine != null) engine.close();
        }
    }

    private SolverConfig config() throws IOException {
        Strategy s;
        try {
            s = Strategy.of(strategy);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--strategy: " + e.getMessage());
        }
        if (timeBudget == null && problemBudget != null) {
            // A per-problem limit alone: every problem gets it (a run budget of that much per problem).
            timeBudget = problemBudget.multipliedBy(Math.max(1, Files.readAllLines(problems).stream().filter(l -> !l.isBlank()).count()));
        }
        SolverConfig c = SolverConfig.of(s).withSeed(seed).withEarlyStop(!noEarlyStop && SolverConfig.of(s).earlyStop());
        if (samples != null) c = c.withSamples(positive("--samples", samples));
        if (depth != null) {
            if (depth < 0) throw new UsageException("--depth must be >= 0, got " + depth);
            if (depth > 0 && c.tools() == null) throw new UsageException("--depth: strategy cot runs no code");
            c = c.withDepth(depth);
        }
        if (finishAfter != null) {
            if (finishAfter < 1 || finishAfter > c.samples()) {
                throw new UsageException("--finish-after must be in 1.." + c.samples() + ", got " + finishAfter);
            }
            c = c.withFinishAfter(finishAfter);
        }
        if (temperature != null || topP != null) {
            float t = temperature != null ? temperature : c.temperature(), p = topP != null ? topP : c.topP();
            if (!(t >= 0)) throw new UsageException("--temperature must be >= 0, got " + t);
            if (!(p > 0 && p <= 1)) throw new UsageException("--top-p must be in (0, 1], got " + p);
            c = c.withSampling(t, p);
        }
        if (maxTokens != null) c = c.withMaxTokensPerTurn(positive("--max-tokens", maxTokens));
        if (anyAnswers && answerMod != null) throw new UsageException("--any-answers and --answer-mod do not go together");
        if (anyAnswers) c = c.withAnswers(AnswerFormat.any());
        if (answerMod != null) {
            if (answerMod < 0) throw new UsageException("--answer-mod must be >= 0, got " + answerMod);
            c = c.withAnswers(AnswerFormat.integers(answerMod));
        }
        if (toolTags != null) {
            if (c.tools() == null) throw new UsageException("--tool-tags: strategy cot runs no code");
            if (toolTags.size() != 4 || toolTags.stream().anyMatch(String::isBlank)) {
                throw new UsageException("--tool-tags needs 4 non-empty tags OPEN,CLOSE,OUT_OPEN,OUT_CLOSE, got " + toolTags);
            }
            c = c.withTools(ToolSyntax.tagged(toolTags.get(0), toolTags.get(1), toolTags.get(2), toolTags.get(3)));
        }
        if (chat && isServer(engineArgs.model)) {
            throw new UsageException("--chat needs a local model: a server applies its chat template in"
                    + " /v1/chat/completions, which cannot continue an answer with a tool's output");
        }
        if (promptTemplate != null) {
            String text = Files.readString(promptTemplate, StandardCharsets.UTF_8);
            if (!text.contains("{problem}")) throw new UsageException("--prompt-template " + promptTemplate + " has no {problem}");
            c = c.withPrompt(new PromptTemplate(text));
        }
        if (!(codeTimeout > 0)) throw new UsageException("--code-timeout must be > 0, got " + codeTimeout);
        if (codeMemory <= 0) throw new UsageException("--code-memory must be > 0, got " + codeMemory);
        return c.withLimits(new ExecutionLimits(Duration.ofNanos((long) (codeTimeout * 1e9)), codeMemory,
                ExecutionLimits.defaults().outputBytes()));
    }

    private static int positive(String flag, int value) {
        if (value < 1) throw new UsageException(flag + " must be >= 1, got " + value);
        return value;
    }

    static boolean isServer(String model) {
        return model.startsWith("http://") || model.startsWith("https://");
    }

    /** The id of the first model a server lists at /v1/models. */
    private static String firstModel(URI base, String key) throws IOException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/+$", "") + "/v1/models"))
                .timeout(Duration.ofSeconds(30));
        if (key != null) r.header("Authorization", "Bearer " + key);
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode id = new ObjectMapper().readTree(response.body()).path("data").path(0).path("id");
            if (response.statusCode() != 200 || !id.isTextual()) {
                throw new IOException(base + "/v1/models: HTTP " + response.statusCode() + ", no model listed; name one with --served-model");
            }
            return id.asText();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted asking " + base + " for its models", e);
        }
    }

    /** The progress bar's message: accuracy so far, tokens/s, the run budget's time left. */
    private static String status(RunProgress p) {
        String acc = p.graded() == 0 ? "acc n/a" : String.format(Locale.ROOT, "acc %d/%d", p.correct(), p.graded());
        String left = p.left() == null ? "" : String.format(Locale.ROOT, " · %dh%02dm left", p.left().toHours(), p.left().toMinutesPart());
        return String.format(Locale.ROOT, "%s · %.0f tok/s%s", acc, p.tokensPerSecond(), left);
    }

    private static String summaryLine(List<JsonNode> rows) {
        long graded = rows.stream().filter(r -> r.hasNonNull("correct")).count();
        long correct = rows.stream().filter(r -> r.path("correct").asBoolean(false)).count();
        return rows.size() + " problems" + (graded > 0 ? ", " + correct + "/" + graded + " correct" : "");
    }

    /** --out with its .jsonl extension replaced: the summary files go beside the results. */
    private Path sibling(String extension) {
        String name = out.getFileName().toString();
        String stem = name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name;
        return out.resolveSibling(stem + extension);
    }
}
