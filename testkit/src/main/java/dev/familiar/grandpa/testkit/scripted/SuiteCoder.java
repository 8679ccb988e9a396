package dev.familiar.grandpa.testkit.scripted;

import dev.familiar.grandpa.testkit.standin.ChatCall;
import dev.familiar.grandpa.testkit.standin.Reply;
import dev.familiar.grandpa.testkit.standin.Responder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A scripted coder for the bake-off's own tests, not a model: it knows a suite's cases (the folder each
 * has, with its {@code solution/} and {@code repo/}) and tells which case it works on from the
 * repository's name in the prompt ({@code eval-<run>-<case>}). Asked to solve, it answers with the known
 * solution as whole files; asked to be wrong, with a plausible change that solves nothing (the files the
 * solution changes, as they were, with a line of comment added); half-right, it solves the cases a coin
 * thrown once per case and seed says.
 */
public final class SuiteCoder implements Responder {
    private static final Pattern CASE = Pattern.compile("the repository eval-[0-9a-f]{8}-([a-z0-9-]+)\\.");

    /** How the coder answers. */
    public enum Behaviour { SOLVES, WRONG, HALF_RIGHT }

    private final Path suite;
    private final Behaviour behaviour;
    private final long seed;

    /** @param seed only for {@link Behaviour#HALF_RIGHT}: which half it gets right */
    public SuiteCoder(Path suite, Behaviour behaviour, long seed) {
        this.suite = suite;
        this.behaviour = behaviour;
        this.seed = seed;
    }

    @Override
    public Reply answer(ChatCall call) {
        String prompt = call.messages().stream().map(ChatCall.Message::content).reduce("", String::concat);
        Matcher m = CASE.matcher(prompt);
        if (!m.find()) {
            return Reply.text("This stand-in coder works on bake-off cases only.");
        }
        String caseId = m.group(1);
        return Reply.text(solves(caseId) ? solution(caseId) : wrong(caseId));
    }

    /** Whether this coder solves the case. */
    public boolean solves(String caseId) {
        return switch (behaviour) {
            case SOLVES -> true;
            case WRONG -> false;
            case HALF_RIGHT -> Math.floorMod(mix(seed * 31 + caseId.hashCode()), 2) == 0;
        };
    }

    private String solution(String caseId) {
        var answer = new StringBuilder();
        Path solution = suite.resolve(caseId).resolve("solution");
        for (Path file : files(solution)) {
            answer.append(wholeFile(solution.relativize(file).toString(), read(file)));
        }
        return answer.toString();
    }

    private String wrong(String caseId) {
        var answer = new StringBuilder();
        Path solution = suite.resolve(caseId).resolve("solution");
        Path repo = suite.resolve(caseId).resolve("repo");
        for (Path file : files(solution)) {
            String relative = solution.relativize(file).toString();
            Path given = repo.resolve(relative);
            String before = Files.exists(given) ? read(given) : "";
            String comment = relative.endsWith(".py") ? "# " : "// ";
            answer.append(wholeFile(relative, before + comment + "handled (written by the stand-in coder that is always wrong)\n"));
        }
        return answer.toString();
    }

    private static String wholeFile(String path, String content) {
        return path + "\n```\n" + content + (content.endsWith("\n") ? "" : "\n") + "```\n\n";
    }

    private static List<Path> files(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A 64-bit finaliser (SplitMix64's), so neighbouring seeds throw unrelated coins. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
