package dev.euclid.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.HubOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The environment variables read as huggingface_hub reads them. */
class HubOptionsTest {
    @TempDir
    Path tmp;

    @Test
    void defaultsFollowHuggingFaceHub() {
        HubOptions o = HubOptions.fromEnvironment(Map.of());
        assertEquals(URI.create("https://huggingface.co"), o.endpoint());
        assertEquals(Path.of(System.getProperty("user.home"), ".cache/huggingface/hub"), o.cacheDir());
        assertFalse(o.offline());
        assertEquals(Duration.ofSeconds(10), o.timeout());
        assertEquals(Path.of("/x/huggingface/hub"), HubOptions.fromEnvironment(Map.of("XDG_CACHE_HOME", "/x")).cacheDir());
        assertEquals(Path.of("/h/hub"), HubOptions.fromEnvironment(Map.of("HF_HOME", "/h", "XDG_CACHE_HOME", "/x")).cacheDir());
        assertEquals(Path.of("/c"), HubOptions.fromEnvironment(Map.of("HF_HOME", "/h", "HF_HUB_CACHE", "/c")).cacheDir());
        assertEquals(Path.of(System.getProperty("user.home"), "hf/hub"), HubOptions.fromEnvironment(Map.of("HF_HOME", "~/hf")).cacheDir());
        assertEquals(URI.create("http://127.0.0.1:8080/mirror"), HubOptions.fromEnvironment(Map.of("HF_ENDPOINT", "http://127.0.0.1:8080/mirror/")).endpoint());
        assertEquals(Duration.ofMillis(2500), HubOptions.fromEnvironment(Map.of("HF_HUB_DOWNLOAD_TIMEOUT", "2.5")).timeout());
    }

    @Test
    void offlineTakesHuggingFaceHubsTrueValues() {
        for (String yes : new String[] {"1", "true", "ON", "yes"}) assertTrue(HubOptions.fromEnvironment(Map.of("HF_HUB_OFFLINE", yes)).offline(), yes);
        for (String no : new String[] {"0", "false", "", "off"}) assertFalse(HubOptions.fromEnvironment(Map.of("HF_HUB_OFFLINE", no)).offline(), no);
    }

    @Test
    void theTokenComesFromHfTokenElseTheLoginFileAndIsNeverPrinted() throws Exception {
        Files.writeString(tmp.resolve("token"), "hf_from_file\n");
        assertEquals("hf_from_env", HubOptions.fromEnvironment(Map.of("HF_TOKEN", "hf_from_env", "HF_HOME", tmp.toString())).token());
        assertEquals("hf_from_file", HubOptions.fromEnvironment(Map.of("HF_HOME", tmp.toString())).token());
        Files.writeString(tmp.resolve("other"), "hf_other");
        assertEquals("hf_other", HubOptions.fromEnvironment(Map.of("HF_TOKEN_PATH", tmp.resolve("other").toString())).token());
        assertNull(HubOptions.fromEnvironment(Map.of("HF_HOME", tmp.resolve("nowhere").toString())).token());
        HubOptions o = HubOptions.fromEnvironment(Map.of("HF_TOKEN", "hf_from_env"));
        assertFalse(o.toString().contains("hf_from_env"), o.toString());
        assertTrue(o.toString().contains("token=set"), o.toString());
    }

    @Test
    void badValuesNameTheVariable() {
        IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class,
                () -> HubOptions.fromEnvironment(Map.of("HF_HUB_DOWNLOAD_TIMEOUT", "soon")));
        assertTrue(timeout.getMessage().contains("HF_HUB_DOWNLOAD_TIMEOUT"), timeout.getMessage());
        IllegalArgumentException endpoint = assertThrows(IllegalArgumentException.class,
                () -> HubOptions.fromEnvironment(Map.of("HF_ENDPOINT", "ftp://example.org")));
        assertTrue(endpoint.getMessage().contains("ftp://example.org"), endpoint.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HubOptions.fromEnvironment(Map.of("HF_ENDPOINT", "not a url")));
    }
}
