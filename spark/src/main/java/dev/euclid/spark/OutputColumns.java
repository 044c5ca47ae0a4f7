package dev.euclid.spark;

import dev.euclid.Completion;
import java.util.Arrays;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/** The columns {@link EuclidSpark#generate} appends to each input row, and how output columns are added. */
final class OutputColumns {
    static final String SAMPLE = "sample";
    static final String TEXT = "text";
    static final String TOKEN_IDS = "token_ids";
    static final String FINISH_REASON = "finish_reason";
    static final String PROMPT_TOKENS = "prompt_tokens";
    static final String PREFILL_MS = "prefill_ms";
    static final String DECODE_MS = "decode_ms";

    private static final StructField[] FIELDS = {
        DataTypes.createStructField(SAMPLE, DataTypes.IntegerType, false),
        DataTypes.createStructField(TEXT, DataTypes.StringType, false),
        DataTypes.createStructField(TOKEN_IDS, DataTypes.createArrayType(DataTypes.IntegerType, false), false),
        DataTypes.createStructField(FINISH_REASON, DataTypes.StringType, false),
        DataTypes.createStructField(PROMPT_TOKENS, DataTypes.IntegerType, false),
        DataTypes.createStructField(PREFILL_MS, DataTypes.DoubleType, false),
        DataTypes.createStructField(DECODE_MS, DataTypes.DoubleType, false),
    };

    private OutputColumns() {
    }

    static StructType appendTo(StructType input) {
        return append(input, FIELDS, "generate()");
    }

    /** The input's columns followed by {@code fields}, none of which the input may already have. */
    static StructType append(StructType input, StructField[] fields, String adder) {
        StructType out = input;
        for (StructField f : fields) {
            if (Arrays.asList(input.fieldNames()).contains(f.name())) {
                throw new IllegalArgumentException("the input already has a column '" + f.name()
                        + "', which " + adder + " adds; rename or drop it first");
            }
            out = out.add(f);
        }
        return out;
    }

    /** {@code input}'s values with room for {@code more} after them. */
    static Object[] withRoom(Row input, int more) {
        Object[] values = new Object[input.length() + more];
        for (int i = 0; i < input.length(); i++) values[i] = input.get(i);
        return values;
    }

    /** {@code input}'s values followed by those of its sample {@code sample}. */
    static Row row(Row input, int sample, Completion c) {
        Object[] values = withRoom(input, FIELDS.length);
        int at = input.length();
        values[at++] = sample;
        values[at++] = c.text();
        // Spark's Row encoder takes arrays as Scala sequences.
        values[at++] = CollectionConverters.asScala(Arrays.stream(c.tokenIds()).boxed().toList());
        values[at++] = c.finishReason().wireName();
        values[at++] = c.promptTokenIds().length;
        values[at++] = c.timings().prefillNanos() / 1e6;
        values[at] = c.timings().decodeNanos() / 1e6;
        return RowFactory.create(values);
    }
}
