package dev.familiar.grandpa.core.ledger;

import dev.familiar.grandpa.core.events.Event;
import dev.familiar.grandpa.core.events.EventJournal;
import dev.familiar.grandpa.store.check.CheckRepository;
import dev.familiar.grandpa.store.check.StoredCheck;

/** A check that ran, stored with its event: of an attempt's change ({@code subtaskKey}, {@code attemptNumber}) or of the branch (both null). */
final class CheckRecords {
    private CheckRecords() {
    }

    static StoredCheck store(CheckRepository checks, EventJournal events, StoredCheck check, String subtaskKey,
                             Integer attemptNumber) {
        StoredCheck stored = checks.insert(check);
        events.append(check.taskId(), new Event.CheckRan(subtaskKey, attemptNumber, check.name(), check.passed(),
                check.exitCode(), check.durationMs(), check.commit()));
        return stored;
    }
}
