package dev.familiar.grandpa.store.backend;

/** How a backend's recent attempts for one capability ended: accepted, or failed / rejected by the judge. */
public record OutcomeCount(String backend, String capability, long succeeded, long failed) {}
