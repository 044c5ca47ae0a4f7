package dev.euclid.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How {@code hf:} ids parse, and which are refused before anything touches the cache or the network. */
class HubModelIdTest {
    @Test
    void partsDefaultsAndCacheFolder() {
        HubModelId plain = HubModelId.parse("hf:Qwen/Qwen2.5-Math-1.5B-Instruct");
        assertEquals(new HubModelId("Qwen/Qwen2.5-Math-1.5B-Instruct", "main", null), plain);
        assertEquals("models--Qwen--Qwen2.5-Math-1.5B-Instruct", plain.folderName());
        assertEquals(new HubModelId("org/name-GGUF", "v1.0", "*Q8_0.gguf"), HubModelId.parse("hf:org/name-GGUF@v1.0#*Q8_0.gguf"));
        assertEquals(new HubModelId("gpt2", "refs/pr/1", null), HubModelId.parse("hf:gpt2@refs/pr/1"));
        assertEquals("models--gpt2", HubModelId.parse("hf:gpt2").folderName());
        assertTrue(HubModelId.parse("hf:a/b@0123456789abcdef0123456789abcdef01234567").revisionIsCommit());
        assertFalse(HubModelId.parse("hf:a/b@0123456789ABCDEF0123456789abcdef01234567").revisionIsCommit());
        assertEquals("hf:org/name@main#*.gguf", HubModelId.parse("hf:org/name#*.gguf").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"hf:", "hf:@main", "hf:org/../x", "hf:org/a--b", "hf:a/b/c", "hf:/name", "hf:org/-x", "hf:org/x.",
            "hf:org/na me", "hf:org/x@", "hf:org/x@../../etc", "hf:org/x@a//b", "hf:org/x@a\\b", "hf:org/x@/abs", "hf:org/x#", "hf:org/x@main#"})
    void refusedWithTheReason(String id) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HubModelId.parse(id));
        assertTrue(e.getMessage().startsWith("'" + id + "'"), e.getMessage());
    }

    @Test
    void notAHubId() {
        assertFalse(HubModelId.isHubId("models/hf:x"));
        assertThrows(IllegalArgumentException.class, () -> HubModelId.parse("org/name"));
    }
}
