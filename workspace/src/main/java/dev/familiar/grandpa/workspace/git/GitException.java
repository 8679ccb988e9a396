package dev.familiar.grandpa.workspace.git;

/** A git command that failed, with what git said. */
public class GitException extends RuntimeException {
    private final int exitCode;

    public GitException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
