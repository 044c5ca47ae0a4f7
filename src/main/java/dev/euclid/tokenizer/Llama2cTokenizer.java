package dev.euclid.tokenizer;

import dev.euclid.TextDecoder;
import dev.euclid.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The tokenizer of llama2.c ({@code tokenizer.bin}), with exactly the semantics of run.c's
 * {@code encode(bos=1, eos=0)} (bos=0 without special tokens) and {@code decode}: BOS, a
 * dummy-prefix space for non-empty text, one piece per UTF-8 code point (falling back to byte tokens, id = byte + 3), then greedy merges
 * of the adjacent pair whose concatenation is a piece with the highest score (ties: leftmost).
 */
public final class Llama2cTokenizer implements Tokenizer {
    /** run.c's fixed ids: BOS 1 (piece "\n&lt;s&gt;\n"), EOS 2, and byte b at id b + 3. */
    public static final int BOS_ID = 1;
    public static final int EOS_ID = 2;
    private static final int BYTE_TOKEN_OFFSET = 3;
    /** run.c starts its search at best score -1e10, so pieces scoring at or below it never merge. */
    private static final float NEVER_MERGED_AT_OR_BELOW = -1e10f;
    /** Real ones are well under 1 MiB; a bigger file is not a tokenizer. */
    private static final long MAX_FILE_BYTES = 256L << 20;

    private final byte[][] pieces;
    private final byte[][] textBytes;
    /** Keyed by the piece's bytes read as ISO-8859-1, so any byte string is a key; lowest id wins. */
    private final Map<String, Integer> idsByPiece;
    /** Lowest id with the same piece: run.c looks pieces up by string, so duplicates are one piece. */
    private final int[] canonical;
    /** The symbol for each ASCII character (its piece, else its byte token), saving a map lookup. */
    private final int[] asciiIds;
    private final PairTable merges;

    private Llama2cTokenizer(Llama2cVocab vocab, String source) {
        pieces = vocab.pieces();
        int size = pieces.length;
        if (size < BYTE_TOKEN_OFFSET + 256) {
            throw new IllegalArgumentException("llama2.c tokenizer " + source + ": vocab size " + size
                    + " is too small; byte-fallback tokens occupy ids 3..258");
        }
        idsByPiece = new HashMap<>(size * 2);
        canonical = new int[size];
        textBytes = new byte[size][];
        for (int id = 0; id < size; id++) {
            Integer first = idsByPiece.putIfAbsent(key(pieces[id], 0, pieces[id].length), id);
            canonical[id] = first == null ? id : first;
            textBytes[id] = asText(pieces[id]);
        }
        asciiIds = new int[128];
        for (int c = 0; c < 128; c++) {
            asciiIds[c] = idsByPiece.getOrDefault(String.valueOf((char) c), c + BYTE_TOKEN_OFFSET);
        }
        merges = mergeRules(vocab.scores());
    }

    /**
     * @param vocabSize the token count from the model header (the file does not store it)
     * @throws IllegalArgumentException if the file is malformed, naming the file and the problem
     */
    public static Llama2cTokenizer load(Path file, int vocabSize) throws IOException {
        return fromBytes(readBounded(file), vocabSize, file.toString());
    }

    /**
     * Loads a tokenizer.bin on its own, taking its token count from the file (the model header
     * is where it normally comes from).
     *
     * @throws IllegalArgumentException if the file is malformed, naming the file and the problem
     */
    public static Llama2cTokenizer load(Path file) throws IOException {
        byte[] data = readBounded(file);
        return fromBytes(data, Llama2cVocab.countTokens(data, file.toString()), file.toString());
    }

    private static byte[] readBounded(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) { // a model checkpoint passed by mistake, most likely
            throw new IllegalArgumentException("llama2.c tokenizer " + file + ": " + size
                    + " bytes is far too large for a tokenizer (limit " + MAX_FILE_BYTES + ")");
        }
        return Files.readAllBytes(file);
    }

    /**
     * The same from the bytes of a tokenizer.bin (e.g. carried inside an engine file).
     *
     * @param source names the data in error messages
     */
    public static Llama2cTokenizer fromBytes(byte[] data, int vocabSize, String source) {
        return new Llama2cTokenizer(Llama2cVocab.parse(data, vocabSize, source), source);
    }

    @Override
    public int vocabSize() {
        return pieces.length;
    }

    @Override
    public int bosId() {
        return BOS_ID;
    }

    @Override
    public int eosId() {
        return EOS_ID;
    }

    @Override
    public int[] encode(String text, boolean addSpecialTokens) {
        WellFormedText.require(text);
        IntList symbols = new IntList(text.length() + 1);
        if (!text.isEmpty()) {
            addCodePoint(' ', symbols); // SentencePiece's dummy prefix, added by run.c
            for (int i = 0; i < text.length(); ) {
                int cp = text.codePointAt(i);
                addCodePoint(cp, symbols);
                i += Character.charCount(cp);
            }
        }
        int count = BpeMerger.merge(symbols.array(), symbols.size(), this::rule);
        int bos = addSpecialTokens ? 1 : 0;
        int[] ids = new int[count + bos];
        if (addSpecialTokens) {
            ids[0] = BOS_ID;
        }
        System.arraycopy(symbols.array(), 0, ids, bos, count);
        return ids;
    }

    @Override
    public byte[] tokenBytes(int id) {
        TokenIds.require(id, pieces.length);
        return textBytes[id].clone();
    }

    @Override
    public String decode(int[] ids, int previousId) {
        TokenIds.requirePrevious(previousId, pieces.length);
        return PieceTextDecoder.decodeAll(this::piece, ids, previousId);
    }

    @Override
    public TextDecoder decoder(int previousId) {
        TokenIds.requirePrevious(previousId, pieces.length);
        return new PieceTextDecoder(this::piece, previousId);
    }

    /** run.c {@code decode}: after BOS, SentencePiece drops the piece's leading space. */
    private byte[] piece(int previousId, int id) {
        TokenIds.require(id, pieces.length);
        byte[] raw = pieces[id];
        if (previousId == BOS_ID && raw.length > 0 && raw[0] == ' ') {
            return asText(Arrays.copyOfRange(raw, 1, raw.length));
        }
        return textBytes[id];
    }

    private long rule(int left, int right) {
        return merges.get(canonical[left], canonical[right]);
    }

    private void addCodePoint(int cp, IntList symbols) {
        if (cp < 128) {
            symbols.add(asciiIds[cp]);
            return;
        }
        byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        Integer id = idsByPiece.get(key(utf8, 0, utf8.length));
        if (id != null) {
            symbols.add(id);
        } else {
            for (byte b : utf8) {
                symbols.add((b & 0xFF) + BYTE_TOKEN_OFFSET);
            }
        }
    }

    /**
     * Every pair of pieces whose concatenation is a mergeable piece, found by splitting each piece
     * at every byte; the rule's priority is the rank of the piece's score (higher score first,
     * equal scores equal priority so that ties fall to the leftmost pair, as in run.c).
     */
    private PairTable mergeRules(float[] scores) {
        float[] distinct = new float[scores.length];
        int n = 0;
        for (int id = 0; id < scores.length; id++) {
            if (mergeable(id, scores)) {
                distinct[n++] = scores[id] + 0.0f; // folds -0.0 into 0.0: C's > treats them equal
            }
        }
        Arrays.sort(distinct, 0, n);
        int unique = 0;
        for (int i = 0; i < n; i++) {
            if (unique == 0 || distinct[unique - 1] != distinct[i]) {
                distinct[unique++] = distinct[i];
            }
        }
        PairTable table = new PairTable(n);
        for (int id = 0; id < scores.length; id++) {
            if (!mergeable(id, scores)) {
                continue;
            }
            int priority = unique - 1 - Arrays.binarySearch(distinct, 0, unique, scores[id] + 0.0f);
            byte[] piece = pieces[id];
            for (int split = 1; split < piece.length; split++) {
                Integer left = idsByPiece.get(key(piece, 0, split));
                Integer right = idsByPiece.get(key(piece, split, piece.length));
                if (left != null && right != null) {
                    table.put(left, right, BpeMerger.rule(priority, id));
                }
            }
        }
        return table;
    }

    private boolean mergeable(int id, float[] scores) {
        return canonical[id] == id && scores[id] > NEVER_MERGED_AT_OR_BELOW; // false for NaN too
    }

    private static String key(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** Pieces spelled {@code <0xXX>} stand for one raw byte. */
    private static byte[] asText(byte[] piece) {
        if (piece.length == 6 && piece[0] == '<' && piece[1] == '0' && piece[2] == 'x' && piece[5] == '>') {
            int hi = Character.digit(piece[3], 16);
            int lo = Character.digit(piece[4], 16);
            if (hi >= 0 && lo >= 0) {
                return new byte[] {(byte) (hi * 16 + lo)};
            }
        }
        return piece;
    }
}
