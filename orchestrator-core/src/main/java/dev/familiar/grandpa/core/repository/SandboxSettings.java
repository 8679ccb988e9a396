package dev.familiar.grandpa.core.repository;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How setup commands, checks and command-line agents are confined ({@code grandpa.sandbox.*}).
 *
 * @param allowUnsandboxed run commands unconfined when bubblewrap is missing (off: they are refused)
 * @param time             a setup command or check is killed, with its children, after this
 * @param memory           address space per process; 0 for none (a JVM or node reserves far more than it uses)
 * @param processes        processes and threads a command may have
 * @param output           how much of a command's output is kept (its end)
 * @param hidden           directories commands see empty; left out: grandpa's data directories, the
 *                         home directory and the directory grandpa runs in
 */
@ConfigurationProperties("grandpa.sandbox")
public record SandboxSettings(
        @DefaultValue("false") boolean allowUnsandboxed,
        @DefaultValue("10m") Duration time,
        @DefaultValue("16GB") DataSize memory,
        @DefaultValue("1024") int processes,
        @DefaultValue("64KB") DataSize output,
        List<String> hidden) {}
