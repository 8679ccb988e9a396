package dev.familiar.grandpa.core.resident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.runtime.session.Purpose;
import dev.familiar.grandpa.runtime.session.SessionSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code grandpa.model.*} binds to the runtime's plain session settings with every default in place. */
class ModelSettingsBindingTest {

    static ModelSettings bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("grandpa.model", ModelSettings.class);
    }

    @Test
    void nothingConfiguredGivesTheDocumentedDefaults() {
        var session = bind(Map.of()).session(0);
        assertThat(session.maxTokens().of(Purpose.PLAN)).isEqualTo(4096);
        assertThat(session.maxTokens().of(Purpose.JUDGE)).isEqualTo(1024);
        assertThat(session.maxTokens().of(Purpose.INTEGRATE)).isEqualTo(300);
        assertThat(session.api()).isEqualTo(SessionSettings.Api.AUTO);
        assertThat(session.reasoning()).isEqualTo(SessionSettings.Reasoning.KEEP);
        assertThat(session.systemPrompt()).isEqualTo(Prompts.SYSTEM);
    }

    @Test
    void oneLimitConfiguredLeavesTheOthersAtTheirDefaults() {
        var settings = bind(Map.of("grandpa.model.max-tokens.judge", "2000", "grandpa.model.slots", "1,3",
                "grandpa.model.api", "completion"));
        assertThat(settings.maxTokens().of(Purpose.JUDGE)).isEqualTo(2000);
        assertThat(settings.maxTokens().of(Purpose.PLAN)).isEqualTo(4096);
        assertThat(settings.maxTokens().of(Purpose.INTEGRATE)).isEqualTo(300);
        assertThat(settings.sessionSlots()).containsExactly(1, 3);
        assertThat(settings.session(3).slot()).isEqualTo(3);
        assertThat(settings.session(3).api()).isEqualTo(SessionSettings.Api.COMPLETION);
    }
}
