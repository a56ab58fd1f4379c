package io.dpuvpc.k8s.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * An interface wanted on every selected DPU node, nested as the reference nests it: {@code
 * spec.template} is the ServiceInterfaceSet template, whose {@code spec.template} is the
 * ServiceInterface template.
 */
@Group(Groups.SVC)
@Version(Groups.VERSION)
@Kind("DPUServiceInterface")
@Plural("dpuserviceinterfaces")
@ShortNames("dsi")
@AdditionalPrinterColumn(name = "READY", jsonPath = PrinterColumns.READY)
// TYPE only with -o wide: the default view stays READY, NODE/NETWORK, AGE.
@AdditionalPrinterColumn(name = "TYPE", jsonPath = ".spec.template.spec.template.spec.interfaceType", priority = 1)
@AdditionalPrinterColumn(name = "NETWORK", jsonPath = ".spec.template.spec.template.spec.virtualNetwork")
@AdditionalPrinterColumn(name = "AGE", jsonPath = PrinterColumns.AGE, type = AdditionalPrinterColumn.Type.DATE)
public class DpuServiceInterface extends CustomResource<DpuServiceInterface.Spec, ResourceStatus>
        implements Namespaced {

    public record Spec(@Required SetTemplate template) {}

    /** {@code spec.template}: the ServiceInterfaceSet template. */
    public record SetTemplate(TemplateMetadata metadata, @Required SetSpec spec) {}

    /** {@code spec.template.spec}: which nodes, and the ServiceInterface each gets. */
    public record SetSpec(LabelSelector nodeSelector, @Required InterfaceTemplate template) {}

    /** {@code spec.template.spec.template}: a ServiceInterface's metadata and spec. */
    public record InterfaceTemplate(TemplateMetadata metadata, @Required InterfaceSpec spec) {}
}
