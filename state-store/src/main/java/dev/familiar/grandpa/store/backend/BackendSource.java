package dev.familiar.grandpa.store.backend;

/** Where a backend was registered: the configuration file (rewritten at every start) or the API. */
public enum BackendSource {
    CONFIG,
    API
}
