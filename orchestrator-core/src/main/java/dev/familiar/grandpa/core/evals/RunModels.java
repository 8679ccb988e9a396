package dev.familiar.grandpa.core.evals;

import dev.familiar.grandpa.core.backends.StandIns;
import dev.familiar.grandpa.delegation.backend.BackendRegistry;
import dev.familiar.grandpa.delegation.backend.BackendSpec;
import dev.familiar.grandpa.delegation.backend.CoderBackend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The models a run works on (grandpa's and the coders'), each asked whether it is a stand-in. */
record RunModels(Map<String, Object> described, boolean anyStandIn) {

    /**
     * @param grandpa    the name grandpa's model is recorded under
     * @param grandpaUrl where it answers
     * @param coders     which coder backends the run uses
     */
    static RunModels ask(String grandpa, String grandpaUrl, BackendRegistry backends, Predicate<String> coders) {
        var asked = StandIns.ask(grandpaUrl);
        List<BackendSpec> specs = backends.all().stream().map(CoderBackend::spec).filter(s -> coders.test(s.name())).toList();
        var answers = specs.stream().map(s -> StandIns.ask(s.baseUrl())).toList();
        boolean any = asked.join();
        var described = new LinkedHashMap<String, Object>();
        described.put("grandpa", Map.of("name", grandpa, "standIn", any));
        var list = new ArrayList<Map<String, Object>>();
        for (int i = 0; i < specs.size(); i++) {
            boolean standIn = answers.get(i).join();
            any |= standIn;
            list.add(Map.of("name", specs.get(i).name(), "model", String.valueOf(specs.get(i).model()), "standIn", standIn));
        }
        described.put("coders", list);
        return new RunModels(described, any);
    }
}
