package dev.isolation.operator.dashboard;

import dev.isolation.operator.config.OperatorConfig;
import jakarta.inject.Inject;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * {@code isolation.dashboard.enabled=false} answers every dashboard path (the page and
 * {@code /api/v1/}) with 404, as if it did not exist; health and metrics stay.
 */
@Provider
@Dashboard
public class DashboardSwitch implements ContainerRequestFilter {

    /** Looked up per request: the filter is built at static init, before runtime config exists. */
    @Inject
    Instance<OperatorConfig> config;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!config.get().dashboard().enabled()) {
            throw new NotFoundException();
        }
    }
}
