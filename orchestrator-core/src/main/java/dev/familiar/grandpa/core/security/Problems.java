package dev.familiar.grandpa.core.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/** Refusals written before a request reaches the API, as the same RFC 9457 problems the API answers with. */
final class Problems {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Problems() {}

    /** At the OpenAI-compatible door ({@code /v1/...}) in OpenAI's error shape, which its clients read; else RFC 9457. */
    static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
                      String code, String detail) throws IOException {
        if (!request.getRequestURI().startsWith("/v1/")) {
            write(response, status, detail);
            return;
        }
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        if (status == HttpStatus.UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        var error = new LinkedHashMap<String, Object>();
        error.put("message", detail);
        error.put("type", "invalid_request_error");
        error.put("param", null);
        error.put("code", code);
        response.getWriter().write(JSON.writeValueAsString(Map.of("error", error)));
    }

    static void write(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        var problem = ProblemDetail.forStatusAndDetail(status, detail);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        if (status == HttpStatus.UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        response.getWriter().write(JSON.writeValueAsString(problem));
    }
}
