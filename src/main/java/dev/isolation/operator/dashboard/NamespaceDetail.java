package dev.isolation.operator.dashboard;

import java.util.List;

/** One namespace as one profile sees it: its outcome and the policies the profile generated there. */
public record NamespaceDetail(String profile, NamespaceRow namespace, List<PolicyView> policies) {
}
