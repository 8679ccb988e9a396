package dev.familiar.grandpa.delegation.backend;

import dev.familiar.grandpa.runtime.client.CallFailure;
import dev.familiar.grandpa.runtime.client.ErrorKind;
import java.util.function.Consumer;

/** How one kind of backend is called; guards (slots, circuit, retry, time limit) wrap it in {@link CoderBackend}. */
interface CoderClient {
    /** @param output receives the answer in pieces while it is produced; null when nobody listens */
    CoderReply call(Assignment assignment, Consumer<String> output) throws CallFailure;

    /** Answers a question in its schema; only chat backends can. */
    default CoderReply ask(Question question) throws CallFailure {
        throw new CallFailure(ErrorKind.CLIENT_ERROR, "a command-line agent does not answer questions", 0, null);
    }

    /** A cheap check that the backend is there, for the health probe. */
    boolean probe();
}
