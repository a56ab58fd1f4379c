package io.dpuvpc.actors.model;

import java.util.Map;

/** The annotation keys of the reference, on ServiceInterfaces and their templates. */
public final class Annotations {
  private Annotations() {}

  /** {@code "true"}: the logical switch port accepts any source MAC ({@code unknown} address). */
  public static final String UNKNOWN_MAC = "ovn.vpc.dpu.nvidia.com/unknown-mac";
  /** Written back on a ServiceInterface: whether its logical switch port is bound. */
  public static final String LSP_CONNECTED = "ovn.vpc.dpu.nvidia.com/lsp-connected";
  /** Written back on a ServiceInterface: the MAC the host interface must carry. */
  public static final String LSP_MAC_ADDRESS = "ovn.vpc.dpu.nvidia.com/lsp-mac-address";

  /** True only for the value {@code "true"}; validators refuse anything but "true"/"false". */
  public static boolean unknownMac(Map<String, String> annotations) {
    return annotations != null && "true".equals(annotations.get(UNKNOWN_MAC));
  }
}
