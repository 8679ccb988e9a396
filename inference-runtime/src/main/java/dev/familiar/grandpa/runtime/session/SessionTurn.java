package dev.familiar.grandpa.runtime.session;

/** One turn of a session: the request as sent and the answer as kept in the history. */
public record SessionTurn(int position, String request, String answer) {}
