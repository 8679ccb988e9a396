package dev.familiar.grandpa.core.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;

/**
 * The house rules a newcomer can rely on: no class of main code (the test kit and the client included) over
 * 300 lines, no constructor or bean method of a class over 8 parameters (records are values, named by
 * their components, and are left out), and the service's packages public only in what others use.
 */
class HouseRulesTest {
    static final int MOST_LINES = 300;
    static final int MOST_PARAMETERS = 8;
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void noClassOfMainCodeIsOver300Lines() throws IOException {
        List<String> long_;
        try (Stream<Path> files = Files.walk(ROOT)) {
            long_ = files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/main/java/")
                            && !f.toString().contains("/target/"))
                    .filter(f -> lines(f) > MOST_LINES)
                    .map(f -> ROOT.relativize(f) + " (" + lines(f) + " lines)")
                    .toList();
        }
        assertThat(long_).as("classes over " + MOST_LINES + " lines: split them by what they do").isEmpty();
    }

    @Test
    void noConstructorOrBeanMethodTakesMoreThan8Parameters() {
        var main = new ClassFileImporter().withImportOption(new ArchitectureTest.MainCode()).importPackages("dev.familiar.grandpa");
        List<String> wide = main.stream().filter(c -> !c.isRecord() && !c.isAnonymousClass())
                .flatMap(c -> Stream.concat(c.getConstructors().stream(),
                        c.getMethods().stream().filter(m -> m.isAnnotatedWith(Bean.class))))
                .filter(unit -> parameters(unit) > MOST_PARAMETERS)
                .map(unit -> unit.getFullName() + " (" + parameters(unit) + ")")
                .toList();
        assertThat(wide).as("constructors and bean methods over " + MOST_PARAMETERS + " parameters").isEmpty();
    }

    /**
     * A package says what it offers by what it makes public: every public type of the service is used from
     * outside its package (by the service or its tests); the rest of a package is package-private.
     */
    @Test
    void everyPublicTypeOfTheServiceIsUsedOutsideItsPackage() {
        var all = new ClassFileImporter().importPackages("dev.familiar.grandpa");
        List<String> unused = all.stream()
                .filter(c -> c.getPackageName().startsWith("dev.familiar.grandpa.core") && c.isTopLevelClass()
                        && c.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.PUBLIC)
                        && c.getSource().map(s -> !s.getUri().toString().contains("/test-classes/")).orElse(false)
                        && !c.getSimpleName().equals("GrandpaApplication"))
                .filter(c -> Stream.concat(Stream.of(c), all.stream().filter(n -> n.getName().startsWith(c.getName() + "$")))
                        .flatMap(t -> t.getDirectDependenciesToSelf().stream())
                        .allMatch(d -> d.getOriginClass().getPackageName().equals(c.getPackageName())))
                .filter(c -> !namedOutside(c)) // a constant the compiler inlined leaves no dependency to see
                .map(JavaClass::getName)
                .toList();
        assertThat(unused).as("public types nothing outside their package uses: make them package-private").isEmpty();
    }

    /** Whether a source file of another package names the type ({@code Type.} or an import of it). */
    private static boolean namedOutside(JavaClass type) {
        String packageDir = type.getPackageName().replace('.', '/');
        try (Stream<Path> files = Files.walk(ROOT.resolve("orchestrator-core/src"))) {
            return files.filter(f -> f.toString().endsWith(".java") && !f.getParent().toString().endsWith(packageDir))
                    .anyMatch(f -> {
                        try {
                            String text = Files.readString(f);
                            return text.contains("import " + type.getName() + ";") || text.contains(type.getSimpleName() + ".")
                                    && text.contains(type.getPackageName());
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int parameters(JavaCodeUnit unit) {
        JavaClass owner = unit.getOwner();
        int synthetic = owner.isInnerClass() && unit instanceof com.tngtech.archunit.core.domain.JavaConstructor ? 1 : 0;
        return unit.getRawParameterTypes().size() - synthetic;
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
