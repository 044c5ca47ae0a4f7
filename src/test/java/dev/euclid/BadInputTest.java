package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.euclid.testing.SafetensorsSurgery;
import dev.euclid.testing.SharedModels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input ends in a Java exception that names the problem, never a crash. */
class BadInputTest {
    @TempDir Path tmp;

    private static Path llama2c() {
        return SharedModels.models().resolve("stories260K/stories260K.bin");
    }

    private static Path hf() {
        return SharedModels.models().resolve("stories260K-hf");
    }

    private Path llama2cCopy(byte[] bytes) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("l2c"));
        if (!Files.exists(dir.resolve("tok512.bin"))) {
            Files.copy(SharedModels.models().resolve("stories260K/tok512.bin"), dir.resolve("tok512.bin"));
        }
        return Files.write(dir.resolve("model.bin"), bytes);
    }

    private static String openFails(Path model) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Engine.open(model).close());
        return e.getMessage();
    }

    @Test
    void truncatedCheckpoint() throws IOException {
        byte[] all = Files.readAllBytes(llama2c());
        String msg = openFails(llama2cCopy(Arrays.copyOf(all, all.length - 1000)));
        assertTrue(msg.contains("truncated") && msg.contains("1056540"), msg);
    }

    @Test
    void fileThatIsNoModelAtAll() throws IOException {
        String msg = openFails(llama2cCopy("this is not a model file, just some text".getBytes()));
        assertTrue(msg.contains("not a llama2.c checkpoint"), msg);
    }

    @Test
    void truncatedGgufHeader() throws IOException {
        String msg = openFails(llama2cCopy("GGUF\3\0\0\0 and more".getBytes()));
        assertTrue(msg.contains("truncated") && msg.contains("metadata count"), msg);
    }

    @Test
    void headerDimsInconsistentWithFileSize() throws IOException {
        byte[] all = Files.readAllBytes(llama2c());
        ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 200); // hidden_dim 172 -> 200
        String msg = openFails(llama2cCopy(all));
        assertTrue(msg.contains("hidden 200") && msg.contains("file has 1056540"), msg);
    }

    @Test
    void absurdDimsAreRefusedBeforeAnyAllocation() throws IOException {
        byte[] all = Files.readAllBytes(llama2c());
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 1 << 16); // dim: 2^16 x vocab 2^22 = 2^38 embedding elements
        b.putInt(20, 1 << 22);
        String msg = openFails(llama2cCopy(all));
        assertTrue(msg.contains("need") && msg.contains("bytes"), msg);
        b.putInt(0, 1 << 30); // beyond any sane size: refused by the header check itself
        msg = openFails(llama2cCopy(all));
        assertTrue(msg.contains("dim = 1073741824"), msg);
    }

    @Test
    void absurdDimsInConfigJson() throws IOException {
        Path dir = SafetensorsSurgery.copyFolder(hf(), tmp.resolve("hf"));
        String config = Files.readString(dir.resolve("config.json"))
                .replace("\"hidden_size\": 64", "\"hidden_size\": 1048576")
                .replace("\"vocab_size\": 512", "\"vocab_size\": 1048576");
        Files.writeString(dir.resolve("config.json"), config);
        String msg = openFails(dir);
        assertTrue(msg.contains("dim = 1048576"), msg);
    }

    @Test
    void missingTensor() throws IOException {
        Path dir = SafetensorsSurgery.copyFolder(hf(), tmp.resolve("hf"));
        Path st = dir.resolve("model.safetensors");
        SafetensorsSurgery.rewriteHeader(hf().resolve("model.safetensors"), st.resolveSibling("x"),
                h -> h.remove("model.layers.2.self_attn.k_proj.weight"));
        Files.move(st.resolveSibling("x"), st, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String msg = openFails(dir);
        assertTrue(msg.contains("missing tensor model.layers.2.self_attn.k_proj.weight"), msg);
    }

    @Test
    void tensorShapeMismatch() throws IOException {
        Path dir = SafetensorsSurgery.copyFolder(hf(), tmp.resolve("hf"));
        Path st = dir.resolve("model.safetensors");
        SafetensorsSurgery.rewriteHeader(hf().resolve("model.safetensors"), st.resolveSibling("x"), h -> {
            ArrayNode shape = ((ObjectNode) h.get("model.layers.0.self_attn.q_proj.weight")).putArray("shape");
            shape.add(32).add(128); // same byte count, wrong shape
        });
        Files.move(st.resolveSibling("x"), st, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String msg = openFails(dir);
        assertTrue(msg.contains("model.layers.0.self_attn.q_proj.weight") && msg.contains("[32, 128]"), msg);
    }

    @Test
    void tensorDataBeyondTheFile() throws IOException {
        Path dir = SafetensorsSurgery.copyFolder(hf(), tmp.resolve("hf"));
        byte[] all = Files.readAllBytes(dir.resolve("model.safetensors"));
        Files.write(dir.resolve("model.safetensors"), Arrays.copyOf(all, all.length - 4096));
        String msg = openFails(dir);
        assertTrue(msg.contains("outside") && msg.contains("truncated"), msg);
    }

    @Test
    void absurdSafetensorsHeaderLength() throws IOException {
        Path dir = SafetensorsSurgery.copyFolder(hf(), tmp.resolve("hf"));
        byte[] all = Files.readAllBytes(dir.resolve("model.safetensors"));
        ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 50);
        Files.write(dir.resolve("model.safetensors"), all);
        String msg = openFails(dir);
        assertTrue(msg.contains("header length"), msg);
    }

    @Test
    void unknownArchitecture() throws IOException {
        Path dir = SafetensorsSurgery.copyFolder(hf(), tmp.resolve("hf"));
        Files.writeString(dir.resolve("config.json"),
                Files.readString(dir.resolve("config.json")).replace("LlamaForCausalLM", "GPTNeoXForCausalLM"));
        String msg = openFails(dir);
        assertTrue(msg.contains("unknown architecture 'GPTNeoXForCausalLM'"), msg);
    }

    @Test
    void missingModelPath() {
        assertThrows(java.io.UncheckedIOException.class, () -> Engine.open(tmp.resolve("nothing-here")));
    }

    @Test
    void requestsOutsideTheModel() {
        try (Engine engine = Engine.open(llama2c())) {
            int[] longPrompt = new int[600];
            Arrays.fill(longPrompt, 300);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> engine.generate(Request.builder().promptTokens(longPrompt).maxTokens(4).build()));
            assertTrue(e.getMessage().contains("600 tokens") && e.getMessage().contains("512"), e.getMessage());

            e = assertThrows(IllegalArgumentException.class,
                    () -> engine.generate(Request.builder().promptTokens(1, 512).maxTokens(4).build()));
            assertTrue(e.getMessage().contains("token id 512"), e.getMessage());

            // The context bounds generation: finish reason LENGTH at 512 positions.
            Completion c = engine.generate(Request.builder().prompt("Once upon a time").maxTokens(100_000)
                    .stopTokenIds().build());
            assertEquals(512 - 5 + 1, c.tokenIds().length);
            assertEquals(FinishReason.LENGTH, c.finishReason());
        }
    }

    @Test
    void invalidRequestParameters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Request.builder().maxTokens(0));
        assertTrue(e.getMessage().contains("maxTokens"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Request.builder().maxTokens(-5));
        assertTrue(e.getMessage().contains("-5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Sampling.builder().topP(1.5f));
        assertTrue(e.getMessage().contains("topP"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Sampling.builder().topP(0f));
        assertTrue(e.getMessage().contains("topP"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Sampling.builder().temperature(-1f));
        assertTrue(e.getMessage().contains("temperature"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Sampling.builder().temperature(Float.NaN));
        assertTrue(e.getMessage().contains("temperature"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Sampling.builder().topK(-1));
        assertTrue(e.getMessage().contains("topK"), e.getMessage());
    }

    @Test
    void closeTwiceIsHarmlessAndUseAfterCloseThrows() {
        Engine engine = Engine.open(llama2c());
        engine.close();
        engine.close();
        assertThrows(IllegalStateException.class, () -> engine.generate(Request.of("Once", 4)));
        assertThrows(IllegalStateException.class, () -> engine.logits(1, 2));
        assertThrows(IllegalStateException.class, engine::threads);
    }
}
