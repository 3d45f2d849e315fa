package dev.isolation.operator.dashboard;

import java.util.List;
import java.util.Map;

/**
 * The cluster's CNI as detection sees it, and what the probe found for each profile that asked.
 *
 * @param features      NetworkPolicy feature → {@code YES | NO | UNKNOWN} from the capability catalog
 * @param verifications one entry per profile, its {@code status.verification}
 */
public record CniPanel(String name, String version, String detectedFrom, String enforcesNetworkPolicy,
                       Map<String, String> features, String note, boolean catalogOverrideValid,
                       List<ProfileVerification> verifications) {

    /** A profile's verification result, as in its status. */
    public record ProfileVerification(String profile, String method, String result, String checkedAt,
                                      String message) {
    }
}
