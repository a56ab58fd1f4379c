package io.dpuvpc.k8s.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One DPU's interface: a DPUServiceInterface's template placed on a node. */
@Group(Groups.SVC)
@Version(Groups.VERSION)
@Kind("ServiceInterface")
@Plural("serviceinterfaces")
@ShortNames("si")
@AdditionalPrinterColumn(name = "READY", jsonPath = PrinterColumns.READY)
@AdditionalPrinterColumn(name = "NODE", jsonPath = ".spec.node")
// TYPE only with -o wide: the default view stays READY, NODE/NETWORK, AGE.
@AdditionalPrinterColumn(name = "TYPE", jsonPath = ".spec.interfaceType", priority = 1)
@AdditionalPrinterColumn(name = "NETWORK", jsonPath = ".spec.virtualNetwork")
@AdditionalPrinterColumn(name = "AGE", jsonPath = PrinterColumns.AGE, type = AdditionalPrinterColumn.Type.DATE)
public class ServiceInterface extends CustomResource<InterfaceSpec, ResourceStatus> implements Namespaced {}
