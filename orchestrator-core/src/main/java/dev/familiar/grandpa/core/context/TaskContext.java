package dev.familiar.grandpa.core.context;

import dev.familiar.grandpa.context.ContextBroker;
import dev.familiar.grandpa.context.ContextItem;
import dev.familiar.grandpa.context.ContextPack;
import dev.familiar.grandpa.context.ContextQuery;
import dev.familiar.grandpa.core.events.Event;
import dev.familiar.grandpa.core.events.EventJournal;
import dev.familiar.grandpa.delegation.backend.BackendSpec;
import dev.familiar.grandpa.store.context.ContextPackRepository;
import dev.familiar.grandpa.store.context.StoredContextPack;
import dev.familiar.grandpa.store.plan.Subtask;
import dev.familiar.grandpa.store.task.Task;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Context packs, each gathered once and stored (with a {@code context.gathered} event), so every later
 * prompt, after a crash too, carries the same bytes: the task's, before its first plan, from the roles
 * asked at the plan stage; and each subtask's own, smaller one, before its first attempt, from the roles
 * asked at the subtask stage with the subtask's instructions and the files and symbols they name. What
 * grandpa looks up itself before planning is the {@link Lookups}' part.
 */
public class TaskContext {
    private final ContextBroker forPlans;
    private final ContextBroker forSubtasks;
    private final ContextSettings settings;
    private final ContextPackRepository packs;
    private final EventJournal events;
    private final TransactionTemplate tx;
    private final Lookups lookups;

    public TaskContext(ContextBroker forPlans, ContextBroker forSubtasks, ContextSettings settings,
                       ContextPackRepository packs, EventJournal events, TransactionTemplate tx, Lookups lookups) {
        this.lookups = lookups;
        this.forPlans = forPlans;
        this.forSubtasks = forSubtasks;
        this.settings = settings;
        this.packs = packs;
        this.events = events;
        this.tx = tx;
    }

    /** What grandpa may look up before it plans. */
    public Lookups lookups() {
        return lookups;
    }

    /** The rendered pack the task's plan is written from; empty when no role is asked at the plan stage. */
    public String of(Task task) {
        if (!forPlans.hasRoles()) {
            return "";
        }
        return packs.find(task.id()).map(StoredContextPack::rendered).orElseGet(() -> gather(task, null,
                () -> forPlans.gather(query(task), settings.planTokens()),
                () -> packs.find(task.id())));
    }

    /**
     * The rendered pack a subtask's coder gets; the task's where no role is asked at the subtask stage. Its
     * budget is counted with the first coder's own tokenizer where the coder is a server that has one
     * ({@code /tokenize}, llama-server's); a later attempt, on any coder, gets the same bytes.
     */
    public String of(Task task, Subtask subtask, BackendSpec coder) {
        if (!forSubtasks.hasRoles()) {
            return of(task);
        }
        return packs.findForSubtask(subtask.id()).map(StoredContextPack::rendered).orElseGet(() -> gather(task, subtask,
                () -> forSubtasks.gather(query(task, subtask), settings.subtaskTokens(), ServerTokens.of(coder)),
                () -> packs.findForSubtask(subtask.id())));
    }

    /** The task's question, with the files and symbols its title and goal name. */
    static ContextQuery query(Task task) {
        Mentions.Found named = Mentions.in(task.title() + "\n" + task.goal());
        return new ContextQuery(task.title(), task.goal(), task.repo(), null, named.files(), named.symbols());
    }

    /** The subtask's question: its instructions and what the plan says it needs, and the files and symbols they name. */
    static ContextQuery query(Task task, Subtask subtask) {
        String asked = subtask.needs() == null || subtask.needs().isBlank() ? subtask.instructions()
                : subtask.instructions() + "\n" + subtask.needs();
        Mentions.Found named = Mentions.in(subtask.title() + "\n" + asked + "\n"
                + String.join("\n", subtask.acceptanceCriteria()));
        return new ContextQuery(subtask.title(), task.goal(), task.repo(), asked, named.files(), named.symbols());
    }

    private String gather(Task task, Subtask subtask, Supplier<ContextPack> gathering,
                          Supplier<Optional<StoredContextPack>> stored) {
        ContextPack pack = gathering.get();
        List<StoredContextPack.Item> items = pack.entries().stream().map(e -> new StoredContextPack.Item(
                e.item().source(), e.item().rank(), e.item().reference(), e.item().text(), e.score(), e.tokens())).toList();
        List<StoredContextPack.Cut> cuts = pack.cuts().stream()
                .map(c -> new StoredContextPack.Cut(c.source(), c.reference(), c.reason().name(), c.detail())).toList();
        tx.executeWithoutResult(status -> {
            packs.insert(new StoredContextPack(task.id(), subtask == null ? null : subtask.id(), pack.query(), items, cuts,
                    pack.problems(), pack.countedBy(), pack.budget(), pack.render(), pack.tokens(), null));
            events.append(task.id(), new Event.ContextGathered(subtask == null ? null : subtask.key(), items.size(),
                    pack.tokens(), pack.items().stream().map(ContextItem::source).distinct().sorted().toList(),
                    pack.problems(), cuts.size(), pack.countedBy()));
        });
        return stored.get().orElseThrow().rendered(); // what was stored first wins
    }
}
