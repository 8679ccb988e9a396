package dev.familiar.grandpa.testkit.standin;

import java.io.PrintStream;
import java.util.Locale;

/** The lines llama-server logs after each request ({@code print_timings}, its name cut to 12 letters), as mainline writes them. */
final class TimingsLines {
    private TimingsLines() {}

    static void print(PrintStream log, int slot, Answering.Evaluation e) {
        if (log == null) {
            return;
        }
        int evaluated = e.promptTokens() - e.cached();
        String slotPart = String.format(Locale.ROOT, "slot print_timing: id %2d | task 0 | ", slot);
        log.println(slotPart + line("prompt eval time", e.promptMs(), evaluated));
        log.println(slotPart + line("       eval time", e.predictedMs(), e.completionTokens()));
        log.flush();
    }

    private static String line(String what, double ms, int tokens) {
        return String.format(Locale.ROOT, "%s = %10.2f ms / %5d tokens (%8.2f ms per token, %8.2f tokens per second)",
                what, ms, tokens, tokens > 0 ? ms / tokens : 0, ms > 0 ? tokens * 1000 / ms : 0);
    }
}
