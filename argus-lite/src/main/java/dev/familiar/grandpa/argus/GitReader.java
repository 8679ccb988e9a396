package dev.familiar.grandpa.argus;

import dev.familiar.grandpa.workspace.git.Git;
import dev.familiar.grandpa.workspace.git.GitException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A repository read through git's objects, never its working tree: what a commit holds, what changed
 * between two, and the blobs' text. A symbolic link is a blob like any other to git and is left out, so
 * nothing outside the repository is ever read.
 */
final class GitReader {
    /** A file of a commit: its path and blob. */
    record Entry(String path, String blob) {}

    /** What changed between two commits: files to read again, and paths that are gone. */
    record Changes(List<Entry> changed, List<String> deleted) {}

    private static final String REGULAR = "100644";
    private static final String EXECUTABLE = "100755";
    static final long LARGEST = 1_000_000;
    private final Git git;
    private final Path gitDir;

    GitReader(Git git, Path gitDir) {
        this.git = git;
        this.gitDir = gitDir;
    }

    /** The commit a ref names now; empty where there is none (not fetched yet). */
    Optional<String> commit(String ref) {
        if (!Files.isDirectory(gitDir)) {
            return Optional.empty(); // a mirror grandpa has not cloned yet
        }
        Git.Result result = git.attempt(gitDir, Map.of(), null, "rev-parse", "--verify", "--quiet", ref + "^{commit}");
        return result.ok() ? Optional.of(result.out().strip()) : Optional.empty();
    }

    /** Every regular file of the commit up to {@link #LARGEST} bytes (larger ones are generated, not written). */
    List<Entry> files(String commit) {
        var entries = new ArrayList<Entry>();
        for (String record : git.run(gitDir, "ls-tree", "-r", "-z", "-l", "--full-tree", commit).split("\0")) {
            int tab = record.indexOf('\t');
            if (tab < 0) {
                continue;
            }
            String[] meta = record.substring(0, tab).trim().split(" +");
            if (meta.length == 4 && meta[1].equals("blob") && (meta[0].equals(REGULAR) || meta[0].equals(EXECUTABLE))
                    && Long.parseLong(meta[3]) <= LARGEST) {
                entries.add(new Entry(record.substring(tab + 1), meta[2]));
            }
        }
        return entries;
    }

    /** The files added, changed or deleted from one commit to the next. */
    Changes changes(String from, String to) {
        Map<String, Entry> now = new LinkedHashMap<>();
        files(to).forEach(e -> now.put(e.path(), e));
        var changed = new ArrayList<Entry>();
        var deleted = new ArrayList<String>();
        String[] fields = git.run(gitDir, "diff-tree", "-r", "-z", "--no-renames", "--name-status", from, to).split("\0");
        for (int i = 0; i + 1 < fields.length; i += 2) {
            String path = fields[i + 1];
            Entry entry = now.get(path);
            if (fields[i].startsWith("D") || entry == null) {
                deleted.add(path); // gone, or no longer a regular file (a link now)
            } else {
                changed.add(entry);
            }
        }
        return new Changes(changed, deleted);
    }

    /** The blobs' contents as text, by blob id, read through one {@code git cat-file --batch}. */
    Map<String, String> texts(List<String> blobs) {
        var texts = new LinkedHashMap<String, String>();
        if (blobs.isEmpty()) {
            return texts;
        }
        var builder = Git.process(gitDir, "cat-file", "--batch").redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            Process process = builder.start();
            Thread.startVirtualThread(() -> write(process.getOutputStream(), blobs));
            try (InputStream in = new BufferedInputStream(process.getInputStream())) {
                for (int i = 0; i < blobs.size(); i++) {
                    String[] header = line(in).split(" ");
                    if (header.length < 3) {
                        continue; // "<id> missing"
                    }
                    byte[] content = in.readNBytes(Integer.parseInt(header[2]));
                    in.read(); // the newline after each object
                    texts.put(header[0], new String(content, StandardCharsets.UTF_8));
                }
            } finally {
                process.destroy();
            }
            return texts;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read blobs of " + gitDir, e);
        }
    }

    private static void write(OutputStream out, List<String> blobs) {
        try (out) {
            for (String blob : blobs) {
                out.write((blob + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IOException e) {
            // git stopped reading: what it answered so far is what there is
        }
    }

    private static String line(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new GitException("git cat-file stopped early", -1);
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
