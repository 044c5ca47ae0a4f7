package dev.euclid.spark;

import dev.euclid.Models;
import java.nio.file.Path;
import org.apache.spark.SparkFiles;

/** Where an executor finds the model a {@link GenerateOptions#of(String) model string} names. */
final class ModelLocation {
    static final String SPARK_FILES_PREFIX = "sparkfiles:";

    private ModelLocation() {
    }

    static Path resolve(String model) {
        if (model.startsWith(SPARK_FILES_PREFIX)) return Path.of(SparkFiles.get(model.substring(SPARK_FILES_PREFIX.length())));
        return Models.resolve(model);
    }
}
