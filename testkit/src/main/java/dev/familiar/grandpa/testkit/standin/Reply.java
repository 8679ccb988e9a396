package dev.familiar.grandpa.testkit.standin;

import java.time.Duration;

/**
 * What a stand-in server answers to one chat call: a message, an HTTP error, or a hang-up, after an
 * optional delay. Faults are values here so that tests can script a backend's bad day.
 */
public record Reply(int status, String content, String finishReason, Duration delay, boolean hungUp, Fault fault) {

    /** Ways a body can be wrong on the wire. */
    public enum Fault {
        NONE,
        /** {@code content} is sent as the whole body, as it is: not the JSON a client expects. */
        RAW_BODY,
        /** Headers promise more bytes than are sent before the connection closes. */
        TRUNCATED_BODY,
        /** Headers come at once, then the body trickles a byte at a time and never ends. */
        ENDLESS_BODY,
        /** A streamed answer whose tokens keep coming and never finish. */
        ENDLESS_STREAM,
        /** A streamed answer of a gibibyte, sent as fast as the client reads it (a hostile coder). */
        HUGE_STREAM,
        /** Half of a streamed answer, then the connection drops, as when the server dies while it writes. */
        CUT_STREAM
    }

    public Reply(int status, String content, String finishReason, Duration delay, boolean hungUp) {
        this(status, content, finishReason, delay, hungUp, Fault.NONE);
    }

    public static Reply raw(String body) {
        return new Reply(200, body, null, Duration.ZERO, false, Fault.RAW_BODY);
    }

    public static Reply truncatedBody() {
        return new Reply(200, null, null, Duration.ZERO, false, Fault.TRUNCATED_BODY);
    }

    public static Reply endlessStream() {
        return new Reply(200, null, null, Duration.ZERO, false, Fault.ENDLESS_STREAM);
    }

    public static Reply hugeStream() {
        return new Reply(200, null, null, Duration.ZERO, false, Fault.HUGE_STREAM);
    }

    public static Reply cutStream(String content) {
        return new Reply(200, content, null, Duration.ZERO, false, Fault.CUT_STREAM);
    }

    public static Reply endlessBody() {
        return new Reply(200, null, null, Duration.ZERO, false, Fault.ENDLESS_BODY);
    }

    public static Reply text(String content) {
        return new Reply(200, content, "stop", Duration.ZERO, false);
    }

    /** An answer cut off by the token limit ({@code finish_reason: length}). */
    public static Reply truncated(String content) {
        return new Reply(200, content, "length", Duration.ZERO, false);
    }

    public static Reply error(int status, String message) {
        return new Reply(status, message, null, Duration.ZERO, false);
    }

    /** Closes the connection without answering, as a server killed mid-request does. */
    public static Reply hangUp() {
        return new Reply(0, null, null, Duration.ZERO, true);
    }

    public Reply after(Duration delay) {
        return new Reply(status, content, finishReason, delay, hungUp, fault);
    }
}
