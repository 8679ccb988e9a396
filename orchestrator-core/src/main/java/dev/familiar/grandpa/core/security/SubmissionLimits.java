package dev.familiar.grandpa.core.security;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import java.time.Duration;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * How many tasks each token may submit a minute (Resilience4j rate limiters, one per token), so a
 * runaway script or agent cannot flood the queue that grandpa's one model has to plan.
 */
@Component
public class SubmissionLimits {
    private final RateLimiterRegistry limiters;

    public SubmissionLimits(SecuritySettings settings) {
        this.limiters = RateLimiterRegistry.of(RateLimiterConfig.custom()
                .limitForPeriod(settings.submissionsPerMinute())
                .limitRefreshPeriod(Duration.ofMinutes(1))
                .timeoutDuration(Duration.ZERO)
                .build());
    }

    /** Takes one submission from the calling token's allowance; false when it is used up for now. */
    public boolean allow() {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        String caller = authentication != null && authentication.getPrincipal() instanceof ApiTokens.Caller c
                ? c.name() : "anonymous";
        RateLimiter limiter = limiters.rateLimiter(caller);
        return limiter.acquirePermission();
    }
}
