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
 * @param disk             the largest file a command may write, and the size of its own /tmp and home
 * @param hidden           directories commands see empty where a system path would show them; left out:
 *                         grandpa's data directories, the home directory, the directory grandpa runs in and
 *                         /etc/grandpa
 * @param systemPaths      what commands see of the host, read-only; nothing else of it exists for them
 * @param uid              the user (and group) commands run as when grandpa runs as root
 */
@ConfigurationProperties("grandpa.sandbox")
public record SandboxSettings(
        @DefaultValue("false") boolean allowUnsandboxed,
        @DefaultValue("10m") Duration time,
        @DefaultValue("16GB") DataSize memory,
        @DefaultValue("1024") int processes,
        @DefaultValue("64KB") DataSize output,
        @DefaultValue("4GB") DataSize disk,
        List<String> hidden,
        @DefaultValue({"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt"}) List<String> systemPaths,
        @DefaultValue("65534") int uid) {}
