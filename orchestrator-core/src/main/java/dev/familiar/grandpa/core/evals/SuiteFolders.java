package dev.familiar.grandpa.core.evals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The suites the configuration names ({@code grandpa.evals.suites}): a folder that is a suite, or one whose
 * folders are. A suite is found by its name or by its folder, and only among these.
 */
final class SuiteFolders {
    private final List<Path> roots;

    SuiteFolders(List<Path> roots) {
        this.roots = roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    /** The suites there are, by name (a suite with mistakes in it is left out here and refused when asked for). */
    Map<String, Path> available() {
        var found = new TreeMap<String, Path>();
        for (Path folder : folders()) {
            try {
                found.putIfAbsent(Suite.load(folder).name(), folder);
            } catch (RuntimeException e) {
                // a broken suite is named with its mistakes when someone runs it
            }
        }
        return found;
    }

    /**
     * The suite of this name, or in this folder (one of the configured ones).
     *
     * @throws IllegalArgumentException it is none of them, or has mistakes (each named)
     */
    Suite find(String nameOrFolder) {
        Path named = available().get(nameOrFolder);
        if (named != null) {
            return Suite.load(named);
        }
        Path folder = real(Path.of(nameOrFolder));
        for (Path known : folders()) {
            if (real(known).equals(folder)) {
                return Suite.load(known);
            }
        }
        throw new IllegalArgumentException("no suite named or at '" + nameOrFolder + "'; suites: "
                + (available().isEmpty() ? "none" : String.join(", ", available().keySet()))
                + " (a suite's folder must be named in grandpa.evals.suites, or be in one named there)");
    }

    /** Whether the folder is one of the configured suites' (a stored run's folder is checked again). */
    boolean configured(Path folder) {
        Path wanted = real(folder);
        return folders().stream().anyMatch(f -> real(f).equals(wanted));
    }

    private List<Path> folders() {
        var folders = new ArrayList<Path>();
        for (Path root : roots) {
            if (Files.isRegularFile(root.resolve("suite.yaml"))) {
                folders.add(root);
            } else if (Files.isDirectory(root)) {
                try (Stream<Path> children = Files.list(root)) {
                    children.filter(c -> Files.isRegularFile(c.resolve("suite.yaml"))).sorted().forEach(folders::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return folders;
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }
}
