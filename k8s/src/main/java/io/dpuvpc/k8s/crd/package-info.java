/**
 * The fabric8 model of the five custom resources, shaped and spelled as the reference's CRDs:
 * {@code vpc.dpu.nvidia.com/v1alpha1} IsolationClass (cluster scoped), DPUVPC and
 * DPUVirtualNetwork; {@code svc.dpu.nvidia.com/v1alpha1} DPUServiceInterface and ServiceInterface.
 *
 * <p>These classes only carry what the API server stores; the CRD YAML under {@code k8s/crds/} is
 * generated from them (with the cheap OpenAPI checks: required fields, enums, address patterns).
 * The product's real rules live in the domain's validators: {@link io.dpuvpc.k8s.DomainSpecs}
 * turns each spec into the domain's record, which those validators check.
 */
package io.dpuvpc.k8s.crd;
