package dev.isolation.operator.dashboard;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;
import java.util.Optional;

/**
 * The read-only dashboard: server-rendered HTML (Qute escapes every value), no JavaScript, a
 * meta refresh keeps it current. Drill-down: profiles → one profile → one namespace.
 */
@Dashboard
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class DashboardPages {

    /** Seconds between automatic reloads of every page. */
    static final int REFRESH_SECONDS = 10;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance index(boolean available, List<ProfileRow> profiles, Optional<CniPanel> cni,
                                             int refresh);

        static native TemplateInstance profile(ProfileDetail detail, int refresh);

        static native TemplateInstance namespace(NamespaceDetail detail, int refresh);
    }

    @Inject
    DashboardReader reader;

    @GET
    @Operation(hidden = true)
    public TemplateInstance index() {
        return Templates.index(reader.available(), reader.profiles(), reader.cni(), REFRESH_SECONDS);
    }

    @GET
    @Path("profiles/{name}")
    @Operation(hidden = true)
    public TemplateInstance profile(@PathParam("name") String name, @QueryParam("offset") @DefaultValue("0") int offset) {
        return Templates.profile(reader.profile(name, offset).orElseThrow(NotFoundException::new), REFRESH_SECONDS);
    }

    @GET
    @Path("profiles/{name}/namespaces/{namespace}")
    @Operation(hidden = true)
    public TemplateInstance namespace(@PathParam("name") String name, @PathParam("namespace") String namespace) {
        return Templates.namespace(reader.namespace(name, namespace).orElseThrow(NotFoundException::new),
                REFRESH_SECONDS);
    }
}
