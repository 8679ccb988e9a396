package dev.familiar.grandpa.core.api;

import java.util.stream.Collectors;
import org.slf4j.Logger;
import tools.jackson.core.JacksonException;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Every error as RFC 9457 problem details, with a message that says what to fix. */
@RestControllerAdvice
class ApiProblems extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        String detail = ex.getBindingResult().getFieldErrors().stream()
                .map(e -> e.getField() + ": " + e.getDefaultMessage())
                .sorted()
                .collect(Collectors.joining("; "));
        return problem(HttpStatus.BAD_REQUEST, "Invalid request: " + detail);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
                                                                            HttpHeaders headers, HttpStatusCode status,
                                                                            WebRequest request) {
        String detail = ex.getParameterValidationResults().stream()
                .flatMap(r -> r instanceof ParameterErrors bean
                        ? bean.getFieldErrors().stream().map(e -> e.getField() + ": " + e.getDefaultMessage())
                        : r.getResolvableErrors().stream()
                                .map(e -> r.getMethodParameter().getParameterName() + ": " + e.getDefaultMessage()))
                .sorted()
                .collect(Collectors.joining("; "));
        return problem(HttpStatus.BAD_REQUEST, "Invalid request: " + detail);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof RequestSizeLimit.BodyTooLargeException tooLarge) {
                return shaped(request, problem(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage()));
            }
        }
        String reason = ex.getMostSpecificCause().getMessage();
        if (ex.getMostSpecificCause() instanceof JacksonException json) {
            reason = json.getOriginalMessage();
            String field = json.getPath().stream()
                    .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            reason = field.isEmpty() ? reason : "field '" + field + "': " + reason;
        }
        if (reason != null) {
            reason = reason.lines().findFirst().orElse(reason);
            reason = reason.length() > 300 ? reason.substring(0, 300) + "…" : reason;
        }
        return shaped(request, problem(HttpStatus.BAD_REQUEST, "The request body is not valid JSON for this endpoint: " + reason));
    }

    /** Every other refusal Spring MVC makes itself (a wrong method, media type, path), in the door's own shape. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        return shaped(request, super.handleExceptionInternal(ex, body, headers, status, request));
    }

    /**
     * At the OpenAI-compatible door ({@code /v1/...}) an error is in OpenAI's shape, which its clients
     * read and show; everywhere else RFC 9457 problem details.
     */
    private static ResponseEntity<Object> shaped(WebRequest request, ResponseEntity<Object> problem) {
        if (problem == null || !(request instanceof ServletWebRequest web)
                || !web.getRequest().getRequestURI().startsWith("/v1/")) {
            return problem;
        }
        String detail = problem.getBody() instanceof ProblemDetail p && p.getDetail() != null ? p.getDetail()
                : String.valueOf(problem.getStatusCode());
        var error = new java.util.LinkedHashMap<String, Object>();
        error.put("message", detail);
        error.put("type", problem.getStatusCode().is4xxClientError() ? "invalid_request_error" : "server_error");
        error.put("param", null);
        error.put("code", problem.getStatusCode().is4xxClientError() ? "invalid_request" : "internal_error");
        return ResponseEntity.status(problem.getStatusCode()).headers(problem.getHeaders())
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).body(java.util.Map.of("error", error));
    }

    @ExceptionHandler(RequestSizeLimit.BodyTooLargeException.class)
    ResponseEntity<Object> tooLarge(RequestSizeLimit.BodyTooLargeException ex, WebRequest request) {
        return shaped(request, problem(HttpStatus.CONTENT_TOO_LARGE, ex.getMessage()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception ex, WebRequest request) {
        log.error("Unexpected error in the API", ex);
        return shaped(request, problem(HttpStatus.INTERNAL_SERVER_ERROR,
                "Internal error; nothing stored was lost. See the service log."));
    }

    private static ResponseEntity<Object> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}
