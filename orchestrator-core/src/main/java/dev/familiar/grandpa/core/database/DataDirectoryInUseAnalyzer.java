package dev.familiar.grandpa.core.database;

import dev.familiar.grandpa.store.embedded.DataDirectoryInUse;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A second start in a folder where grandpa runs ends with one plain sentence, not a stack trace. */
class DataDirectoryInUseAnalyzer extends AbstractFailureAnalyzer<DataDirectoryInUse> {
    @Override
    protected FailureAnalysis analyze(Throwable root, DataDirectoryInUse cause) {
        return new FailureAnalysis(cause.getMessage(), "Use the running grandpa (./grandpa ls, ./grandpa submit ...), "
                + "or stop it before starting another here.", cause);
    }
}
