package dev.familiar.grandpa.core.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.core.GrandpaApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * The service's feature packages as Spring Modulith sees them: each an application module whose API is
 * what it makes public (package-private is its own), no cycles; their diagrams and canvases written to
 * {@code target/spring-modulith-docs}; and the README's two tables of the packages (the decider and the executor, then the rest) naming
 * each one, no more.
 */
class ModulesTest {
    static final ApplicationModules MODULES = ApplicationModules.of(GrandpaApplication.class);
    static final Pattern MAP_ROW = Pattern.compile("(?m)^\\| ((?:`\\w+`(?:, )?)+) \\|");

    @Test
    void eachModuleUsesOnlyWhatOthersMakePublicAndNoneNeedsItselfBack() {
        MODULES.verify();
    }

    @Test
    void theModulesAreDocumentedFromTheCode() {
        new Documenter(MODULES).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml().writeModuleCanvases();
        assertThat(Path.of("target/spring-modulith-docs/components.puml")).isNotEmptyFile();
    }

    @Test
    void theReadmesMapNamesEveryPackageAndOnlyThose() throws IOException {
        String readme = Files.readString(HouseRulesTest.ROOT.resolve("README.md"));
        String map = readme.substring(readme.indexOf("Where the life of a task lives"),
                readme.indexOf("In inference-runtime, `runtime.session`"));
        Set<String> named = new TreeSet<>();
        var rows = MAP_ROW.matcher(map);
        while (rows.find()) {
            for (String name : rows.group(1).split(", ")) {
                named.add(name.replace("`", ""));
            }
        }
        Set<String> modules = new TreeSet<>();
        MODULES.forEach((ApplicationModule module) -> modules.add(module.getBasePackage().getLocalName()));
        assertThat(named).as("the packages README's map names").isEqualTo(modules);
    }
}
