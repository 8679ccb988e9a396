package dev.familiar.grandpa.core.security;

import java.util.function.Predicate;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Whether the caller of the request being served holds a role (an admin holds the operator's and the
 * viewer's too): for the doors that serve several roles on one endpoint, such as MCP's tools.
 */
public final class CallerRole implements Predicate<Role> {
    private final RoleHierarchy hierarchy;

    public CallerRole(RoleHierarchy hierarchy) {
        this.hierarchy = hierarchy;
    }

    @Override
    public boolean test(Role role) {
        var caller = SecurityContextHolder.getContext().getAuthentication();
        return caller != null && hierarchy.getReachableGrantedAuthorities(caller.getAuthorities()).stream()
                .anyMatch(a -> role.authority().equals(a.getAuthority()));
    }
}
