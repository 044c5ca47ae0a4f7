package dev.euclid.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A UTF-8 text file given on the command line; malformed bytes are reported with the flag, file and line. */
final class TextFile {
    private TextFile() {}

    /** The file's lines. */
    static List<String> lines(String flag, Path file) {
        return text(flag, file).lines().toList();
    }

    /** The file's whole text. */
    static String text(String flag, Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(flag, e); // reads "--prompts: FILE: no such file or folder"
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer text = CharBuffer.allocate((int) (bytes.length * (double) utf8.maxCharsPerByte()) + 1);
        CoderResult result = utf8.decode(in, text, true);
        if (!result.isError()) result = utf8.flush(text);
        if (result.isError()) {
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at; i++) if (bytes[i] == '\n') line++;
            throw new IllegalStateException(flag + " " + file + " is not UTF-8 text: line " + line + " has the byte 0x"
                    + String.format("%02X", bytes[at]) + " (offset " + at + ") that UTF-8 does not allow there");
        }
        return text.flip().toString();
    }
}
