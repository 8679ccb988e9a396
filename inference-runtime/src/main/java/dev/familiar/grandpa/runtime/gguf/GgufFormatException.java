package dev.familiar.grandpa.runtime.gguf;

import java.nio.file.Path;

/** A file that is not GGUF, or not whole: says which file and at which byte. */
public class GgufFormatException extends RuntimeException {
    public GgufFormatException(Path file, long offset, String problem) {
        super(file + " at byte " + offset + ": " + problem);
    }

    public GgufFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
