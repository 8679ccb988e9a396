package dev.familiar.grandpa.store.session;

/** One turn of grandpa's model session: the request as sent and the answer as kept in the history. */
public record SessionTurn(int position, String request, String answer) {}
