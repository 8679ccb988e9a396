package dev.familiar.grandpa.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code grandpa eval ...}: the bake-off's commands; alone, it says which there are. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = {"The bake-off: runs a suite's cases as real tasks "
        + "through the service and says, with numbers, which setup serves best.",
        "A case is solved when its task ends DONE and its held-out tests (which the coders and the judge never see) pass "
        + "on the task's branch."})
final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    /** The command with its subcommands, each on this console. */
    static CommandLine with(Console console) {
        return new CommandLine(new EvalCommand())
                .addSubcommand(new EvalRunCommand(console))
                .addSubcommand(new EvalShowCommand(console))
                .addSubcommand(new EvalListCommand(console))
                .addSubcommand(new EvalStopCommand.Cancel(console))
                .addSubcommand(new EvalStopCommand.Resume(console))
                .addSubcommand(new EvalCompareCommand(console))
                .addSubcommand(new EvalNewCaseCommand(console));
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
