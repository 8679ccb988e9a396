package dev.familiar.grandpa.runtime.session;

import dev.familiar.grandpa.runtime.client.SlotStore;

/**
 * A session's slot saved on the server's disk every few calls ({@code /slots/{id}?action=save}) and put
 * back before the next call after the server restarted, so the session's cache survives the restart.
 */
final class SlotCheckpoints {
    private final SlotStore store;
    private final int slot;
    private final int every;
    private int since;
    private boolean saved;
    private boolean restorePending;

    /** @param earlier whether the session has a history from before: its checkpoint may be on the server's disk */
    SlotCheckpoints(SlotStore store, int slot, int every, boolean earlier) {
        this.store = store;
        this.slot = slot;
        this.every = every;
        this.saved = earlier && every > 0;
    }

    /** Before a call: a slot that now holds another session has no checkpoint; a restarted server gets it back. */
    void beforeCall(boolean startedOver) {
        if (startedOver) {
            saved = false;
        }
        if (restorePending && saved) {
            store.restore(slot, file()); // a miss here only costs one full evaluation
        }
        restorePending = false;
    }

    /** A turn was kept: every few, the slot is saved. */
    void afterTurn() {
        if (every > 0 && ++since >= every) {
            saved |= store.save(slot, file());
            since = 0;
        }
    }

    /** The server was restarted: the checkpoint goes back before the next call. */
    void restoreBeforeNextCall() {
        restorePending = true;
    }

    /** The session starts over empty: no checkpoint of it is of use. */
    void forget() {
        restorePending = false;
        saved = false;
        since = 0;
    }

    private String file() {
        return "grandpa-slot-" + slot + ".bin";
    }
}
