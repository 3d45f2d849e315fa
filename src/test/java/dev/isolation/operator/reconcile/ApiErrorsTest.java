package dev.isolation.operator.reconcile;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ApiErrorsTest {

    private static KubernetesClientException http(int code, String message) {
        Status status = new StatusBuilder().withCode(code).withMessage(message).build();
        return new KubernetesClientException(message, code, status);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504, 429, 409, 408, 404, 401})
    void serverErrorsThrottlingAndStaleWritesAreTransient(int code) {
        assertThat(ApiErrors.classify(http(code, "boom")).permanent()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 403, 405, 413, 415, 422})
    void otherClientErrorsArePermanent(int code) {
        assertThat(ApiErrors.classify(http(code, "no")).permanent()).isTrue();
    }

    @Test
    void ioFailuresAndTimeoutsAreTransient() {
        assertThat(ApiErrors.classify(new KubernetesClientException("io", new IOException("reset"))).permanent()).isFalse();
        assertThat(ApiErrors.classify(new KubernetesClientException("slow", new SocketTimeoutException("timeout")))
                .permanent()).isFalse();
    }

    @Test
    void admissionDenialsArePermanentWhateverTheCode() {
        assertThat(ApiErrors.classify(http(400, "admission webhook \"deny.example.com\" denied the request: no"))
                .permanent()).isTrue();
        assertThat(ApiErrors.classify(http(500, "admission webhook \"deny.example.com\" denied the request: no"))
                .permanent()).isTrue();
        assertThat(ApiErrors.classify(http(422, "networkpolicies \"x\" is forbidden: ValidatingAdmissionPolicy"
                + " 'p' with binding 'b' denied request: nope")).permanent()).isTrue();
    }

    @Test
    void aWebhookThatCouldNotBeCalledIsTransient() {
        assertThat(ApiErrors.classify(http(500, "Internal error occurred: failed calling webhook \"x\": context"
                + " deadline exceeded")).permanent()).isFalse();
    }

    @Test
    void retryAfterIsTakenFromTheStatus() {
        Status status = new StatusBuilder().withCode(429).withMessage("slow down")
                .withNewDetails().withRetryAfterSeconds(7).endDetails().build();
        ApiErrors.Classification c = ApiErrors.classify(new KubernetesClientException("slow down", 429, status));
        assertThat(c.permanent()).isFalse();
        assertThat(c.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(ApiErrors.classify(http(429, "slow down")).retryAfter()).isNull();
    }
}
