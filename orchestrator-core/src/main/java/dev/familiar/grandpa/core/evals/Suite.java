package dev.familiar.grandpa.core.evals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A bake-off suite: a folder with {@code suite.yaml} and a folder per case ({@code repo/}, {@code held-out/},
 * and, for the scripted coder that solves it, {@code solution/}). A case's repository is its {@code repo/}
 * folder, or a git repository or bundle the manifest names ({@code repository}, relative to the suite's
 * folder) at a {@code commit}. Read and checked whole: a suite with a mistake in it is refused with every
 * mistake named, before anything runs.
 */
record Suite(String name, Path folder, List<Case> cases) {

    /**
     * One case: the goal a task is given in the case's repository, the checks its coders may run (and the
     * one that accepts the task), and the held-out check that says whether it was solved.
     *
     * @param repository the folder of the repository's files ({@code repo/}), or a git repository or bundle
     * @param commit     for a git repository or bundle, the commit the task starts from; null for a folder
     */
    record Case(String id, String language, String goal, Map<String, String> checks, String acceptance,
                String heldOut, Path repository, String commit, Path heldOutFiles, Path solution) {

        /** Whether the repository is a git repository or bundle at a commit, not a folder of files. */
        boolean fromGit() {
            return commit != null;
        }
    }

    static Suite load(Path folder) {
        Path manifest = folder.resolve("suite.yaml");
        Map<?, ?> root;
        try {
            Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(manifest));
            root = parsed instanceof Map<?, ?> map ? map : Map.of();
        } catch (IOException e) {
            throw new UncheckedIOException("no suite at " + folder + " (" + e.getMessage() + ")", e);
        }
        var problems = new ArrayList<String>();
        var cases = new ArrayList<Case>();
        var ids = new HashSet<String>();
        Object listed = root.get("cases");
        for (Object entry : listed instanceof List<?> list ? list : List.of()) {
            Map<?, ?> c = entry instanceof Map<?, ?> map ? map : Map.of();
            String id = text(c, "id");
            if (id == null || !id.matches("[a-z0-9][a-z0-9-]*")) {
                problems.add("a case needs an id of lower-case letters, digits and dashes, not " + id);
                continue;
            }
            if (!ids.add(id)) {
                problems.add(id + ": the id is used twice");
            }
            var checks = new LinkedHashMap<String, String>();
            if (c.get("checks") instanceof Map<?, ?> named) {
                named.forEach((k, v) -> checks.put(String.valueOf(k), String.valueOf(v)));
            }
            String acceptance = text(c, "acceptance");
            Path dir = folder.resolve(id);
            String named = text(c, "repository");
            var found = new Case(id, text(c, "language"), text(c, "goal"), Map.copyOf(checks), acceptance,
                    text(c, "held-out"), named == null ? dir.resolve("repo") : folder.resolve(named).normalize(),
                    named == null ? null : Objects.requireNonNullElse(text(c, "commit"), ""), dir.resolve("held-out"),
                    dir.resolve("solution"));
            problems.addAll(problems(found));
            cases.add(found);
        }
        if (cases.isEmpty()) {
            problems.add("the suite has no cases");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("suite " + manifest + ": " + String.join("; ", problems));
        }
        return new Suite(text(root, "name") == null ? folder.getFileName().toString() : text(root, "name"), folder,
                List.copyOf(cases));
    }

    private static List<String> problems(Case c) {
        var problems = new ArrayList<String>();
        if (c.goal() == null || c.goal().isBlank()) {
            problems.add(c.id() + ": no goal");
        }
        if (c.acceptance() == null || !c.checks().containsKey(c.acceptance())) {
            problems.add(c.id() + ": its acceptance check " + c.acceptance() + " is none of its checks " + c.checks().keySet());
        }
        if (c.heldOut() == null || c.heldOut().isBlank()) {
            problems.add(c.id() + ": no held-out check");
        }
        if (c.fromGit() ? !Files.exists(c.repository()) : !Files.isDirectory(c.repository())) {
            problems.add(c.id() + ": no repository at " + c.repository());
        }
        if (c.fromGit() && !c.commit().matches("[0-9A-Za-z._/^~-]+")) {
            problems.add(c.id() + ": a repository from git needs the commit the task starts from (commit: <rev>)");
        }
        if (!Files.isDirectory(c.heldOutFiles())) {
            problems.add(c.id() + ": no held-out tests at " + c.heldOutFiles());
        }
        return problems;
    }

    private static String text(Map<?, ?> map, String key) {
        Object value = map.get(key);
        return value == null ? null : value.toString().strip();
    }
}
