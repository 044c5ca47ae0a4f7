package dev.euclid.spark;

import dev.euclid.solver.SampleTranscript;
import dev.euclid.solver.Solution;
import dev.euclid.solver.Step;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/** The columns {@link EuclidSpark#solve} appends to each problem row. */
final class SolveColumns {
    private static final StructType VOTE = new StructType()
            .add("answer", DataTypes.StringType, false).add("count", DataTypes.IntegerType, false);
    private static final StructType TRANSCRIPT = new StructType()
            .add("sample", DataTypes.IntegerType, false).add("finish", DataTypes.StringType, false)
            .add("answer", DataTypes.StringType, true).add("voted", DataTypes.BooleanType, false)
            .add("tokens", DataTypes.IntegerType, false).add("code_runs", DataTypes.IntegerType, false)
            .add("text", DataTypes.StringType, false);
    private static final StructField[] FIELDS = {
        DataTypes.createStructField("voted_answer", DataTypes.StringType, true),
        DataTypes.createStructField("votes", DataTypes.createArrayType(VOTE, false), false),
        DataTypes.createStructField("ended", DataTypes.StringType, false),
        DataTypes.createStructField("wall_ms", DataTypes.DoubleType, false),
        DataTypes.createStructField("tokens", DataTypes.LongType, false),
        DataTypes.createStructField("code_runs", DataTypes.IntegerType, false),
        DataTypes.createStructField("model_idle_fraction", DataTypes.DoubleType, false),
        DataTypes.createStructField("transcripts", DataTypes.createArrayType(TRANSCRIPT, false), false),
    };

    private SolveColumns() {
    }

    static StructType appendTo(StructType input) {
        return OutputColumns.append(input, FIELDS, "solve()");
    }

    static Row row(Row input, Solution s) {
        Object[] values = OutputColumns.withRoom(input, FIELDS.length);
        int at = input.length();
        values[at++] = s.answer();
        values[at++] = seq(s.votes().stream().map(v -> RowFactory.create(v.answer(), v.count())).toList());
        values[at++] = s.ended().wireName();
        values[at++] = s.wall().toNanos() / 1e6;
        values[at++] = s.tokens();
        values[at++] = s.codeRuns();
        values[at++] = s.modelIdleFraction();
        values[at] = seq(s.samples().stream().map(SolveColumns::transcript).toList());
        return RowFactory.create(values);
    }

    /** A sample's turns as one text: what the model wrote, each tool output fed back in between. */
    private static Row transcript(SampleTranscript t) {
        StringBuilder text = new StringBuilder();
        for (Step step : t.steps()) {
            text.append(step.text());
            if (step.appended() != null) text.append(step.appended());
        }
        return RowFactory.create(t.sample(), t.finish().wireName(), t.answer(), t.voted(), t.tokens(), t.codeRuns(),
                text.toString());
    }

    private static Object seq(List<?> values) {
        return CollectionConverters.asScala(values);
    }
}
