package dev.familiar.grandpa.core.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The API's description, open to read (it holds no data, only what the endpoints are), with the bearer
 * token it asks for: the Swagger UI at {@code /swagger-ui.html} loads in a browser, and its "Authorize"
 * button takes a token, as the dashboard does, to try the calls.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocs {
    static final String BEARER = "bearer-token";

    @Bean
    OpenAPI grandpaApi() {
        return new OpenAPI()
                .info(new Info().title("grandpa").version("0.1.0").description("A resident orchestrator of coding models: "
                        + "tasks, backends, grandpa's model. Every call needs a bearer token (a VIEWER's reads, an "
                        + "OPERATOR's also submits, cancels and resumes, an ADMIN's also changes backends)."))
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("a token of grandpa's (on loopback without configured tokens: data/admin.token)")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }
}
