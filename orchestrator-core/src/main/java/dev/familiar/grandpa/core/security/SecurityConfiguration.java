package dev.familiar.grandpa.core.security;

import jakarta.servlet.DispatcherType;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.header.HeaderWriterFilter;

/**
 * Who may do what: every request but the liveness and readiness probes needs a bearer token; viewers
 * read, operators submit, cancel and resume tasks, admins change backends and the runtime. No
 * sessions, no cookies, no CORS; state-changing requests from another site's page are refused.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class SecurityConfiguration {
    /**
     * Scripts only from grandpa itself, nothing framed, posted or fetched elsewhere: text a model wrote
     * that reaches a page can never run there. Inline styles stay (the charts' tooltips set them).
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' "
            + "'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'self'";

    @Bean
    ApiTokens apiTokens(SecuritySettings settings, @Value("${server.address:#{null}}") String address) {
        return ApiTokens.from(settings, address, Map.copyOf(System.getenv()));
    }

    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.fromHierarchy("ROLE_ADMIN > ROLE_OPERATOR\nROLE_OPERATOR > ROLE_VIEWER");
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, ApiTokens tokens, SecuritySettings settings) throws Exception {
        String viewer = Role.VIEWER.name();
        String operator = Role.OPERATOR.name();
        String admin = Role.ADMIN.name();
        return http
                .csrf(csrf -> csrf.disable()) // no cookies or sessions: a browser cannot send a token on its own
                .cors(cors -> cors.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterAfter(new SameOriginFilter(settings.allowedOrigins()), HeaderWriterFilter.class)
                .addFilterBefore(new BearerTokenFilter(tokens), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(rules -> rules
                        // an event stream's later writes and error pages continue a request already let in
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")
                        .permitAll()
                        // the dashboard's page and scripts hold no data: they ask for a token, then call the API
                        .requestMatchers(HttpMethod.GET, "/", "/index.html", "/dashboard/**", "/vendor/**", "/webjars/**")
                        .permitAll()
                        // the API's description and its UI hold no data: the UI asks for a token to try the calls
                        .requestMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html",
                                "/swagger-ui/**").permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/tasks", "/api/tasks/*/cancel", "/api/tasks/*/resume",
                                "/v1/chat/completions", "/api/evals/runs", "/api/evals/runs/*/cancel", "/api/evals/runs/*/resume")
                        .hasRole(operator)
                        // each MCP tool says what it needs: a viewer lists and reads, an operator also submits and cancels
                        .requestMatchers("/mcp", "/mcp/**").hasRole(viewer)
                        .requestMatchers("/api/admin/**").hasRole(admin)
                        .requestMatchers(HttpMethod.POST, "/api/backends").hasRole(admin)
                        .requestMatchers(HttpMethod.PATCH, "/api/backends/*").hasRole(admin)
                        .requestMatchers(HttpMethod.DELETE, "/api/backends/*").hasRole(admin)
                        .requestMatchers(HttpMethod.GET, "/api/**", "/v1/models", "/actuator/**").hasRole(viewer)
                        .anyRequest().hasRole(admin))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> Problems.write(request, response,
                                HttpStatus.UNAUTHORIZED, "invalid_api_key",
                                "This needs a bearer token: send 'Authorization: Bearer <token>'"))
                        .accessDeniedHandler((request, response, e) -> Problems.write(request, response, HttpStatus.FORBIDDEN,
                                "insufficient_permissions", "This token's role may not do this")))
                .build();
    }
}
