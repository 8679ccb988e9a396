package dev.familiar.grandpa.runtime.session;

/**
 * One tool call of a session's turn and its answer, as they stay in the history.
 *
 * @param id        the call's id (the server's on the chat path, grandpa's own on the raw path)
 * @param arguments the arguments as JSON text
 * @param answer    what the tool answered, as the model reads it
 */
public record ToolUse(String id, String name, String arguments, String answer) {}
