package dev.euclid.server;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** Writes one JSON value with Jackson's streaming generator (no tree is built for responses). */
@FunctionalInterface
interface JsonBody {
    void write(JsonGenerator g) throws IOException;
}
