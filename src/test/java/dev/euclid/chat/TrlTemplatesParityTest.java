package dev.euclid.chat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Generality beyond the templates the issue names: the ~65 chat templates TRL ships as data
 * (originals of Qwen3/3.5, Gemma 3/4, GPT-OSS, Llama 3.x, Nemotron, GLM, Cohere, Phi 3, LFM2 ...,
 * plus their {% generation %} training variants), taken from the TRL wheel of the local wheel
 * store, each placed as chat_template.jinja in a folder and rendered by Euclid and transformers.
 */
class TrlTemplatesParityTest {
    private static final Path WHEELS = Path.of("/opt/pypi/files");
    private static final Path CACHE = Path.of("target", "test-cache", "trl-templates").toAbsolutePath();
    private static final String SPECIAL_TOKENS = "{\"bos_token\": \"<|bos|>\", \"eos_token\": \"<|eos|>\","
            + " \"pad_token\": \"<|pad|>\", \"unk_token\": \"<|unk|>\"}\n";

    @TestFactory
    Stream<DynamicTest> trlTemplatesRenderAsTransformersDoes() {
        List<ParityCheck.Folder> folders = new ArrayList<>();
        for (Path dir : templateFolders()) {
            folders.add(new ParityCheck.Folder("trl/" + dir.getFileName(), dir, 0));
        }
        assertTrue(folders.size() >= 50, "expected the TRL wheel to ship at least 50 chat templates, found " + folders.size());
        List<ParityCheck.Outcome> outcomes = ParityCheck.run(folders);
        int rendered = outcomes.stream().mapToInt(o -> o.renderedConversations().size()).sum();
        assertTrue(rendered >= 25 * folders.size(), "too few conversations rendered without error overall: " + rendered);
        return outcomes.stream().map(o -> DynamicTest.dynamicTest(o.folder().name(), o::assertPassed));
    }

    /** One folder per template of the newest TRL wheel, extracted on first use. */
    private static List<Path> templateFolders() {
        Path wheel = null;
        if (Files.isDirectory(WHEELS)) {
            try (DirectoryStream<Path> wheels = Files.newDirectoryStream(WHEELS, "trl-*.whl")) {
                for (Path w : wheels) if (wheel == null || w.getFileName().toString().compareTo(wheel.getFileName().toString()) > 0) wheel = w;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (wheel == null) return ExternalTools.unavailable("no TRL wheel in " + WHEELS + " to take chat templates from");
        List<Path> folders = new ArrayList<>();
        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (!name.startsWith("trl/chat_templates/") || !name.endsWith(".jinja")) continue;
                Path dir = CACHE.resolve(name.substring("trl/chat_templates/".length(), name.length() - ".jinja".length()));
                Files.createDirectories(dir);
                Files.write(dir.resolve("chat_template.jinja"), zip.getInputStream(entry).readAllBytes());
                Files.writeString(dir.resolve("tokenizer_config.json"), SPECIAL_TOKENS, StandardCharsets.UTF_8);
                folders.add(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(wheel + ": cannot read", e);
        }
        folders.sort(null);
        return folders;
    }
}
