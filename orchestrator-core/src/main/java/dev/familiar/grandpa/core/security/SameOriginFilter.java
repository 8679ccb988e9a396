package dev.familiar.grandpa.core.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses requests that would change something when a browser says they come from another site's page
 * (an {@code Origin} header naming neither grandpa's own address nor an allowed origin), so a page
 * open in the owner's browser cannot cancel tasks or add backends behind their back.
 */
final class SameOriginFilter extends OncePerRequestFilter {
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final List<String> allowed;

    SameOriginFilter(List<String> allowed) {
        this.allowed = allowed.stream().map(SameOriginFilter::normal).toList();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String origin = request.getHeader("Origin");
        if (origin == null || SAFE.contains(request.getMethod()) || sameSite(request, origin)) {
            chain.doFilter(request, response);
            return;
        }
        Problems.write(response, HttpStatus.FORBIDDEN, "Requests that change something are not accepted from the page of "
                + "another site (Origin " + origin + "); add it to grandpa.security.allowed-origins to allow it");
    }

    private boolean sameSite(HttpServletRequest request, String origin) {
        String normal = normal(origin);
        String own = normal(request.getScheme() + "://" + request.getHeader("Host"));
        return normal.equals(own) || allowed.contains(normal);
    }

    /** scheme://host:port in lower case, the default port written out. */
    private static String normal(String origin) {
        try {
            URI uri = URI.create(origin.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return origin;
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            return (uri.getScheme() + "://" + uri.getHost() + ":" + port).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return origin;
        }
    }
}
