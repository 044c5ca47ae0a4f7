package dev.euclid.solver.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.euclid.solver.ExecutionResult;
import dev.euclid.solver.Problem;
import dev.euclid.solver.SampleTranscript;
import dev.euclid.solver.Solution;
import dev.euclid.solver.Step;
import dev.euclid.solver.answer.AnswerNormalizer;
import dev.euclid.solver.answer.VoteTable;
import java.time.Duration;

/**
 * A solved problem as one results-file row: {@code id}, {@code answer} (voted, or null),
 * {@code expected}, {@code correct}, {@code votes}, {@code ended}, {@code seconds}, {@code tokens},
 * {@code model_idle_fraction}, {@code code_runs}, {@code budget_seconds} and {@code samples}, each
 * sample with its finish, answers and every step's text, code and output.
 */
final class ResultRows {
    static final ObjectMapper JSON = new ObjectMapper();

    private ResultRows() {}

    static ObjectNode row(Problem problem, Solution s, Duration budget, AnswerNormalizer normalizer) {
        ObjectNode row = JSON.createObjectNode();
        row.put("id", problem.id());
        row.put("answer", s.answer());
        row.put("expected", problem.answer());
        Boolean correct = correct(problem, s.answer(), normalizer);
        if (correct == null) row.putNull("correct");
        else row.put("correct", correct);
        ArrayNode votes = row.putArray("votes");
        for (VoteTable.Entry e : s.votes()) {
            votes.addObject().put("answer", e.answer()).put("count", e.count()).put("weight", e.weight());
        }
        row.put("ended", s.ended().wireName());
        row.put("seconds", s.wall().toNanos() / 1e9);
        row.put("tokens", s.tokens());
        row.put("model_idle_fraction", s.modelIdleFraction());
        row.put("code_runs", s.codeRuns());
        if (budget == null) row.putNull("budget_seconds");
        else row.put("budget_seconds", budget.toNanos() / 1e9);
        ArrayNode samples = row.putArray("samples");
        for (SampleTranscript t : s.samples()) samples.add(sample(t));
        return row;
    }

    /**
     * A problem with no samples and no answer: reached when the run's time was gone
     * ({@code ended} "no_time_left"), or one the model could not run at all ("error", with why).
     */
    static ObjectNode unanswered(Problem problem, String ended, String error) {
        ObjectNode row = JSON.createObjectNode();
        row.put("id", problem.id());
        row.putNull("answer");
        row.put("expected", problem.answer());
        if (problem.answer() == null) row.putNull("correct");
        else row.put("correct", false);
        row.putArray("votes");
        row.put("ended", ended);
        if (error != null) row.put("error", error);
        row.put("seconds", 0.0);
        row.put("tokens", 0);
        row.put("model_idle_fraction", 0.0);
        row.put("code_runs", 0);
        row.put("budget_seconds", 0.0);
        row.putArray("samples");
        return row;
    }

    /** Whether the voted answer is the expected one in the task's format; null when none is expected. */
    static Boolean correct(Problem problem, String answer, AnswerNormalizer normalizer) {
        if (problem.answer() == null) return null;
        String expected = normalizer.normalize(problem.answer()).orElse(problem.answer().strip());
        return expected.equals(answer);
    }

    private static ObjectNode sample(SampleTranscript t) {
        ObjectNode o = JSON.createObjectNode();
        o.put("sample", t.sample());
        o.put("finish", t.finish().wireName());
        o.put("extracted", t.extracted());
        o.put("answer", t.answer());
        o.put("voted", t.voted());
        o.put("tokens", t.tokens());
        ArrayNode steps = o.putArray("steps");
        for (Step step : t.steps()) {
            ObjectNode st = steps.addObject();
            st.put("text", step.text());
            st.put("tokens", step.tokens());
            st.put("code", step.code());
            ExecutionResult r = step.result();
            if (r != null) {
                st.put("status", r.status().name().toLowerCase(java.util.Locale.ROOT));
                st.put("stdout", r.stdout());
                st.put("stderr", r.stderr());
                st.put("code_seconds", r.seconds());
            }
            st.put("appended", step.appended());
        }
        return o;
    }
}
