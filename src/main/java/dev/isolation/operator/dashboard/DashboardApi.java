package dev.isolation.operator.dashboard;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * The read-only JSON behind the dashboard, documented at {@code /q/openapi}. Every answer comes
 * from the operator's caches; nothing here writes to the cluster. 503 while the operator has
 * not started or its caches have not synced.
 */
@Dashboard
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "dashboard", description = "Read-only view of IsolationProfiles, their namespaces and the CNI")
public class DashboardApi {

    @Inject
    DashboardReader reader;

    @GET
    @Path("/profiles")
    @Operation(summary = "Every IsolationProfile with its conditions and rollout progress")
    @APIResponse(responseCode = "200", description = "profiles sorted by name")
    @APIResponse(responseCode = "503", description = "the operator's caches are not synced yet")
    public List<ProfileRow> profiles() {
        requireAvailable();
        return reader.profiles();
    }

    @GET
    @Path("/profiles/{name}")
    @Operation(summary = "One profile: conditions, verification, failures and a page of its namespaces (failing first)")
    @APIResponse(responseCode = "200", description = "the profile")
    @APIResponse(responseCode = "404", description = "no such profile")
    public ProfileDetail profile(@PathParam("name") String name,
                                 @Parameter(description = "first namespace of the page (pages of 100)")
                                 @QueryParam("offset") @DefaultValue("0") int offset) {
        requireAvailable();
        return reader.profile(name, offset).orElseThrow(() -> new NotFoundException("no profile " + name));
    }

    @GET
    @Path("/profiles/{name}/namespaces/{namespace}")
    @Operation(summary = "One namespace a profile selects: its outcome and the NetworkPolicies the profile generated there")
    @APIResponse(responseCode = "200", description = "the namespace")
    @APIResponse(responseCode = "404", description = "the profile does not select that namespace")
    public NamespaceDetail namespace(@PathParam("name") String name, @PathParam("namespace") String namespace) {
        requireAvailable();
        return reader.namespace(name, namespace)
                .orElseThrow(() -> new NotFoundException("profile " + name + " does not select " + namespace));
    }

    @GET
    @Path("/cni")
    @Operation(summary = "The detected CNI, its capabilities, and every profile's verification result")
    @APIResponse(responseCode = "200", description = "the CNI panel")
    public CniPanel cni() {
        requireAvailable();
        return reader.cni().orElseThrow(ServiceUnavailableException::new);
    }

    private void requireAvailable() {
        if (!reader.available()) {
            throw new ServiceUnavailableException("the operator has not started or its caches are not synced yet");
        }
    }
}
