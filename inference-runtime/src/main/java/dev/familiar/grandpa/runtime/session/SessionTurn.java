package dev.familiar.grandpa.runtime.session;

import java.util.List;

/**
 * One turn of a session: the request as sent, the answer as kept in the history, and the tools it called
 * with their answers.
 *
 * @param callsWritten whether the calls are written out in the answer's own text (the raw path keeps what the
 *                     model generated) rather than kept beside it (the chat path's {@code tool_calls})
 */
public record SessionTurn(int position, String request, String answer, List<ToolUse> toolUses, boolean callsWritten) {

    public SessionTurn {
        toolUses = List.copyOf(toolUses);
    }

    /** A turn without tools. */
    public SessionTurn(int position, String request, String answer) {
        this(position, request, answer, List.of(), false);
    }
}
