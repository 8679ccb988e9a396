package dev.familiar.grandpa.store.embedded;

/** Another grandpa runs on the data directory: this start stops before touching it. */
public final class DataDirectoryInUse extends IllegalStateException {
    DataDirectoryInUse(String message) {
        super(message);
    }
}
