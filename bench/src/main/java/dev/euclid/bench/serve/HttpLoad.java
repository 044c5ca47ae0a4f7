package dev.euclid.bench.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * A load generator for any OpenAI-compatible server (Euclid's, llama.cpp's, vLLM's): streamed
 * {@code /v1/completions} requests with token-id prompts and {@code ignore_eos}, so that every
 * answer is exactly {@code maxTokens} long whatever the weights. Closed loop: N clients, each
 * sending its next request when the previous one ends. Open loop: requests arrive as a Poisson
 * process at a given rate, whatever is still running.
 */
final class HttpLoad {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI completions;
    private final String model;
    private final int maxTokens;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30)).build();

    HttpLoad(URI base, String model, int maxTokens) {
        this.completions = base.resolve("/v1/completions");
        this.model = model;
        this.maxTokens = maxTokens;
    }

    /** {@code clients} clients, each sending {@code perClient} requests one after the other; prompt(i) is request i's. */
    List<RequestTiming> closedLoop(int clients, int perClient, IntFunction<int[]> prompt) throws InterruptedException {
        ConcurrentLinkedQueue<RequestTiming> out = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            final int client = c;
            Thread t = new Thread(() -> {
                for (int r = 0; r < perClient; r++) {
                    try {
                        out.add(send(prompt.apply(r * clients + client)));
                    } catch (IOException | RuntimeException e) {
                        errors.add(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }, "load-client-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) t.join();
        if (!errors.isEmpty()) throw new IllegalStateException(errors.size() + " requests failed", errors.peek());
        return new ArrayList<>(out);
    }

    /** {@code requests} requests arriving as a Poisson process of {@code ratePerSecond}. */
    List<RequestTiming> openLoop(double ratePerSecond, int requests, long seed, IntFunction<int[]> prompt)
            throws InterruptedException {
        ConcurrentLinkedQueue<RequestTiming> out = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(requests);
        Random random = new Random(seed);
        long next = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            next += (long) (-Math.log(1 - random.nextDouble()) / ratePerSecond * 1e9);
            long wait = next - System.nanoTime();
            if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
            final int index = i;
            Thread t = new Thread(() -> {
                try {
                    out.add(send(prompt.apply(index)));
                } catch (IOException | RuntimeException e) {
                    errors.add(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            }, "load-arrival-" + i);
            t.start();
        }
        done.await();
        if (!errors.isEmpty()) throw new IllegalStateException(errors.size() + " requests failed", errors.peek());
        return new ArrayList<>(out);
    }

    private RequestTiming send(int[] prompt) throws IOException, InterruptedException {
        String body = JSON.createObjectNode().put("model", model).putPOJO("prompt", prompt).put("max_tokens", maxTokens)
                .put("temperature", 0).put("ignore_eos", true).put("stream", true)
                .set("stream_options", JSON.createObjectNode().put("include_usage", true)).toString();
        HttpRequest request = HttpRequest.newBuilder(completions).timeout(Duration.ofMinutes(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime(), first = 0, previous = 0;
        long[] gaps = new long[maxTokens];
        int arrivals = 0, tokens = -1;
        HttpResponse<java.util.stream.Stream<String>> response = client.send(request, HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IOException("status " + response.statusCode() + ": " + String.join("\n", response.body().toList()));
        }
        for (String line : (Iterable<String>) response.body()::iterator) {
            if (!line.startsWith("data: {")) continue;
            long now = System.nanoTime();
            JsonNode event = JSON.readTree(line.substring(6));
            if (event.path("usage").isObject()) tokens = event.path("usage").path("completion_tokens").asInt();
            JsonNode choices = event.path("choices");
            if (choices.isEmpty() || choices.get(0).path("text").asText().isEmpty()) continue;
            if (first == 0) first = now;
            else if (arrivals - 1 < gaps.length) gaps[arrivals - 1] = now - previous;
            previous = now;
            arrivals++;
        }
        if (tokens < 0) throw new IOException("the server sent no usage (stream_options.include_usage)");
        return new RequestTiming(start, first, Arrays.copyOf(gaps, Math.max(0, Math.min(arrivals - 1, gaps.length))),
                System.nanoTime(), tokens);
    }
}
