package dev.isolation.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.fabric8.kubernetes.client.CustomResource;

/**
 * A cluster-scoped IsolationProfile: selects namespaces and says how isolated they are.
 * The contract lives in shared/design/api.md; the CRD in crds/ is generated from this class
 * (printer columns put into the contract's order by src/build/CrdPrinterColumns.java, the name's
 * length limited by src/build/CrdMetadataName.java).
 */
@Group(IsolationProfile.GROUP)
@Version(IsolationProfile.VERSION)
@Kind("IsolationProfile")
@Plural("isolationprofiles")
@Singular("isolationprofile")
@ShortNames("isop")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Enforced", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Enforced\")].status")
@AdditionalPrinterColumn(name = "CNI", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.cni.name")
@AdditionalPrinterColumn(name = "Namespaces", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.namespaceSummary")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
@AdditionalPrinterColumn(name = "Reason", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", priority = 1)
public class IsolationProfile extends CustomResource<IsolationProfileSpec, IsolationProfileStatus> {

    public static final String GROUP = "isolation.dev";
    public static final String VERSION = "v1alpha1";
    public static final String FINALIZER = "isolation.dev/cleanup";

    @Override
    protected IsolationProfileSpec initSpec() {
        return new IsolationProfileSpec();
    }
}
