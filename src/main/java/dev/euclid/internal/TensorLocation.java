package dev.euclid.internal;

import java.nio.file.Path;

/**
 * Where the bytes of one weight tensor live: a range of a file, its element type and shape.
 *
 * @param name the engine's canonical name (tok_embeddings, layers.N.wq, ...)
 * @param sourceName the name in the checkpoint, for error messages
 */
public record TensorLocation(
        String name, String sourceName, Path file, int dtype, long offset, long byteLength, long[] shape) {}
