package dev.familiar.grandpa.runtime.session;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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

    private final List<ChatMessage> history = new ArrayList<>();
    /** Per turn of the history, the task it served (null for turns read back after a restart). */
    private final List<UUID> turnTasks = new ArrayList<>();
    private final SessionMemory memory;
    private final int sessionChars;
    private final int slot;
    private final String systemPrompt;
    private int historyChars;
    /** The system prompt and the history, in the model's tokens; -1 until counted. */
    private int historyTokens = -1;

    /** The history kept from an earlier run, read back. */
    SessionHistory(SessionMemory memory, int sessionChars, int slot, String systemPrompt) {
        this.memory = memory;
        this.systemPrompt = systemPrompt;
        this.sessionChars = sessionChars;
        this.slot = slot;
        for (SessionTurn turn : memory.load()) {
            history.add(UserMessage.from(turn.request()));
            history.add(AiMessage.from(turn.answer()));
            turnTasks.add(null);
            historyChars += turn.request().length() + turn.answer().length();
        }
    }

    boolean isEmpty() {
        return history.isEmpty();
    }

    /** Forgets every turn, here and in the memory. */
    void clear() {
        history.clear();
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
        var messages = new ArrayList<ChatMessage>(history.size() + 2);
        messages.add(SystemMessage.from(systemPrompt));
        messages.addAll(history);
        messages.add(UserMessage.from(request));
        return messages;
    }

    /**
     * A turn answered: kept as it was sent and answered, and in the memory.
     *
     * @param tokensNow what the slot holds now, as the server counted it, or -1 when it did not say
     */
    void add(UUID taskId, String request, String kept, int tokensNow) {
        history.add(UserMessage.from(request));
        history.add(AiMessage.from(kept));
        turnTasks.add(taskId);
        historyTokens = tokensNow;
        try {
            memory.append(new SessionTurn(history.size() / 2 - 1, request, kept));
        } catch (RuntimeException e) {
            // the answer stands; a grandpa restarted later finds a shorter history and a partial cache hit
            log.warn("Could not keep turn {} of the model session: {}", history.size() / 2 - 1, e.getMessage());
        }
        historyChars += request.length() + kept.length();
    }

    /**
     * Starts the session over when the request and its largest answer would not fit: in the server's
     * context per slot, counted in the model's tokens, where the server says its context; else in
     * characters ({@code sessionChars}). What is kept: the system prompt and the current task's latest
     * turns, as many as fill half the context.
     */
    /** @return whether the session started over (its checkpoint on the server is of no use then) */
    boolean makeRoom(UUID taskId, String request, int limit, Integer context, ModelConnection connection) {
        if (context == null) {
            if (historyChars + request.length() > sessionChars) {
                startOver(taskId, 0, text -> text.length());
                return true;
            }
            return false;
        }
        if (historyTokens < 0) {
            historyTokens = connection.tokens(systemPrompt + historyText(0));
        }
        int requestTokens = connection.tokens(request);
        if (historyTokens + requestTokens + limit + CONTEXT_MARGIN > context) {
            startOver(taskId, Math.max(0, context / 2 - requestTokens - limit), connection::tokens);
            historyTokens = connection.tokens(systemPrompt + historyText(0));
            return true;
        }
        return false;
    }

    /** A new session: one full evaluation, then the cache holds again. */
    private void startOver(UUID taskId, int keepBudget, java.util.function.ToIntFunction<String> size) {
        var keptRequests = new ArrayList<String>();
        var keptAnswers = new ArrayList<String>();
        int used = 0;
        for (int turn = turnTasks.size() - 1; turn >= 0 && taskId != null; turn--) {
            if (!taskId.equals(turnTasks.get(turn))) {
                continue;
            }
            String q = ((UserMessage) history.get(2 * turn)).singleText();
            String a = ((AiMessage) history.get(2 * turn + 1)).text();
            int cost = size.applyAsInt(q + a);
            if (used + cost > keepBudget) {
                break;
            }
            used += cost;
            keptRequests.addFirst(q);
            keptAnswers.addFirst(a);
        }
        log.info("grandpa's model session on slot {} starts over ({} turns; {} of the current task kept)", slot,
                turnTasks.size(), keptRequests.size());
        history.clear();
        turnTasks.clear();
        historyChars = 0;
        memory.clear();
        for (int i = 0; i < keptRequests.size(); i++) {
            history.add(UserMessage.from(keptRequests.get(i)));
            history.add(AiMessage.from(keptAnswers.get(i)));
            turnTasks.add(taskId);
            historyChars += keptRequests.get(i).length() + keptAnswers.get(i).length();
            try {
                memory.append(new SessionTurn(i, keptRequests.get(i), keptAnswers.get(i)));
            } catch (RuntimeException e) {
                log.warn("Could not keep turn {} of the model session: {}", i, e.getMessage());
            }
        }
    }

    private String historyText(int from) {
        var text = new StringBuilder();
        for (int i = from; i < history.size(); i++) {
            text.append(history.get(i) instanceof UserMessage u ? u.singleText() : ((AiMessage) history.get(i)).text());
        }
        return text.toString();
    }

}
