package dev.familiar.grandpa.core.context;

import dev.familiar.grandpa.context.ContextBroker;
import dev.familiar.grandpa.context.ContextItem;
import dev.familiar.grandpa.context.ContextPack;
import dev.familiar.grandpa.store.context.ContextPackRepository;
import dev.familiar.grandpa.store.context.StoredContextPack;
import dev.familiar.grandpa.core.events.Event;
import dev.familiar.grandpa.core.events.EventJournal;
import dev.familiar.grandpa.store.task.Task;
import java.util.List;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A task's context pack: gathered from the MCP sources once, before the first plan, and stored with
 * the task (with a {@code context.gathered} event), so every later prompt of the task, after a crash
 * too, carries the same bytes.
 */
public class TaskContext {
    private final ContextBroker broker;
    private final ContextPackRepository packs;
    private final EventJournal events;
    private final TransactionTemplate tx;

    public TaskContext(ContextBroker broker, ContextPackRepository packs, EventJournal events, TransactionTemplate tx) {
        this.broker = broker;
        this.packs = packs;
        this.events = events;
        this.tx = tx;
    }

    /** The rendered pack for the task's prompts; empty when no source is configured. */
    public String of(Task task) {
        if (!broker.hasSources()) {
            return "";
        }
        return packs.find(task.id()).map(StoredContextPack::rendered).orElseGet(() -> gather(task));
    }

    private String gather(Task task) {
        String query = task.title() + "\n" + task.goal() + (task.repo() == null ? "" : "\nRepository: " + task.repo());
        ContextPack pack = broker.gather(query);
        List<StoredContextPack.Item> items = pack.items().stream()
                .map(i -> new StoredContextPack.Item(i.source(), i.rank(), i.reference(), i.text())).toList();
        tx.executeWithoutResult(status -> {
            packs.insert(new StoredContextPack(task.id(), query, items, pack.problems(), pack.render(), pack.tokens(), null));
            events.append(task.id(), new Event.ContextGathered(items.size(), pack.tokens(),
                    pack.items().stream().map(ContextItem::source).distinct().toList(), pack.problems()));
        });
        return packs.find(task.id()).orElseThrow().rendered(); // what was stored first wins
    }
}
