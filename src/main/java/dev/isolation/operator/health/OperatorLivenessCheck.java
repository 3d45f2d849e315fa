package dev.isolation.operator.health;

import dev.isolation.operator.OperatorLauncher;
import dev.isolation.operator.reconcile.OperatorRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.util.Optional;

/**
 * Down when the operator is wedged in a way a restart fixes: its informers have been unable to
 * sync for longer than {@code isolation.liveness.informer-grace}, or the reconcile executor is
 * stuck ({@code isolation.liveness.reconcile-timeout}). A short API server outage is not a reason
 * to restart (informers reconnect by themselves; readiness reports it at once). Before the
 * operator started, the process being up is all there is to say.
 */
@Liveness
@ApplicationScoped
public class OperatorLivenessCheck implements HealthCheck {

    @Inject
    OperatorLauncher launcher;

    @Override
    public HealthCheckResponse call() {
        Optional<String> wedged = launcher.runtime().flatMap(OperatorRuntime::wedged);
        return HealthCheckResponse.named("operator-watchdog").status(wedged.isEmpty())
                .withData("reason", wedged.orElse("")).build();
    }
}
