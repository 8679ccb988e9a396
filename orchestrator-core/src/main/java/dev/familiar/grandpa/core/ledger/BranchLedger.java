package dev.familiar.grandpa.core.ledger;

import dev.familiar.grandpa.core.events.Event;
import dev.familiar.grandpa.core.events.EventJournal;
import dev.familiar.grandpa.store.check.CheckRepository;
import dev.familiar.grandpa.store.check.StoredCheck;
import dev.familiar.grandpa.store.workspace.TaskWorkspace;
import dev.familiar.grandpa.store.workspace.WorkspaceRepository;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionTemplate;

/** Every change to a task's branch: opened, rebuilt from the stored changes, checked as a whole, pushed. */
public class BranchLedger {
    private final TransactionTemplate tx;
    private final WorkspaceRepository workspaces;
    private final CheckRepository checks;
    private final EventJournal events;

    public BranchLedger(TransactionTemplate tx, Stores stores, EventJournal events) {
        this.tx = tx;
        this.workspaces = stores.workspaces();
        this.checks = stores.checks();
        this.events = events;
    }

    /** The task's branch was made: stored unless it already was (then the stored one stands and is returned). */
    public TaskWorkspace openWorkspace(UUID taskId, String repository, String branch, String base) {
        return inTx(() -> {
            boolean known = workspaces.find(taskId).isPresent();
            TaskWorkspace ws = workspaces.open(taskId, repository, branch, base);
            if (!known) {
                events.append(taskId, new Event.BranchOpened(repository, branch, base));
            }
            return ws;
        });
    }

    /** The branch was made again from the stored changes; {@code head} is its head now. */
    public void rebuilt(UUID taskId, String branch, String head, int changes) {
        inTx(() -> {
            workspaces.moveHead(taskId, head);
            events.append(taskId, new Event.BranchRebuilt(branch, head, changes));
            return null;
        });
    }

    /** A check of the task's branch (its acceptance check on the whole change). */
    public StoredCheck branchChecked(StoredCheck check) {
        return inTx(() -> storeCheck(check, null, null));
    }

    public void pushed(UUID taskId, String branch, String head, String pullRequestUrl) {
        inTx(() -> {
            workspaces.pushed(taskId, pullRequestUrl);
            events.append(taskId, new Event.BranchPushed(branch, head, pullRequestUrl));
            return null;
        });
    }

    private StoredCheck storeCheck(StoredCheck check, String subtaskKey, Integer attemptNumber) {
        return CheckRecords.store(checks, events, check, subtaskKey, attemptNumber);
    }

    private <T> T inTx(Supplier<T> work) {
        return tx.execute(status -> work.get());
    }
}
