package dev.familiar.grandpa.store.session;

/**
 * One turn of grandpa's model session: the request as sent and the answer as kept in the history, and the
 * tools it called with their answers.
 *
 * @param toolUses     a JSON array of {@code {id, name, arguments, answer}}
 * @param callsWritten whether the calls are written out in the answer's own text
 */
public record SessionTurn(int position, String request, String answer, String toolUses, boolean callsWritten) {}
