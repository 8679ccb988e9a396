package dev.familiar.grandpa.delegation.backend;

import dev.familiar.grandpa.runtime.client.CallFailure;
import dev.familiar.grandpa.runtime.client.ErrorKind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.familiar.grandpa.testkit.standin.Reply;
import dev.familiar.grandpa.testkit.standin.StandInLlamaServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A coder backend called over real HTTP, and each way a call can go wrong, classified. */
class CoderBackendTest {
    static final Assignment WORK = new Assignment("Ship the parser", "Write the lexer", "Tokenise the input.",
            List.of("handles empty input"), List.of("Output of subtask design:\nuse a table"), "mind the unicode");

    StandInLlamaServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    CoderBackend backend(int slots, Duration timeout) {
        return new CoderBackend(new BackendSpec("coder", BackendKind.OPENAI, server.baseUrl(), "qwen-coder", null, null, null,
                Set.of("code"), slots, timeout, null, 1.0));
    }

    @Test
    void anAnswerComesBackWithItsUsageAndThePromptCarriesTheWholeAssignment() throws Exception {
        server = StandInLlamaServer.start("coder", call -> Reply.text("class Lexer {}"));
        CoderReply reply = backend(1, Duration.ofSeconds(5)).complete(WORK);

        assertThat(reply.text()).isEqualTo("class Lexer {}");
        assertThat(reply.truncated()).isFalse();
        assertThat(reply.promptTokens()).isPositive();
        assertThat(reply.completionTokens()).isPositive();
        String prompt = server.received().getFirst().last("user");
        assertThat(prompt).contains("Ship the parser", "Write the lexer", "Tokenise the input.", "- handles empty input",
                "use a table", "mind the unicode");
        assertThat(server.received().getFirst().model()).isEqualTo("qwen-coder");
    }

    @Test
    void aStreamedAnswerArrivesInPiecesThatMakeTheWhole() throws Exception {
        String answer = "class Lexer {\n    // tokens one by one, as they are produced by the model\n}\n";
        server = StandInLlamaServer.start("coder", call -> Reply.text(answer));
        server.setStreamInterval(Duration.ofMillis(30));
        var pieces = new java.util.concurrent.CopyOnWriteArrayList<String>();
        CoderReply reply = backend(1, Duration.ofSeconds(10)).complete(WORK, pieces::add);

        assertThat(reply.text()).isEqualTo(answer);
        assertThat(pieces).hasSizeGreaterThan(3);
        assertThat(String.join("", pieces)).isEqualTo(answer);
        assertThat(reply.completionTokens()).isPositive();
    }

    @Test
    void anEndlessStreamIsCutOffAtTheTimeLimit() {
        server = StandInLlamaServer.start("coder", call -> Reply.endlessStream());
        var pieces = new java.util.concurrent.CopyOnWriteArrayList<String>();
        long start = System.nanoTime();
        CallFailure failure = catchThrowableOfType(CallFailure.class,
                () -> backend(1, Duration.ofMillis(800)).complete(WORK, pieces::add));
        assertThat(failure.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
        assertThat(pieces).isNotEmpty();
    }

    @Test
    void aTruncatedAnswerSaysSo() throws Exception {
        server = StandInLlamaServer.start("coder", call -> Reply.truncated("class Lex"));
        assertThat(backend(1, Duration.ofSeconds(5)).complete(WORK).truncated()).isTrue();
    }

    @Test
    void serverErrorsTimeoutsHangUpsAndEmptyAnswersAreClassified() {
        server = StandInLlamaServer.start("coder", call -> Reply.error(500, "boom"));
        assertThat(failure(backend(1, Duration.ofSeconds(5))).kind()).isEqualTo(ErrorKind.SERVER_ERROR);

        server.respondWith(call -> Reply.error(429, "slow down"));
        assertThat(failure(backend(1, Duration.ofSeconds(5))).kind()).isEqualTo(ErrorKind.RATE_LIMITED);

        server.respondWith(call -> Reply.error(400, "bad"));
        assertThat(failure(backend(1, Duration.ofSeconds(5))).kind()).isEqualTo(ErrorKind.CLIENT_ERROR);

        server.respondWith(call -> Reply.text("late").after(Duration.ofSeconds(3)));
        CallFailure timeout = failure(backend(1, Duration.ofMillis(500)));
        assertThat(timeout.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(timeout.durationMs()).isBetween(400L, 2900L);

        server.respondWith(call -> Reply.hangUp());
        assertThat(failure(backend(1, Duration.ofSeconds(5))).kind()).isEqualTo(ErrorKind.CONNECTION_LOST);

        server.respondWith(call -> Reply.text(""));
        assertThat(failure(backend(1, Duration.ofSeconds(5))).kind()).isEqualTo(ErrorKind.EMPTY_RESPONSE);
    }

    @Test
    void malformedTruncatedAndEndlessBodiesAreClassified() {
        server = StandInLlamaServer.start("coder", call -> Reply.raw("<html>502 Bad Gateway</html>"));
        assertThat(failure(backend(1, Duration.ofSeconds(5))).kind()).isEqualTo(ErrorKind.MALFORMED_RESPONSE);

        server.respondWith(call -> Reply.truncatedBody());
        assertThat(failure(backend(1, Duration.ofSeconds(5))).kind()).isEqualTo(ErrorKind.CONNECTION_LOST);

        server.respondWith(call -> Reply.endlessBody());
        CallFailure endless = failure(backend(1, Duration.ofMillis(800)));
        assertThat(endless.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(endless.durationMs()).isLessThan(5_000);
    }

    @Test
    void aStreamCutOffHalfwayIsRetriedAndTheSinkHearsThatThePiecesSoFarAreVoid() throws Exception {
        String answer = "class Lexer {\n    // the whole answer, the second time round\n}\n";
        var calls = new java.util.concurrent.atomic.AtomicInteger();
        server = StandInLlamaServer.start("coder", call -> calls.incrementAndGet() == 1 ? Reply.cutStream(answer) : Reply.text(answer));
        var heard = new java.util.concurrent.CopyOnWriteArrayList<String>();
        CoderReply reply = backend(1, Duration.ofSeconds(10)).complete(WORK, new OutputSink() {
            @Override
            public void accept(String piece) {
                heard.add(piece);
            }

            @Override
            public void restart(int tryNumber) {
                heard.add("<restart " + tryNumber + ">");
            }
        });

        assertThat(reply.text()).isEqualTo(answer);
        assertThat(reply.retries()).isEqualTo(1);
        int restart = heard.indexOf("<restart 2>");
        assertThat(restart).isPositive(); // half the answer came before the cut
        assertThat(String.join("", heard.subList(0, restart))).isEqualTo(answer.substring(0, answer.length() / 2));
        assertThat(String.join("", heard.subList(restart + 1, heard.size()))).isEqualTo(answer);
    }

    @Test
    void transientErrorsAreRetriedAndCounted() throws Exception {
        var calls = new java.util.concurrent.atomic.AtomicInteger();
        server = StandInLlamaServer.start("coder", call -> calls.incrementAndGet() <= 2 ? Reply.hangUp() : Reply.text("third time"));
        CoderReply reply = backend(1, Duration.ofSeconds(5)).complete(WORK);
        assertThat(reply.text()).isEqualTo("third time");
        assertThat(reply.retries()).isEqualTo(2);
        assertThat(server.calls()).isEqualTo(3);

        server.respondWith(call -> Reply.error(500, "deterministic"));
        calls.set(0);
        failure(backend(1, Duration.ofSeconds(5)));
        assertThat(server.calls()).isEqualTo(4); // a 500 is not retried
    }

    @Test
    void theCircuitOpensOnADeadBackendAndAProbeHalfOpensIt() throws Exception {
        server = StandInLlamaServer.start("coder", call -> Reply.error(500, "CUDA error"));
        var backend = new CoderBackend(new BackendSpec("coder", BackendKind.OPENAI, server.baseUrl(), null, null, null, null,
                Set.of("code"), 1, Duration.ofSeconds(5), null, 1.0),
                new CoderBackend.Guards(1, Duration.ofMillis(10), 4, 50, Duration.ofMinutes(5)));
        for (int i = 0; i < 4; i++) {
            assertThat(failure(backend).kind()).isEqualTo(ErrorKind.SERVER_ERROR);
        }
        int callsWhenOpened = server.calls();
        assertThat(backend.circuit()).isEqualTo("OPEN");
        assertThat(backend.available()).isFalse();
        assertThat(failure(backend).kind()).isEqualTo(ErrorKind.CIRCUIT_OPEN);
        assertThat(server.calls()).isEqualTo(callsWhenOpened);

        server.respondWith(call -> Reply.text("back"));
        assertThat(backend.probe()).isTrue();
        assertThat(backend.circuit()).isEqualTo("HALF_OPEN");
        assertThat(backend.available()).isTrue();
        assertThat(backend.complete(WORK).text()).isEqualTo("back");
        assertThat(backend.circuit()).isEqualTo("CLOSED");
    }

    @Test
    void aBackendNobodyListensOnIsUnreachable() {
        server = StandInLlamaServer.start("coder", call -> Reply.text("x"));
        var dead = new CoderBackend(BackendSpec.openAi("dead", "http://127.0.0.1:9/v1", Set.of("code"), 1,
                Duration.ofSeconds(2), 1.0));
        CallFailure failure = catchThrowableOfType(CallFailure.class, () -> dead.complete(WORK));
        assertThat(failure.kind()).isEqualTo(ErrorKind.UNREACHABLE);
        assertThat(failure.getMessage()).startsWith("dead: unreachable").endsWith("(after 3 tries)");
        assertThat(dead.probe()).isFalse();
        assertThat(dead.available()).isFalse();
    }

    @Test
    void noMoreCallsThanSlotsReachTheBackendAndTheRestQueue() throws Exception {
        server = StandInLlamaServer.start("coder", call -> Reply.text("ok").after(Duration.ofMillis(100)));
        CoderBackend backend = backend(2, Duration.ofSeconds(10));
        var calls = new ArrayList<Callable<CoderReply>>();
        for (int i = 0; i < 20; i++) {
            calls.add(() -> backend.complete(WORK));
        }
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var f : pool.invokeAll(calls)) {
                assertThat(f.get().text()).isEqualTo("ok");
            }
        }
        assertThat(server.calls()).isEqualTo(20);
        assertThat(server.maxConcurrentCalls()).isEqualTo(2);
    }


    private static CallFailure failure(CoderBackend backend) {
        return catchThrowableOfType(CallFailure.class, () -> backend.complete(WORK));
    }
}
