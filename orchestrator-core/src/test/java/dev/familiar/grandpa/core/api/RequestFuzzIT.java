package dev.familiar.grandpa.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.core.testing.Grandpa;
import dev.familiar.grandpa.store.testing.TestPostgres;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Random request bodies against the real service: random JSON (the real field names with values of
 * any type, unknown fields, NULs, surrogates, huge numbers, deep nesting) and text that is not JSON.
 * Whatever comes in, the answer is never a 5xx.
 */
class RequestFuzzIT {
    static Grandpa grandpa;
    static UUID task;

    @BeforeContainer
    static void start() {
        var properties = Grandpa.defaults(TestPostgres.newDatabase());
        properties.put("grandpa.model.base-url", "http://127.0.0.1:9/v1"); // tasks wait; nothing is delegated
        grandpa = Grandpa.start(properties);
        task = grandpa.submit("The task resumes and cancels are aimed at");
    }

    @AfterContainer
    static void stop() {
        grandpa.close();
    }

    @Property(tries = 250)
    void noBodyMakesTheApiFail(@ForAll("bodies") String body, @ForAll("endpoints") String endpoint) {
        String[] parts = endpoint.split(" ", 2);
        var request = grandpa.request(parts[1].replace("{task}", task.toString()))
                .header("Content-Type", "application/json")
                .method(parts[0], HttpRequest.BodyPublishers.ofString(body));
        int status = Grandpa.send(request.build()).status();
        Statistics.label("status").collect(status);
        assertThat(status).as("%s %s", endpoint, body).isLessThan(500);
    }

    @Provide
    Arbitrary<String> endpoints() {
        return Arbitraries.of("POST /api/tasks", "POST /api/backends", "PATCH /api/backends/nowhere",
                "POST /api/tasks/{task}/resume", "POST /api/tasks/{task}/cancel");
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, object(3).map(Grandpa.JSON::writeValueAsString)),
                Tuple.of(1, value(2).map(Grandpa.JSON::writeValueAsString)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(200)));
    }

    static final List<String> FIELDS = List.of("goal", "title", "repo", "labels", "priority", "acceptanceCommand", "note",
            "name", "kind", "baseUrl", "model", "apiKeyEnv", "apiKey", "command", "capabilities", "slots", "timeoutSeconds",
            "contextLimit", "cost", "enabled", "draining", "status");

    static Arbitrary<Map<String, Object>> object(int depth) {
        Arbitrary<String> keys = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of(FIELDS)), Tuple.of(1, text()));
        return Arbitraries.maps(keys, value(depth)).ofMaxSize(8);
    }

    static Arbitrary<Object> value(int depth) {
        var leaves = Arbitraries.<Object>oneOf(text(), Arbitraries.integers(), Arbitraries.longs(),
                Arbitraries.doubles(), Arbitraries.of(true, false), Arbitraries.just(null),
                Arbitraries.bigIntegers().between(java.math.BigInteger.TEN.pow(30).negate(), java.math.BigInteger.TEN.pow(30)));
        if (depth == 0) {
            return leaves;
        }
        return Arbitraries.frequencyOf(Tuple.of(6, leaves),
                Tuple.of(1, value(depth - 1).list().ofMaxSize(5).map(l -> (Object) l)),
                Tuple.of(1, object(depth - 1).map(m -> (Object) m)));
    }

    static Arbitrary<String> text() {
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.strings().alpha().ofMaxLength(30)),
                Tuple.of(2, Arbitraries.strings().ofMaxLength(30)), // any char: NULs, surrogates, controls
                Tuple.of(1, Arbitraries.of("http://a b/v1", "ftp://x", "http://127.0.0.1:9/v1", "CLI", "OPENAI",
                        "GRANDPA_KEY_X", "SPRING_DATASOURCE_PASSWORD", "code", "\u0000", "\uD800")));
    }
}
