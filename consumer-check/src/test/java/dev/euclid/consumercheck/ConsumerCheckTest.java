package dev.euclid.consumercheck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConsumerCheckTest {
    /** groupId:artifactId of everything a user's program may get from depending on the library. */
    private static final Set<String> LIBRARY_AND_RUNTIME_DEPENDENCIES = Set.of(
            "dev.euclid:euclid",
            "org.bytedeco:javacpp",
            "com.fasterxml.jackson.core:jackson-databind",
            "com.fasterxml.jackson.core:jackson-core",
            "com.fasterxml.jackson.core:jackson-annotations",
            "org.slf4j:slf4j-api");

    @Test
    void generatesTheReferenceGreedyTokensOfStories260K() throws IOException {
        Path models = sharedModels();
        String reference = Files.readString(models.resolve("stories260K/reference/greedy.json"));
        // The first reference: its prompt and all of its ids (prompt, then greedy continuation).
        Matcher prompt = Pattern.compile("\"prompt\":\\s*\"([^\"]*)\"").matcher(reference);
        Matcher ids = Pattern.compile("\"token_ids\":\\s*\\[([^\\]]*)\\]").matcher(reference);
        Matcher nPrompt = Pattern.compile("\"n_prompt_tokens\":\\s*(\\d+)").matcher(reference);
        assertTrue(prompt.find() && ids.find() && nPrompt.find(), "greedy.json has prompt, token_ids, n_prompt_tokens");
        int[] expected = Pattern.compile(",").splitAsStream(ids.group(1)).map(String::trim).mapToInt(Integer::parseInt)
                .toArray();
        int generated = expected.length - Integer.parseInt(nPrompt.group(1));

        int[] actual = GreedyStory.promptAndGreedyIds(models.resolve("stories260K/stories260K.bin"), prompt.group(1),
                generated);

        assertArrayEquals(expected, actual);
    }

    @Test
    void runsAsANamedModuleThatSeesOnlyTheApi() {
        Module library = Engine.class.getModule();
        assertTrue(GreedyStory.class.getModule().isNamed(), "the check runs on the module path");
        assertEquals("dev.euclid", library.getName());
        assertTrue(library.isExported("dev.euclid"));
        Set<String> internal = library.getPackages().stream().filter(p -> p.startsWith("dev.euclid.internal"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertFalse(internal.isEmpty(), "the runtime is inside the module");
        for (String p : internal) {
            assertFalse(library.isExported(p), p + " must not be exported");
        }
    }

    @Test
    void resolvesOnlyTheLibrarysRunTimeDependencies() throws IOException {
        Path listing = Path.of(System.getProperty("resolved.dependencies"));
        // maven-dependency-plugin's list: "   group:artifact:jar:version" (with or without a module note).
        Pattern coordinate = Pattern.compile("^\\s+([\\w.\\-]+):([\\w.\\-]+):jar:");
        Set<String> resolved = new TreeSet<>();
        for (String line : Files.readAllLines(listing)) {
            Matcher m = coordinate.matcher(line);
            if (m.find()) {
                resolved.add(m.group(1) + ":" + m.group(2));
            }
        }
        assertTrue(resolved.contains("dev.euclid:euclid"), "listing " + listing + " names the library: " + resolved);
        assertEquals(new TreeSet<>(LIBRARY_AND_RUNTIME_DEPENDENCIES), resolved,
                "a user's run-time class path: the library and its run-time dependencies only");
    }

    private static Path sharedModels() {
        Path shared = Path.of(System.getProperty("euclid.shared", "../../shared"));
        Path models = shared.resolve("models");
        assertTrue(Files.isDirectory(models.resolve("stories260K")), "shared models not found at " + models
                + " (the repository's ../shared); set -Deuclid.shared");
        return models;
    }
}
