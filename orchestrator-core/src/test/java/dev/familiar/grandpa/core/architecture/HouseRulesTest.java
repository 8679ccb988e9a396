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
 * 300 lines, and no constructor or bean method of a class over 8 parameters (records are values, named by
 * their components, and are left out).
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
