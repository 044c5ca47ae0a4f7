package dev.euclid.spark;

import dev.euclid.Engine;
import dev.euclid.EngineOptions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engines of this JVM, one per (model, threads), shared by every task that runs here so their
 * requests batch together in one scheduler. Opened by the first task that needs one; closed when
 * the JVM exits (executors are long-lived, and reopening a model per task would cost more than the
 * task). A model that fails to open is not remembered: a retried task tries again.
 */
final class ExecutorEngines {
    private record Key(String model, int threads) {}

    private static final Map<Key, Engine> ENGINES = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorEngines::closeAll, "euclid-spark-engines-close"));
    }

    private ExecutorEngines() {
    }

    static Engine get(String model, int threads) {
        return ENGINES.computeIfAbsent(new Key(model, threads), k -> {
            EngineOptions engineOptions = k.threads() > 0 ? EngineOptions.defaults().withThreads(k.threads()) : EngineOptions.defaults();
            return Engine.open(ModelLocation.resolve(k.model()), engineOptions);
        });
    }

    private static void closeAll() {
        ENGINES.values().forEach(Engine::close);
        ENGINES.clear();
    }
}
