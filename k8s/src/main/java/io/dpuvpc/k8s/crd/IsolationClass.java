package io.dpuvpc.k8s.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.Map;

/** The parameters of the OVN implementation; cluster scoped (it does not implement {@link Namespaced}). */
@Group(Groups.VPC)
@Version(Groups.VERSION)
@Kind("IsolationClass")
@Plural("isolationclasses")
@ShortNames("isoclass")
@AdditionalPrinterColumn(name = "PROVISIONER", jsonPath = ".spec.provisioner")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class IsolationClass extends CustomResource<IsolationClass.Spec, ResourceStatus> {

    public record Spec(@Required String provisioner, Map<String, String> parameters) {}
}
