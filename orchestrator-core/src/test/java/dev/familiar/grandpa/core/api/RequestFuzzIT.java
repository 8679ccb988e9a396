package dev.familiar.grandpa.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.core.testing.RandomText;
import dev.familiar.grandpa.store.testing.TestPostgres;
import java.math.BigInteger;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random request bodies against the real service: random JSON (the real field names with values of
 * any type, unknown fields, NULs, surrogates, huge numbers, deep nesting) and text that is not JSON.
 * Whatever comes in, the answer is never a 5xx. Each case is one seed, which reproduces it.
 */
class RequestFuzzIT {
    static final List<String> ENDPOINTS = List.of("POST /api/tasks", "POST /api/backends", "PATCH /api/backends/nowhere",
            "POST /api/tasks/{task}/resume", "POST /api/tasks/{task}/cancel", "POST /v1/chat/completions");
    static final List<String> FIELDS = List.of("goal", "title", "repo", "labels", "priority", "acceptanceCommand", "note",
            "name", "kind", "baseUrl", "model", "apiKeyEnv", "apiKey", "command", "capabilities", "slots", "timeoutSeconds",
            "contextLimit", "cost", "enabled", "draining", "status", "messages", "stream", "role", "content");
    static final List<String> WORDS = List.of("http://a b/v1", "ftp://x", "http://127.0.0.1:9/v1", "http://169.254.169.254/",
            "CLI", "OPENAI", "GRANDPA_KEY_X", "SPRING_DATASOURCE_PASSWORD", "code", "grandpa", "user", "\u0000", "\uD800");

    static Grandpa grandpa;
    static UUID task;

    @BeforeAll
    static void start() {
        var properties = Grandpa.defaults(TestPostgres.newDatabase());
        properties.put("grandpa.model.base-url", "http://127.0.0.1:9/v1"); // tasks wait; nothing is delegated
        grandpa = Grandpa.start(properties);
        task = grandpa.submit("The task resumes and cancels are aimed at");
    }

    @AfterAll
    static void stop() {
        grandpa.close();
    }

    static LongStream seeds() {
        return LongStream.range(0, 250);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void noBodyMakesTheApiFail(long seed) {
        var random = new Random(seed);
        String endpoint = ENDPOINTS.get(random.nextInt(ENDPOINTS.size()));
        int kind = random.nextInt(8);
        String body = kind < 6 ? Grandpa.JSON.writeValueAsString(object(random, 3))
                : kind == 6 ? Grandpa.JSON.writeValueAsString(value(random, 2))
                : RandomText.anything(random, random.nextInt(201));
        String[] parts = endpoint.split(" ", 2);
        var request = grandpa.request(parts[1].replace("{task}", task.toString()))
                .header("Content-Type", "application/json")
                .method(parts[0], HttpRequest.BodyPublishers.ofString(body));
        int status = Grandpa.send(request.build()).status();
        assertThat(status).as("%s %s", endpoint, body).isLessThan(500);
    }

    static Map<String, Object> object(Random random, int depth) {
        var object = new LinkedHashMap<String, Object>();
        for (int i = random.nextInt(9); i > 0; i--) {
            object.put(random.nextInt(9) < 8 ? FIELDS.get(random.nextInt(FIELDS.size())) : text(random), value(random, depth));
        }
        return object;
    }

    static Object value(Random random, int depth) {
        int pick = random.nextInt(depth == 0 ? 6 : 8);
        return switch (pick) {
            case 0 -> text(random);
            case 1 -> random.nextInt();
            case 2 -> random.nextLong();
            case 3 -> random.nextBoolean() ? random.nextDouble() * 1e6 : null;
            case 4 -> random.nextBoolean();
            case 5 -> new BigInteger(100, random).subtract(BigInteger.TWO.pow(99)); // past every long
            case 6 -> {
                var list = new ArrayList<>();
                for (int i = random.nextInt(6); i > 0; i--) {
                    list.add(value(random, depth - 1));
                }
                yield list;
            }
            default -> object(random, depth - 1);
        };
    }

    static String text(Random random) {
        int pick = random.nextInt(7);
        return pick < 4 ? RandomText.chars(random, "abcdefghijklmnopqrstuvwxyz", random.nextInt(31))
                : pick < 6 ? RandomText.anything(random, random.nextInt(31)) // NULs, surrogates, controls
                : WORDS.get(random.nextInt(WORDS.size()));
    }
}
