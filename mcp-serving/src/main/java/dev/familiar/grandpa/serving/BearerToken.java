package dev.familiar.grandpa.serving;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Where a token is set, every request carries it ({@code Authorization: Bearer ...}) or gets 401. */
final class BearerToken extends HttpFilter {
    private final byte[] expected;

    BearerToken(String token) {
        this.expected = token == null || token.isBlank() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String given = request.getHeader("Authorization");
        if (expected != null && (given == null
                || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8)))) {
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "a bearer token is needed");
            return;
        }
        chain.doFilter(request, response);
    }
}
