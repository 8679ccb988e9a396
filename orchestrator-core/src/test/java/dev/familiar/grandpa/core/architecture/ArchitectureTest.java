package dev.familiar.grandpa.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The arrows of DESIGN.md, checked on the compiled main code of every module: each module uses only
 * the modules below it, only the service wires them together, nothing of the service uses the test
 * kit, and no two feature packages need each other.
 */
class ArchitectureTest {
    private static final String BASE = "dev.familiar.grandpa.";
    private static final String STORE = BASE + "store..";
    private static final String RUNTIME = BASE + "runtime..";
    private static final String CONTEXT = BASE + "context..";
    private static final String DELEGATION = BASE + "delegation..";
    private static final String WORKSPACE = BASE + "workspace..";
    private static final String CORE = BASE + "core..";
    private static final String TESTKIT = BASE + "testkit..";
    private static final String CLIENT = BASE + "cli..";
    private static final String SPRING_WEB = "org.springframework.web..";

    static JavaClasses main;

    /** Main code only: no test classes, no test-jars. */
    static final class MainCode implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("/test-classes/") && !location.matches(java.util.regex.Pattern.compile(".*-tests\\.jar.*"));
        }
    }

    @BeforeAll
    static void importMainCode() {
        main = new ClassFileImporter().withImportOption(new MainCode()).importPackages("dev.familiar.grandpa");
    }

    private static void check(ArchRule rule) {
        rule.check(main);
    }

    @Test
    void theStoreKnowsNoOtherModuleAndNoWeb() {
        check(noClasses().that().resideInAPackage(STORE).should().dependOnClassesThat()
                .resideInAnyPackage(RUNTIME, CONTEXT, DELEGATION, WORKSPACE, CORE, TESTKIT, SPRING_WEB));
    }

    @Test
    void theRuntimeKnowsNoOtherModuleAndNoWeb() {
        check(noClasses().that().resideInAPackage(RUNTIME).should().dependOnClassesThat()
                .resideInAnyPackage(STORE, CONTEXT, DELEGATION, WORKSPACE, CORE, TESTKIT, SPRING_WEB));
    }

    @Test
    void theContextToolsKnowNoOtherModule() {
        check(noClasses().that().resideInAPackage(CONTEXT).should().dependOnClassesThat()
                .resideInAnyPackage(STORE, RUNTIME, DELEGATION, WORKSPACE, CORE, TESTKIT, SPRING_WEB));
    }

    @Test
    void theWorkspacesKnowNoOtherModuleAndNoSpring() {
        check(noClasses().that().resideInAPackage(WORKSPACE).should().dependOnClassesThat()
                .resideInAnyPackage(STORE, RUNTIME, CONTEXT, DELEGATION, CORE, TESTKIT, "org.springframework.."));
    }

    @Test
    void delegationUsesOnlyTheRuntime() {
        check(noClasses().that().resideInAPackage(DELEGATION).should().dependOnClassesThat()
                .resideInAnyPackage(STORE, CONTEXT, WORKSPACE, CORE, TESTKIT, SPRING_WEB));
    }

    @Test
    void theServiceDoesNotUseTheTestKit() {
        check(noClasses().that().resideInAPackage(CORE).should().dependOnClassesThat().resideInAPackage(TESTKIT));
    }

    @Test
    void theTestKitStandsAlone() {
        check(noClasses().that().resideInAPackage(TESTKIT).should().dependOnClassesThat()
                .resideInAnyPackage(STORE, RUNTIME, CONTEXT, DELEGATION, WORKSPACE, CORE));
    }

    @Test
    void theCommandLineClientKnowsNoOtherModuleAndNoSpring() {
        check(noClasses().that().resideInAPackage(CLIENT).should().dependOnClassesThat()
                .resideInAnyPackage(STORE, RUNTIME, CONTEXT, DELEGATION, WORKSPACE, CORE, TESTKIT, "org.springframework.."));
    }

    @Test
    void featurePackagesFormNoCycles() {
        check(slices().matching(BASE + "(*).(*)..").should().beFreeOfCycles());
    }
}
