package dev.isolation.operator.cni;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class VersionTest {

    @ParameterizedTest(name = "{0} vs {1} = {2}")
    @CsvSource({
            "v1.16.1, 1.16.1, 0", "1.16, 1.16.0, 0", "v1.16.0, v1.15.99, 1", "1.9.0, 1.10.0, -1",
            "v20240813-c6f155d6, 20240813, 0", "v20240812-zz, v20240813, -1", "v1.16.0-rc.1, 1.16.0, 0",
            "v1.30.4+k3s1, 1.30.4, 0", "latest, 99999.0, 1", "latest, latest, 0", "1.0, latest, -1",
            "V2.0, 2, 0"})
    void compares(String a, String b, int sign) {
        int cmp = Version.parse(a).orElseThrow().compareTo(Version.parse(b).orElseThrow());
        assertThat(Integer.signum(cmp)).isEqualTo(sign);
    }

    @ParameterizedTest
    @ValueSource(strings = {"master", "stable", "", "sha256:abc", "vx1", "-1.0"})
    void rejectsNonVersions(String s) {
        assertThat(Version.parse(s)).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> tag={1} version={2} path={3}")
    @CsvSource(nullValues = "null", value = {
            "quay.io/cilium/cilium:v1.16.1@sha256:abcd, v1.16.1, v1.16.1, cilium/cilium",
            "docker.io/cilium/cilium:latest, latest, latest, cilium/cilium",
            "weaveworks/weave-kube, null, latest, weaveworks/weave-kube",
            "quay.io/x/y@sha256:abcd, null, null, x/y",
            "localhost:5000/flannel/flannel:v0.25.1, v0.25.1, v0.25.1, flannel/flannel",
            "registry.k8s.io/networking/kube-network-policies:v1.0.0, v1.0.0, v1.0.0, networking/kube-network-policies",
            "602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.18.3-eksbuild.1, v1.18.3-eksbuild.1, v1.18.3-eksbuild.1, amazon-k8s-cni"})
    void parsesImages(String image, String tag, String version, String path) {
        ImageRef r = ImageRef.parse(image);
        assertThat(r.tag()).isEqualTo(tag);
        assertThat(r.version()).isEqualTo(version);
        assertThat(r.path()).isEqualTo(path);
    }
}
