package dev.euclid.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.euclid.Completion;
import dev.euclid.Request;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** npm's openai client (6.49.0, installed under target/ on first use) streaming a chat from the server (item 4c). */
class NodeClientTest {
    @Test
    void nodeClientStreamsTheInProcessTokens() throws Exception {
        Path modules = ExternalTools.nodeModulesWithOpenAi();
        Path script = Path.of(NodeClientTest.class.getResource("/clients/openai_node_check.cjs").toURI());
        try (ServerHarness h = ServerHarness.start(o -> o.withApiKey("sk-node"))) {
            ProcessBuilder pb = new ProcessBuilder("node", script.toString(), h.base + "/v1", "sk-node", ServerHarness.MODEL);
            pb.environment().put("NODE_PATH", modules.toString());
            JsonNode j = ServerHarness.JSON.readTree(ExternalTools.run(pb, 120));
            Completion expected = h.engine.generate(Request.of("Once upon a time", 50));
            assertEquals(expected.text(), j.path("content").asText());
            assertEquals("assistant", j.path("role").asText());
            assertEquals(expected.finishReason().wireName(), j.path("finish_reason").asText());
            assertEquals(expected.tokenIds().length, j.path("usage").asInt());
            assertTrue(j.path("chunks").asInt() > 10, j.toString());
        }
    }
}
