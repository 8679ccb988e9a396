package dev.familiar.grandpa.runtime.supervise;

/** Where the grandpa model's server stands. */
public enum RuntimeState {
    /** The process is being started (or an attached server was not asked yet). */
    STARTING,
    /** The server answers but is still loading the model ({@code /health} 503). */
    LOADING,
    READY,
    /** It died or stopped answering; a new one is being started after a pause. */
    RESTARTING,
    /** Not available: never became ready in time, or cannot be reached; the reason says which. */
    DOWN,
    /** Stopped with the service. */
    STOPPED
}
