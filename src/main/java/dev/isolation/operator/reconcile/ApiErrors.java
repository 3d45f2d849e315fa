package dev.isolation.operator.reconcile;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Tells failed API requests that a retry can fix from those only a change can fix. Pure: it reads
 * nothing but the exception.
 *
 * <ul>
 *   <li>Transient — 5xx, 429, 409 (stale resourceVersion), 408, 401 (expired token, refreshed by the
 *   client), 404 (the cache was behind), and anything without an HTTP status (I/O, timeouts):
 *   retried with capped exponential backoff.</li>
 *   <li>Permanent — every other 4xx (400, 403, 422, ...) and any admission denial ("admission
 *   webhook ... denied the request", ValidatingAdmissionPolicy "... denied request"): sending the
 *   same request again gets the same answer, so it is retried only on a relevant change or at a
 *   slow interval.</li>
 * </ul>
 * A webhook that could not be called ("failed calling webhook", HTTP 500) is transient: the
 * webhook may come back.
 */
public final class ApiErrors {

    /** What to do about one failed request. */
    public enum Kind { TRANSIENT, PERMANENT }

    /**
     * @param retryAfter the server's Retry-After (429/503 Status details), or null when it gave none
     */
    public record Classification(Kind kind, Duration retryAfter) {
        public boolean permanent() {
            return kind == Kind.PERMANENT;
        }
    }

    private ApiErrors() {
    }

    public static Classification classify(KubernetesClientException e) {
        int code = e.getCode();
        Duration retryAfter = retryAfter(e.getStatus());
        if (isAdmissionDenial(e)) {
            return new Classification(Kind.PERMANENT, null);
        }
        if (code <= 0 || code >= 500 || isTransientClientError(code) || hasIoCause(e)) {
            return new Classification(Kind.TRANSIENT, retryAfter);
        }
        return new Classification(code >= 400 ? Kind.PERMANENT : Kind.TRANSIENT, retryAfter);
    }

    private static boolean isTransientClientError(int code) {
        return code == 401 || code == 404 || code == 408 || code == 409 || code == 429;
    }

    private static boolean isAdmissionDenial(KubernetesClientException e) {
        String message = text(e);
        return message.contains("admission webhook") && message.contains("denied the request")
                || message.contains("validatingadmissionpolicy") && message.contains("denied request");
    }

    private static String text(KubernetesClientException e) {
        StringBuilder all = new StringBuilder(String.valueOf(e.getMessage()));
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            all.append(' ').append(e.getStatus().getMessage());
        }
        return all.toString().toLowerCase(Locale.ROOT);
    }

    private static boolean hasIoCause(Throwable e) {
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof IOException || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The API server puts Retry-After into the Status of 429 (and some 5xx) answers. */
    private static Duration retryAfter(Status status) {
        if (status == null || status.getDetails() == null || status.getDetails().getRetryAfterSeconds() == null) {
            return null;
        }
        int seconds = status.getDetails().getRetryAfterSeconds();
        return seconds > 0 ? Duration.ofSeconds(seconds) : null;
    }
}
