package dev.isolation.operator.health;

import dev.isolation.operator.OperatorLauncher;
import dev.isolation.operator.reconcile.OperatorRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the operator has started and every informer has synced and is watching. */
@Readiness
@ApplicationScoped
public class OperatorReadinessCheck implements HealthCheck {

    @Inject
    OperatorLauncher launcher;

    @Override
    public HealthCheckResponse call() {
        boolean ready = launcher.runtime().map(OperatorRuntime::healthy).orElse(false);
        return HealthCheckResponse.named("operator-informers").status(ready)
                .withData("started", launcher.runtime().isPresent()).build();
    }
}
