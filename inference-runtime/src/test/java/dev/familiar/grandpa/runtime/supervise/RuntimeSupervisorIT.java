package dev.familiar.grandpa.runtime.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.familiar.grandpa.testkit.standin.StandInServerMain;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The supervisor runs a stand-in llama-server as a real process from a real command line. */
class RuntimeSupervisorIT {

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static List<String> standIn(int port, long loadMs) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-cp", System.getProperty("java.class.path"), StandInServerMain.class.getName(),
                "--port", Integer.toString(port), "--load-ms", Long.toString(loadMs));
    }

    static RuntimeSupervisor.Settings settings(int port, List<String> command, Duration readyTimeout) {
        return new RuntimeSupervisor.Settings(URI.create("http://127.0.0.1:" + port), command, readyTimeout,
                Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofSeconds(2), 50);
    }

    @Test
    void startsReportsLoadingSurvivesKill9AndStopsWithTheService() throws Exception {
        int port = freePort();
        var states = new CopyOnWriteArrayList<RuntimeState>();
        long firstPid;
        try (var supervisor = new RuntimeSupervisor(settings(port, standIn(port, 1500), Duration.ofSeconds(60)))) {
            supervisor.onState(states::add);
            supervisor.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> supervisor.state() == RuntimeState.READY);
            assertThat(states).containsSubsequence(RuntimeState.LOADING, RuntimeState.READY); // it begins STARTING
            var status = supervisor.status();
            assertThat(status.buffersMiB()).containsEntry("CUDA0 weights", 1234.5).containsEntry("CUDA0 kv", 512.0)
                    .containsEntry("CUDA_Host weights", 4567.25);
            assertThat(status.logTail()).anyMatch(l -> l.contains("llama_server: listening on http://127.0.0.1:"));
            firstPid = status.pid();

            ProcessHandle.of(firstPid).orElseThrow().destroyForcibly(); // kill -9
            await().atMost(Duration.ofSeconds(30)).until(() -> states.contains(RuntimeState.RESTARTING));
            await().atMost(Duration.ofSeconds(60)).until(() -> supervisor.state() == RuntimeState.READY
                    && supervisor.status().pid() != null && supervisor.status().pid() != firstPid);
            assertThat(supervisor.status().restarts()).isEqualTo(1);
            long secondPid = supervisor.status().pid();
            supervisor.close();
            assertThat(ProcessHandle.of(secondPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(supervisor.state()).isEqualTo(RuntimeState.STOPPED);
        }
    }

    @Test
    void aSwitchStartsTheOtherCommandWithoutCountingARestartAndIsReadyOnlyOnceItIs() throws Exception {
        int port = freePort();
        var states = new CopyOnWriteArrayList<RuntimeState>();
        List<String> other = standIn(port, 1000);
        try (var supervisor = new RuntimeSupervisor(settings(port, standIn(port, 0), Duration.ofSeconds(60)))) {
            supervisor.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> supervisor.state() == RuntimeState.READY);
            long firstPid = supervisor.status().pid();
            supervisor.onState(states::add);
            supervisor.switchTo(other);
            await().atMost(Duration.ofSeconds(60)).until(() -> supervisor.switches() == 1
                    && supervisor.state() == RuntimeState.READY);
            assertThat(states).containsSubsequence(RuntimeState.STARTING, RuntimeState.LOADING, RuntimeState.READY);
            assertThat(supervisor.command()).isEqualTo(other);
            assertThat(supervisor.status().restarts()).isZero();
            assertThat(supervisor.status().pid()).isNotEqualTo(firstPid);
            assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();

            // the new command stays: a crash restarts it, not the configured one
            ProcessHandle.of(supervisor.status().pid()).orElseThrow().destroyForcibly();
            await().atMost(Duration.ofSeconds(60)).until(() -> supervisor.status().restarts() == 1
                    && supervisor.state() == RuntimeState.READY);
            assertThat(supervisor.command()).isEqualTo(other);
        }
    }

    @Test
    void aServerThatNeverBecomesReadyIsReportedNotWaitedOnForever() throws Exception {
        int port = freePort();
        var command = List.of("sleep", "60"); // runs, never listens
        try (var supervisor = new RuntimeSupervisor(settings(port, command, Duration.ofSeconds(1)))) {
            supervisor.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.state() == RuntimeState.DOWN);
            assertThat(supervisor.status().reason()).contains("not ready after 1 s");
        }
    }

    @Test
    void attachedItFollowsTheServersHealth() throws Exception {
        int port = freePort();
        try (var supervisor = new RuntimeSupervisor(settings(port, List.of(), Duration.ofSeconds(1)))) {
            supervisor.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.state() == RuntimeState.DOWN);
            try (var server = dev.familiar.grandpa.testkit.standin.StandInLlamaServer.start("attached", port,
                    call -> dev.familiar.grandpa.testkit.standin.Reply.text("x"))) {
                server.setLoading(true);
                await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.state() == RuntimeState.LOADING);
                server.setLoading(false);
                await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.state() == RuntimeState.READY);
            }
        }
    }

    @Test
    void theLogDigestReadsIkLlamaCppLinesAndCacheMisses() {
        var digest = new LogDigest(3);
        digest.accept("llm_load_tensors:  CUDA_Host buffer size = 229438.00 MiB");
        digest.accept("llama_kv_cache_init:      CUDA0 KV buffer size =  1492.00 MiB");
        digest.accept("slot update_slots: id  0 | task 12 | Common part does not match fully");
        digest.accept("another line");
        assertThat(digest.buffersMiB()).containsEntry("CUDA_Host weights", 229438.0).containsEntry("CUDA0 kv", 1492.0);
        assertThat(digest.cacheMisses()).isEqualTo(1);
        assertThat(digest.tail()).hasSize(3).first().asString().startsWith("llama_kv_cache_init");
    }

    @Test
    void theLogDigestCountsMainlinesRecurrentStateWithItsKvCache() {
        var digest = new LogDigest(3);
        digest.accept("0.04.308.183 I llama_kv_cache:      CUDA0 KV buffer size =    64.00 MiB");
        digest.accept("0.04.309.002 I llama_memory_recurrent:      CUDA0 RS buffer size =    99.38 MiB");
        assertThat(digest.buffersMiB()).containsEntry("CUDA0 kv", 163.38);
    }
}
