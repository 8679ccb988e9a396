package dev.familiar.grandpa.workspace.edit;

/** One change a coder asked for, in a file of the worktree named by its path from the repository's root. */
public sealed interface Edit {
    String path();

    /** Replace {@code search}, copied from the file, with {@code replace}; an empty search creates the file. */
    record SearchReplace(String path, String search, String replace) implements Edit {}

    /** The file's whole new content. */
    record WholeFile(String path, String content) implements Edit {}
}
