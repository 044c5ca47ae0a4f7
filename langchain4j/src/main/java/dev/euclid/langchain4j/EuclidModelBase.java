package dev.euclid.langchain4j;

import dev.euclid.Engine;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.request.ChatRequestParameters;

/** What the blocking and the streaming chat model share: the borrowed engine, the conversion and the defaults. */
abstract class EuclidModelBase {
    final Engine engine;
    final ChatConversion conversion;
    private final ChatRequestParameters defaults;

    EuclidModelBase(EuclidModelBuilder<?> b) {
        this.engine = b.engine();
        this.conversion = b.conversion();
        this.defaults = b.parameters();
    }

    public ChatRequestParameters defaultRequestParameters() {
        return defaults;
    }

    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }
}
