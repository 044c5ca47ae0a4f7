package dev.euclid.cli.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.cli.bench.ComparisonSuite.Cell;
import dev.euclid.cli.bench.ComparisonSuite.Options;
import dev.euclid.cli.bench.ComparisonSuite.Report;
import dev.euclid.testing.SharedModels;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The comparison suite's parsing, arithmetic and report files; one real run on the tiny shape. */
class ComparisonSuiteTest {
    @TempDir Path tmp;

    @Test
    void llamaCppTimingsComeFromItsServerLogWithoutTheWarmUp() throws Exception {
        List<String> log = List.of(
                "build: 4916 (c6af2161) with cc for x86_64-linux-gnu",
                "slot print_timing: id  0 | task 0 | ",
                "prompt eval time =     900.00 ms /   128 tokens (    7.03 ms per token,   142.22 tokens per second)",
                "       eval time =     900.00 ms /    16 tokens (   56.25 ms per token,    17.78 tokens per second)",
                "prompt eval time =     400.00 ms /   128 tokens (    3.12 ms per token,   320.00 tokens per second)",
                "       eval time =     150.00 ms /    16 tokens (    9.38 ms per token,   106.67 tokens per second)",
                "llama_perf_context_print: prompt eval time =  1.00 ms /  128 tokens",
                "prompt eval time =     500.00 ms /   128 tokens (    3.91 ms per token,   256.00 tokens per second)",
                "       eval time =     300.00 ms /    16 tokens (   18.75 ms per token,    53.33 tokens per second)");
        LlamaCppRunner.Result r = LlamaCppRunner.parse("{\"runs\":[]}", log, 128, 16, 2);
        assertArrayEquals(new double[] {320, 256}, r.prefill(), 1e-9);
        // 16 tokens are 15 decode steps after the first token: (16 - 1) / time.
        assertArrayEquals(new double[] {100, 50}, r.decode(), 1e-9);
        assertEquals("4916 (c6af2161)", r.build());
        assertTrue(r.source().contains("own timings"));

        assertThrows(IllegalStateException.class, () -> LlamaCppRunner.parse("{}", log, 64, 16, 2));
    }

    @Test
    void withoutTheLogTheWallClockOfTheStreamIsUsed() throws Exception {
        String json = "{\"runs\":[{\"first_ms\":500,\"last_ms\":800,\"pieces\":16}]}";
        LlamaCppRunner.Result r = LlamaCppRunner.parse(json, List.of("no timings here"), 100, 16, 1);
        assertArrayEquals(new double[] {200}, r.prefill(), 1e-9);
        assertArrayEquals(new double[] {50}, r.decode(), 1e-9);
        assertNull(r.build());
    }

    @Test
    void ratiosBandwidthFractionsReportAndChart() throws Exception {
        Report report = fakeReport();
        Cell c = report.cells().get(1);
        assertEquals(2.0, c.ratio(Contender.EUCLID_FP16, true), 1e-12);
        assertEquals(0.5, c.ratio(Contender.EUCLID_FP16, false), 1e-12);
        assertEquals(60.0 / 40, c.ratio(Contender.EUCLID_INT8, true), 1e-12);
        // 1e9 bytes/token × 40 tokens/s over 50 GB/s.
        assertEquals(0.8, c.bandwidthFraction(Contender.EUCLID_FP16), 1e-12);

        String md = ComparisonSuite.write(report);
        assertTrue(md.contains("Command: `euclid bench --compare --shapes 1b --threads 1,2`"), md);
        assertTrue(md.contains("| 1b | 2 | **2.00×** | 0.50× |"), md);
        assertTrue(md.contains("| **1.50×** | **1.67×** | **1.00×** | 0.90× | 0.5 |"), md);
        assertTrue(md.contains("AMD Test CPU"), md);
        assertTrue(md.contains("before 0.50 0.40 0.30"), md);
        assertTrue(md.contains("1b, 2 threads, ≥ 1.0× llama.cpp on decode and prefill: **not met**: FP16 / F16 prefill 0.50×"), md);
        assertTrue(md.contains("1b, 2 threads, decode ≥ 80% of read bandwidth: **met** for FP16; **not met** for FP8, INT8, Q4_0 (FP16 80%, FP8 50%, INT8 60%, Q4_0 39%)"), md);
        // NVFP4 at 90 tokens/s over FP8's 50; 4-bit decode: 2.8e8 bytes × 90 / 50e9 = 50%, MXFP4 2.7e8 × 95 / 50e9 = 51%.
        assertTrue(md.contains("| 1b | 2 | **1.80×** | 0.83× | **1.90×** | 0.80× | – | – |"), md);
        // The better of NVFP4's activation modes counts (here FP32's 1.80× over INT8's 1.68×).
        assertTrue(md.contains("1b, 2 threads, NVFP4 decode ≥ 1.6× Euclid FP8: **met** (NVFP4_A8 1.68×, NVFP4 1.80×)"), md);
        // NVFP4_A8 over llama.cpp Q4_0 (84 / 70 decode, 500 / 100 prefill) and over NVFP4 (84 / 90, 500 / 250); the
        // other INT8-activation rows have no measurements: dashes, not numbers.
        assertTrue(md.contains("## Low-precision activations") && md.contains("| 1b | 2 | NVFP4_A8 (vs Q4_0) | **1.20×** | **5.00×** | 0.93× | **2.00×** |"), md);
        // FP8_B16 over llama.cpp Q8_0 (50 / 40 decode, 600 / 150 prefill) and over FP8 (50 / 50, 600 / 300).
        assertTrue(md.contains("| 1b | 2 | FP8_B16 (vs Q8_0) | **1.25×** | **4.00×** | **1.00×** | **2.00×** |"), md);
        assertTrue(md.contains("| 1b | 2 | INT8_A8 (vs Q8_0) | – | – | – | – |"), md);
        // 2.8e8 bytes × 84 / 50e9 = 47%.
        assertTrue(md.contains("1b, 2 threads, 4-bit decode ≥ 90% of read bandwidth: **not met** (NVFP4_A8 47%, NVFP4 50%, MXFP4 51%)"), md);
        // Against llama.cpp Q4_K_M (60 decode, 110 prefill) and Q4_0 (70): NVFP4_A8 84, NVFP4 90.
        assertTrue(md.contains("## 4-bit / llama.cpp Q4_K_M") && md.contains("| 1b | 2 | NVFP4_A8 | **1.40×** | **4.55×** |")
                && md.contains("| 1b | 2 | MXFP4_A8 | – | – |"), md);
        assertTrue(md.contains("1b, 2 threads, NVFP4 decode ≥ 1.2× llama.cpp Q4_K_M: **met** (NVFP4_A8 1.40×, NVFP4 1.50×)"), md);
        assertTrue(md.contains("1b, 2 threads, NVFP4 decode ≥ 1.0× llama.cpp Q4_0: **met** (NVFP4_A8 1.20×, NVFP4 1.29×)"), md);

        JsonNode j = new ObjectMapper().readTree(Files.readString(tmp.resolve("out/bench.json")));
        assertEquals(2, j.get("cells").size());
        JsonNode cell = j.get("cells").get(1);
        assertEquals(2, cell.get("threads").asInt());
        assertEquals(2.0, cell.get("ratios").get("fp16_vs_f16_decode").asDouble(), 1e-12);
        assertEquals(12, cell.get("results").size());
        assertEquals(1.4, cell.get("ratios").get("nvfp4_a8_vs_q4_k_m_decode").asDouble(), 1e-12);
        assertEquals(2.0, cell.get("ratios").get("fp8_b16_vs_fp32_activations_prefill").asDouble(), 1e-12);
        assertEquals(1.8, cell.get("ratios").get("nvfp4_vs_fp8_decode").asDouble(), 1e-12);
        assertEquals(3, cell.get("results").get(0).get("decode_tokens_per_s_runs").size());

        BufferedImage png = ImageIO.read(tmp.resolve("out/bench.png").toFile());
        assertEquals(2 * 400, png.getHeight()); // decode row and prefill row, one column per shape
        assertTrue(png.getWidth() >= 500);
    }

    /** Without a native llama.cpp build there is no Q4_K_M file: that row and its target say so rather than vanish. */
    @Test
    void withoutTheNativeBuildQ4KmIsNotMeasured() {
        Report full = fakeReport();
        List<Cell> cells = new java.util.ArrayList<>();
        for (Cell c : full.cells()) {
            Map<Contender, Measurement> m = new EnumMap<>(c.results());
            m.remove(Contender.LLAMA_Q4_K_M);
            cells.add(new Cell(c.shape(), c.threads(), m, c.load()));
        }
        Report r = new Report(full.options(), full.command(), full.machine(), full.started(), full.loadBefore(), full.loadAfter(),
                full.niceness(), full.llamaBuild(), full.llamaTiming(), cells, List.of());
        String md = ComparisonReport.markdown(r);
        assertTrue(!md.contains("## 4-bit / llama.cpp Q4_K_M"), md);
        assertTrue(md.contains("1b, 2 threads, NVFP4 decode ≥ 1.2× llama.cpp Q4_K_M: not measured (needs --llama-bench: the native"
                + " build's llama-quantize makes the Q4_K_M file)"), md);
        assertEquals(List.of(Contender.LLAMA_Q4_0), ComparisonSuite.order(options(List.of("tiny"), List.of(1))).stream()
                .filter(c -> c.engine().equals("llama.cpp") && c.weights().startsWith("Q4")).toList());
        assertTrue(!ComparisonSuite.order(options(List.of("tiny"), List.of(1))).contains(Contender.EUCLID_Q4_K_M_A8));
    }

    @Test
    void optionsRejectUnknownShapesAndBadCounts() {
        assertThrows(IllegalArgumentException.class, () -> options(List.of("7b"), List.of(1)));
        assertThrows(IllegalArgumentException.class, () -> options(List.of("tiny"), List.of(-1)));
        assertThrows(IllegalArgumentException.class, () -> options(List.of(), List.of(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new Options(List.of("tiny"), List.of(1), 16, 8, 1, 0, true, tmp.resolve("out"), tmp.resolve("cache"), null, null));
        assertEquals(List.of(Runtime.getRuntime().availableProcessors()), options(List.of("tiny"), List.of(0, 0)).resolvedThreads());
    }

    @Test
    void passesMergeIntoOneMeasurement() {
        Measurement a = new Measurement(Contender.EUCLID_FP8, new double[] {100}, new double[] {10}, 1_000L, "t", 30e9);
        Measurement b = new Measurement(Contender.EUCLID_FP8, new double[] {200}, new double[] {20}, 1_000L, "t", 50e9);
        Measurement c = new Measurement(Contender.EUCLID_FP8, new double[] {300}, new double[] {30}, 1_000L, "t", 40e9);
        Measurement m = Measurement.merge(List.of(a, b, c));
        assertArrayEquals(new double[] {100, 200, 300}, m.prefillRuns(), 0);
        assertArrayEquals(new double[] {10, 20, 30}, m.decodeRuns(), 0);
        assertEquals(40e9, m.memoryBandwidth(), 0);
        assertEquals(1_000L * 20 / 40e9, m.bandwidthFraction(), 1e-15);
        assertTrue(Double.isNaN(new Measurement(Contender.EUCLID_FP8, new double[] {1}, new double[] {1}, 1L, "t").bandwidthFraction()));
    }

    /** The whole suite for real on the tiny shape, in two passes: files built, both engines measured, report written. */
    @Test
    void suiteMeasuresBothEnginesOnTheTinyShape() throws Exception {
        Options o = new Options(List.of("tiny"), List.of(1), 16, 8, 1, 2, true, tmp.resolve("out"), tmp.resolve("cache"), null, null);
        Report r = ComparisonSuite.run(o);
        assertEquals(List.of(), r.failures());
        assertEquals(1, r.cells().size());
        Cell c = r.cells().get(0);
        assertEquals(Contender.values().length - 2, ComparisonSuite.order(o).size(), "all but the two on llama-quantize's Q4_K_M");
        for (Contender k : ComparisonSuite.order(o)) {
            Measurement m = c.results().get(k);
            assertEquals(2, m.decodeRuns().length, k + ": one run in each pass");
            assertTrue(m.prefillTokensPerSecond() > 0 && m.decodeTokensPerSecond() > 0, k + ": " + m);
            assertTrue(m.memoryBandwidth() > 1e8, k + ": bandwidth beside it " + m.memoryBandwidth());
            assertTrue(m.weightBytesPerToken() > 0, k.toString());
        }
        // Q8_0 blocks carry a 2-byte scale per 32 weights, FP8/INT8 a 4-byte scale per row: both ~1 byte per weight.
        double f16 = c.results().get(Contender.LLAMA_F16).weightBytesPerToken();
        assertEquals(f16, c.results().get(Contender.EUCLID_FP16).weightBytesPerToken(), 0.05 * f16);
        assertTrue(r.llamaTiming().contains("own timings"), r.llamaTiming());
        String md = ComparisonSuite.write(r);
        assertTrue(md.contains("median of 1 run after 1 warm-up, in each of 2 passes through the contenders"), md);
        assertTrue(Files.size(o.out().resolve("bench.png")) > 1000);
        // The second run reuses the cached engine and GGUF files.
        for (Contender k : ComparisonSuite.order(o)) assertTrue(Files.isRegularFile(ComparisonSuite.artifact(o.cache(), "tiny", k)));
    }

    /** The same suite with llama.cpp measured by the native peer build's llama-bench instead of de.kherud's binding. */
    @Test
    void suiteMeasuresLlamaCppWithANativeLlamaBench() throws Exception {
        Path llamaBench = SharedModels.llamaPeer("llama-bench");
        Options o = new Options(List.of("tiny"), List.of(1), 16, 8, 2, 1, true, tmp.resolve("out"), tmp.resolve("cache"), null,
                llamaBench);
        Report r = ComparisonSuite.run(o);
        assertEquals(List.of(), r.failures());
        for (Contender k : List.of(Contender.LLAMA_F16, Contender.LLAMA_Q8_0, Contender.LLAMA_Q4_0, Contender.LLAMA_Q4_K_M,
                Contender.EUCLID_Q4_K_M_A8)) {
            Measurement m = r.cells().get(0).results().get(k);
            assertEquals(2, m.prefillRuns().length, k.toString());
            for (double rate : m.prefillRuns()) assertTrue(rate > 0, k + ": " + m);
            for (double rate : m.decodeRuns()) assertTrue(rate > 0, k + ": " + m);
        }
        assertEquals(LlamaBenchRunner.SOURCE, r.llamaTiming());
        assertTrue(r.llamaBuild().matches("\\d+ \\([0-9a-f]+\\)"), r.llamaBuild());
        String md = ComparisonSuite.write(r);
        assertTrue(md.contains("| llama.cpp | native llama-bench " + llamaBench), md);
        assertTrue(md.contains("`-p 16 -n 8 -r 2 -o jsonl`"), md);
        // llama-quantize's Q4_K_M of the F16 file, set against Euclid's 4-bit rows.
        assertTrue(md.contains("## 4-bit / llama.cpp Q4_K_M") && md.contains("| tiny | 1 | NVFP4_A8 |")
                && md.contains("| tiny | 1 | Q4_K_M_A8 |"), md);
        // Euclid's row on that file ran an engine file built from it, in Q4_1 (the suite checks the precision).
        assertTrue(Files.isRegularFile(ComparisonSuite.artifact(o.cache(), "tiny", Contender.EUCLID_Q4_K_M_A8)));
    }

    private Options options(List<String> shapes, List<Integer> threads) {
        return new Options(shapes, threads, 16, 8, 1, 1, true, tmp.resolve("out"), tmp.resolve("cache"), null, null);
    }

    private Report fakeReport() {
        Options o = new Options(List.of("1b"), List.of(1, 2), 128, 64, 3, 1, false, tmp.resolve("out"), tmp.resolve("cache"),
                "euclid bench --compare --shapes 1b --threads 1,2", null);
        MachineInfo m = new MachineInfo("AMD Test CPU", 2, 2, 8L << 30, "Linux", "JVM 17");
        return new Report(o, o.command(), m, ZonedDateTime.now(), "0.50 0.40 0.30", "0.60 0.50 0.40", 0, "4916 (c6af2161)",
                "llama.cpp's own timings", List.of(cell(1, 30e9), cell(2, 50e9)), List.of());
    }

    private static Cell cell(int threads, double bandwidth) {
        Map<Contender, Measurement> m = new EnumMap<>(Contender.class);
        m.put(Contender.EUCLID_FP16, new Measurement(Contender.EUCLID_FP16, runs(100), runs(40), 1_000_000_000L, "t", bandwidth));
        m.put(Contender.EUCLID_FP8, new Measurement(Contender.EUCLID_FP8, runs(300), runs(50), 500_000_000L, "t", bandwidth));
        m.put(Contender.EUCLID_FP8_B16, new Measurement(Contender.EUCLID_FP8_B16, runs(600), runs(50), 500_000_000L, "t", bandwidth));
        m.put(Contender.EUCLID_INT8, new Measurement(Contender.EUCLID_INT8, runs(250), runs(60), 500_000_000L, "t", bandwidth));
        m.put(Contender.LLAMA_F16, new Measurement(Contender.LLAMA_F16, runs(200), runs(20), 1_000_000_000L, "t", bandwidth));
        m.put(Contender.LLAMA_Q8_0, new Measurement(Contender.LLAMA_Q8_0, runs(150), runs(40), 530_000_000L, "t", bandwidth));
        m.put(Contender.EUCLID_NVFP4, new Measurement(Contender.EUCLID_NVFP4, runs(250), runs(90), 280_000_000L, "t", bandwidth));
        m.put(Contender.EUCLID_NVFP4_A8, new Measurement(Contender.EUCLID_NVFP4_A8, runs(500), runs(84), 280_000_000L, "t", bandwidth));
        m.put(Contender.EUCLID_MXFP4, new Measurement(Contender.EUCLID_MXFP4, runs(240), runs(95), 270_000_000L, "t", bandwidth));
        m.put(Contender.EUCLID_Q4_0, new Measurement(Contender.EUCLID_Q4_0, runs(90), runs(70), 280_000_000L, "t", bandwidth));
        m.put(Contender.LLAMA_Q4_0, new Measurement(Contender.LLAMA_Q4_0, runs(100), runs(70), 300_000_000L, "t", bandwidth));
        m.put(Contender.LLAMA_Q4_K_M, new Measurement(Contender.LLAMA_Q4_K_M, runs(110), runs(60), 320_000_000L, "t", bandwidth));
        return new Cell("1b", threads, m, "0.5");
    }

    /** Three runs with the given median. */
    private static double[] runs(double median) {
        return new double[] {median * 1.1, median, median * 0.95};
    }
}
