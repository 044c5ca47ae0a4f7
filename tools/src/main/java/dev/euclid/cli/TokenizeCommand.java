package dev.euclid.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.euclid.Tokenizer;
import dev.euclid.tokenizer.TokenizerFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Encode a UTF-8 text file with a model's tokenizer and print the token ids.")
final class TokenizeCommand implements Callable<Integer> {
    @Option(names = "--tokenizer", required = true, paramLabel = "PATH",
            description = "tokenizer.json, llama2.c tokenizer.bin, a model folder, or a model file (GGUF, llama2.c checkpoint, engine file)")
    Path tokenizer;

    @Option(names = "--text-file", required = true, paramLabel = "FILE", description = "UTF-8 text to encode, all of it")
    Path textFile;

    @Option(names = "--add-special-tokens",
            description = "Add what the tokenizer puts around a text (e.g. BOS); without it nothing is added, like Hugging Face's add_special_tokens=False")
    boolean addSpecialTokens;

    @Option(names = "--json", description = "Print {\"ids\": [...]} (the default prints the ids separated by spaces)")
    boolean json;

    @Override
    public Integer call() {
        Tokenizer t = TokenizerFiles.open(tokenizer);
        int[] ids = t.encode(readUtf8(textFile), addSpecialTokens);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (json) {
            ObjectNode root = new ObjectMapper().createObjectNode();
            ArrayNode array = root.putArray("ids");
            for (int id : ids) {
                array.add(id);
            }
            out.println(root);
        } else {
            StringBuilder line = new StringBuilder();
            for (int id : ids) {
                line.append(line.length() == 0 ? "" : " ").append(id);
            }
            out.println(line);
        }
        return 0;
    }

    /** Invalid UTF-8 is refused rather than silently replaced: the ids would not be the file's. */
    private static String readUtf8(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e, e);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer text = CharBuffer.allocate(bytes.length);
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult result = utf8.decode(in, text, true);
        if (result.isError()) {
            throw new IllegalArgumentException(file + ": not valid UTF-8 at byte " + in.position());
        }
        utf8.flush(text);
        return text.flip().toString();
    }
}
