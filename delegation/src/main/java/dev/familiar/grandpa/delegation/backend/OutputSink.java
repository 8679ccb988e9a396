package dev.familiar.grandpa.delegation.backend;

import java.util.function.Consumer;

/** Receives a coder's answer in pieces while it is produced. */
public interface OutputSink extends Consumer<String> {
    /**
     * The answer so far was cut off by a transient error and the call is being made again: the pieces
     * received since the previous start are void, and the answer starts over.
     *
     * @param tryNumber the try that starts now (2 for the first retry)
     */
    void restart(int tryNumber);
}
