package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.ProbeCheck;
import dev.isolation.operator.api.VerificationMethod;
import dev.isolation.operator.probe.CheckSelection;
import dev.isolation.operator.probe.live.ProbeScheduler;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;

/**
 * Enforced for every profile: detection's verdict, overridden by the probe for profiles with
 * {@code verification: Probe}. Also the probe's demand: the checks all Probe profiles need.
 */
final class ProbeEnforcement implements Function<ProfileView, EnforcementReport> {

    private final CniEnforcement detection;
    private final ClusterView view;
    private final ProfileDirectory directory;
    private volatile ProbeScheduler probe;

    ProbeEnforcement(CniEnforcement detection, ClusterView view, ProfileDirectory directory) {
        this.detection = detection;
        this.view = view;
        this.directory = directory;
    }

    void use(ProbeScheduler scheduler) {
        this.probe = scheduler;
    }

    @Override
    public EnforcementReport apply(ProfileView profile) {
        EnforcementReport detected = detection.apply(profile);
        if (!asksForProbe(profile)) {
            return detected;
        }
        return ProbeVerdicts.combine(detected, probe.verification(required(profile)));
    }

    /** Every check a current Probe profile needs. */
    Set<ProbeCheck> demand() {
        EnumSet<ProbeCheck> all = EnumSet.noneOf(ProbeCheck.class);
        if (!view.attached()) {
            return all;
        }
        view.profiles().stream().map(directory::view).filter(this::asksForProbe).map(this::required).forEach(all::addAll);
        return all;
    }

    /** An invalid profile renders nothing, so there is nothing of it to probe. */
    boolean asksForProbe(ProfileView profile) {
        return probe != null && profile.valid() && !profile.deleting()
                && profile.spec().verification() == VerificationMethod.Probe;
    }

    private Set<ProbeCheck> required(ProfileView profile) {
        return CheckSelection.required(profile.spec(), detection.renderedSpecs(profile));
    }
}
