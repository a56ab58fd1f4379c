package io.dpuvpc.k8s.crd;

/** The reference's API groups and their one version. */
public final class Groups {
    private Groups() {}

    public static final String VPC = "vpc.dpu.nvidia.com";
    public static final String SVC = "svc.dpu.nvidia.com";
    public static final String VERSION = "v1alpha1";
}
