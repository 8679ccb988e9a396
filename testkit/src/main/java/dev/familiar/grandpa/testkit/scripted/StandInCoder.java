package dev.familiar.grandpa.testkit.scripted;

import dev.familiar.grandpa.testkit.standin.ChatCall;
import dev.familiar.grandpa.testkit.standin.Reply;
import dev.familiar.grandpa.testkit.standin.Responder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A scripted stand-in for a coder model: answers each subtask with a short deliverable naming it. */
public class StandInCoder implements Responder {
    private static final Pattern SUBTASK = Pattern.compile("Your subtask: (.*)");

    private final String name;

    public StandInCoder(String name) {
        this.name = name;
    }

    @Override
    public Reply answer(ChatCall call) {
        return Reply.text(deliverable(name, call));
    }

    public static String deliverable(String coder, ChatCall call) {
        Matcher m = SUBTASK.matcher(call.last("user"));
        String title = m.find() ? m.group(1) : "the subtask";
        return "// " + title + " (written by stand-in coder " + coder + ")\n"
                + "public final class Deliverable {\n    // " + title + "\n}\n";
    }
}
