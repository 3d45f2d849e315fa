package dev.isolation.operator.web;

import dev.isolation.operator.OperatorLauncher;
import dev.isolation.operator.api.ConditionType;
import dev.isolation.operator.api.IsolationProfile;
import dev.isolation.operator.api.IsolationProfileStatus;
import dev.isolation.operator.api.Mode;
import dev.isolation.operator.api.NamespaceCounts;
import dev.isolation.operator.api.PolicyCounts;
import dev.isolation.operator.reconcile.StatusBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Per-profile gauges on /q/metrics, each labelled {@code profile} (never per namespace, so the
 * cardinality is one series per profile and metric/state):
 * {@code isolation_profile_ready}, {@code _enforced} (1 True, 0 False, -1 Unknown),
 * {@code _reconciling}, {@code _stalled}, {@code _dry_run},
 * {@code isolation_profile_namespaces{state=selected|ready|failed}} and
 * {@code isolation_profile_policies{state=desired|applied}}.
 *
 * <p>The values mirror each profile's status in the informer cache, re-read every
 * {@link #REFRESH_SECONDS} seconds; a deleted profile's series disappear at the next refresh.
 */
@ApplicationScoped
public class ProfileMetrics {

    static final long REFRESH_SECONDS = 2;
    private static final Logger LOG = Logger.getLogger(ProfileMetrics.class);

    @Inject
    MeterRegistry registry;
    @Inject
    OperatorLauncher launcher;

    private final Map<String, ToDoubleFunction<IsolationProfile>> flags = Map.of(
            "isolation.profile.ready", p -> conditionTrue(p, ConditionType.Ready),
            "isolation.profile.enforced", ProfileMetrics::enforced,
            "isolation.profile.reconciling", p -> conditionTrue(p, ConditionType.Reconciling),
            "isolation.profile.stalled", p -> conditionTrue(p, ConditionType.Stalled),
            "isolation.profile.dry.run", p -> p.getSpec() != null && p.getSpec().getMode() == Mode.DryRun ? 1 : 0);
    private final Map<String, MultiGauge> gauges = new HashMap<>();
    private MultiGauge namespaces;
    private MultiGauge policies;
    private ScheduledExecutorService timer;

    synchronized void start(@Observes StartupEvent event) {
        flags.keySet().forEach(name -> gauges.put(name, MultiGauge.builder(name)
                .description("Per IsolationProfile, from its status (see README, Monitoring)").register(registry)));
        namespaces = MultiGauge.builder("isolation.profile.namespaces")
                .description("Namespaces of an IsolationProfile by state: selected, ready, failed").register(registry);
        policies = MultiGauge.builder("isolation.profile.policies")
                .description("NetworkPolicies of an IsolationProfile by state: desired, applied").register(registry);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "profile-metrics");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::refresh, 0, REFRESH_SECONDS, TimeUnit.SECONDS);
    }

    /** Same reason as {@link OperatorMetrics#unregister}: the global registry outlives a restart. */
    synchronized void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        gauges.values().forEach(g -> g.register(List.of(), true));
        gauges.clear();
        if (namespaces != null) {
            namespaces.register(List.of(), true);
            policies.register(List.of(), true);
            namespaces = null;
            policies = null;
        }
    }

    /** Never throws: a failed refresh must not end the schedule. */
    synchronized void refresh() {
        if (timer == null) {
            return;
        }
        try {
            List<IsolationProfile> profiles = launcher.runtime().filter(r -> r.view().attached())
                    .map(r -> r.view().profiles()).orElse(List.of());
            flags.forEach((name, value) -> {
                List<MultiGauge.Row<?>> rows = new ArrayList<>();
                for (IsolationProfile p : profiles) {
                    rows.add(MultiGauge.Row.of(Tags.of("profile", p.getMetadata().getName()), value.applyAsDouble(p)));
                }
                // overwrite: the series of a deleted profile disappear instead of lingering.
                gauges.get(name).register(rows, true);
            });
            List<MultiGauge.Row<?>> namespaceRows = new ArrayList<>();
            List<MultiGauge.Row<?>> policyRows = new ArrayList<>();
            for (IsolationProfile p : profiles) {
                String name = p.getMetadata().getName();
                IsolationProfileStatus status = p.getStatus();
                NamespaceCounts ns = status == null || status.getNamespaces() == null ? new NamespaceCounts() : status.getNamespaces();
                PolicyCounts np = status == null || status.getPolicies() == null ? new PolicyCounts() : status.getPolicies();
                namespaceRows.add(MultiGauge.Row.of(Tags.of("profile", name, "state", "selected"), ns.getSelected()));
                namespaceRows.add(MultiGauge.Row.of(Tags.of("profile", name, "state", "ready"), ns.getReady()));
                namespaceRows.add(MultiGauge.Row.of(Tags.of("profile", name, "state", "failed"), ns.getFailed()));
                policyRows.add(MultiGauge.Row.of(Tags.of("profile", name, "state", "desired"), np.getDesired()));
                policyRows.add(MultiGauge.Row.of(Tags.of("profile", name, "state", "applied"), np.getApplied()));
            }
            namespaces.register(namespaceRows, true);
            policies.register(policyRows, true);
        } catch (RuntimeException e) {
            LOG.debugf(e, "profile metrics refresh failed");
        }
    }

    private static double conditionTrue(IsolationProfile profile, ConditionType type) {
        return StatusBuilder.isTrue(profile.getStatus(), type) ? 1 : 0;
    }

    /** 1 True, 0 False, -1 Unknown (also while the profile has no status yet). */
    private static double enforced(IsolationProfile profile) {
        Condition c = StatusBuilder.find(profile.getStatus(), ConditionType.Enforced.name());
        if (c == null) {
            return -1;
        }
        return switch (c.getStatus()) {
            case "True" -> 1;
            case "False" -> 0;
            default -> -1;
        };
    }
}
