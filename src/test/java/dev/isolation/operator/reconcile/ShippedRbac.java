package dev.isolation.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules kustomize/base ships, as the API server would report them. The mock API server does
 * no RBAC, so the access checks the operator (JOSDK's pre-election SelfSubjectRulesReview) makes
 * are answered from the shipped files: a verb missing there fails the test as it fails on a cluster.
 */
final class ShippedRbac {

    /** Both apply in the operator's namespace. */
    static final List<String> FILES = List.of("kustomize/base/role.yaml", "kustomize/base/clusterrole.yaml");

    private ShippedRbac() {
    }

    /** The shipped Role's and ClusterRole's rules, verbatim. */
    static List<ResourceRule> rulesInOperatorNamespace() {
        List<ResourceRule> rules = new ArrayList<>();
        for (String file : FILES) {
            rules.addAll(rules(file));
        }
        return rules;
    }

    private static List<ResourceRule> rules(String file) {
        try {
            JsonNode role = new ObjectMapper(new YAMLFactory()).readTree(new File(file));
            List<ResourceRule> rules = new ArrayList<>();
            for (JsonNode rule : role.path("rules")) {
                rules.add(new ResourceRuleBuilder().withApiGroups(texts(rule.path("apiGroups")))
                        .withResources(texts(rule.path("resources"))).withVerbs(texts(rule.path("verbs")))
                        .withResourceNames(texts(rule.path("resourceNames"))).build());
            }
            return rules;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers every SelfSubjectRulesReview with the shipped rules (the Lease lives in the operator's namespace). */
    static void answerRulesReviews(KubernetesMockServer server) {
        SelfSubjectRulesReview review = new SelfSubjectRulesReviewBuilder().withNewStatus()
                .withResourceRules(rulesInOperatorNamespace()).withIncomplete(false).endStatus().build();
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, review).always();
    }

    private static List<String> texts(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(n -> result.add(n.asText()));
        return result;
    }
}
