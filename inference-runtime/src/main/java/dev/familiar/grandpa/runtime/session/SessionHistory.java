package dev.familiar.grandpa.runtime.session;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's history: every turn exactly as it was sent and answered (so the server finds it in its
 * cache), the task each served, its size in characters and in the model's tokens, and where it is kept
 * between runs ({@link SessionMemory}). When a request would not fit, the session starts over with the
 * current task's latest turns.
 */
final class SessionHistory {
    private static final Logger log = LoggerFactory.getLogger(ResidentSession.class);
    /** The room kept free in the context besides the request and its answer: llama.cpp's own few tokens. */
    private static final int CONTEXT_MARGIN = 64;

    private final List<SessionTurn> turns = new ArrayList<>();
    /** Per turn of the history, the task it served (null for turns read back after a restart). */
    private final List<UUID> turnTasks = new ArrayList<>();
    private final SessionMemory memory;
    private final int sessionChars;
    private final int slot;
    private final String systemPrompt;
    /** The session's tools as the model reads them (rendered into its system prompt), for counting. */
    private final String toolsText;
    private int historyChars;
    /** The system prompt and the history, in the model's tokens; -1 until counted. */
    private int historyTokens = -1;

    /** The history kept from an earlier run, read back. */
    SessionHistory(SessionMemory memory, int sessionChars, int slot, String systemPrompt, String toolsText) {
        this.memory = memory;
        this.systemPrompt = systemPrompt;
        this.toolsText = toolsText;
        this.sessionChars = sessionChars;
        this.slot = slot;
        for (SessionTurn turn : memory.load()) {
            turns.add(turn);
            turnTasks.add(null);
            historyChars += text(turn).length();
        }
    }

    boolean isEmpty() {
        return turns.isEmpty();
    }

    /** Forgets every turn, here and in the memory. */
    void clear() {
        turns.clear();
        turnTasks.clear();
        historyChars = 0;
        historyTokens = -1;
        memory.clear();
    }

    /** The system prompt and the history in tokens, as last counted; -1 when not counted. */
    int tokens() {
        return historyTokens;
    }

    /** The messages of a request: the system prompt, the history, the request. */
    List<ChatMessage> messages(String request) {
        var messages = new ArrayList<ChatMessage>(2 * turns.size() + 2);
        messages.add(SystemMessage.from(systemPrompt));
        turns.forEach(turn -> messages.addAll(messages(turn)));
        messages.add(UserMessage.from(request));
        return messages;
    }

    /**
     * A turn as messages: the request, the answer (with its tool calls beside it, unless written out in it),
     * and each call's answer as the tool's message.
     */
    static List<ChatMessage> messages(SessionTurn turn) {
        var messages = new ArrayList<ChatMessage>();
        messages.add(UserMessage.from(turn.request()));
        if (turn.toolUses().isEmpty() || turn.callsWritten()) {
            messages.add(AiMessage.from(turn.answer()));
        } else {
            messages.add(AiMessage.builder().text(turn.answer()).toolExecutionRequests(turn.toolUses().stream()
                    .map(u -> ToolExecutionRequest.builder().id(u.id()).name(u.name()).arguments(u.arguments()).build())
                    .toList()).build());
        }
        turn.toolUses().forEach(u -> messages.add(ToolExecutionResultMessage.from(u.id(), u.name(), u.answer())));
        return messages;
    }

    /**
     * A turn answered: kept as it was sent and answered, and in the memory.
     *
     * @param tokensNow what the slot holds now, as the server counted it, or -1 when it did not say (or
     *                  when the tools' answers came after it counted)
     */
    void add(UUID taskId, SessionTurn answered, int tokensNow) {
        var turn = new SessionTurn(turns.size(), answered.request(), answered.answer(), answered.toolUses(),
                answered.callsWritten());
        turns.add(turn);
        turnTasks.add(taskId);
        historyTokens = tokensNow;
        keep(turn);
        historyChars += text(turn).length();
    }

    private void keep(SessionTurn turn) {
        try {
            memory.append(turn);
        } catch (RuntimeException e) {
            // the answer stands; a grandpa restarted later finds a shorter history and a partial cache hit
            log.warn("Could not keep turn {} of the model session: {}", turn.position(), e.getMessage());
        }
    }

    /**
     * Starts the session over when the request and its largest answer would not fit: in the server's
     * context per slot, counted in the model's tokens, where the server says its context; else in
     * characters ({@code sessionChars}). What is kept: the system prompt and the current task's latest
     * turns, as many as fill half the context.
     *
     * @return whether the session started over (its checkpoint on the server is of no use then)
     */
    boolean makeRoom(UUID taskId, String request, int limit, Integer context, ModelConnection connection) {
        if (context == null) {
            if (historyChars + request.length() > sessionChars) {
                startOver(taskId, 0, String::length);
                return true;
            }
            return false;
        }
        if (historyTokens < 0) {
            historyTokens = connection.tokens(systemPrompt + toolsText + historyText());
        }
        int requestTokens = connection.tokens(request);
        if (historyTokens + requestTokens + limit + CONTEXT_MARGIN > context) {
            startOver(taskId, Math.max(0, context / 2 - requestTokens - limit), connection::tokens);
            historyTokens = connection.tokens(systemPrompt + toolsText + historyText());
            return true;
        }
        return false;
    }

    /** A new session: one full evaluation, then the cache holds again. */
    private void startOver(UUID taskId, int keepBudget, ToIntFunction<String> size) {
        var kept = new ArrayList<SessionTurn>();
        int used = 0;
        for (int turn = turnTasks.size() - 1; turn >= 0 && taskId != null; turn--) {
            if (!taskId.equals(turnTasks.get(turn))) {
                continue;
            }
            int cost = size.applyAsInt(text(turns.get(turn)));
            if (used + cost > keepBudget) {
                break;
            }
            used += cost;
            kept.addFirst(turns.get(turn));
        }
        log.info("grandpa's model session on slot {} starts over ({} turns; {} of the current task kept)", slot,
                turnTasks.size(), kept.size());
        clear();
        for (SessionTurn turn : kept) {
            var renumbered = new SessionTurn(turns.size(), turn.request(), turn.answer(), turn.toolUses(), turn.callsWritten());
            turns.add(renumbered);
            turnTasks.add(taskId);
            historyChars += text(renumbered).length();
            keep(renumbered);
        }
    }

    private String historyText() {
        var text = new StringBuilder();
        turns.forEach(turn -> text.append(text(turn)));
        return text.toString();
    }

    /** What a turn holds, for counting: the request, the answer, and each tool call with its answer. */
    private static String text(SessionTurn turn) {
        var text = new StringBuilder(turn.request()).append(turn.answer());
        turn.toolUses().forEach(u -> text.append(u.name()).append(u.arguments()).append(u.answer()));
        return text.toString();
    }
}
