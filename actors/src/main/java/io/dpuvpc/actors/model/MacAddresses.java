package io.dpuvpc.actors.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * MAC addresses the product assigns. Derived from the owner's key rather than allocated, so that
 * nothing is persisted and every incarnation of the entity (on any node) assigns the same one.
 */
public final class MacAddresses {
  private MacAddresses() {}

  /**
   * A stable, locally administered unicast MAC for {@code key}: the first six bytes of the SHA-256
   * of its {@link ResourceKey#toString()}, with the multicast bit cleared and the local bit set.
   * Collisions within one switch are as likely as for 46 random bits.
   */
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  public static String forKey(ResourceKey key) {
    byte[] hash = sha256(key.toString().getBytes(StandardCharsets.UTF_8));
    hash[0] = (byte) ((hash[0] & 0xfc) | 0x02);
    // Hex by hand: String.format per byte made this a visible cost of every status read.
    char[] mac = new char[17];
    for (int i = 0; i < 6; i++) {
      if (i > 0) {
        mac[3 * i - 1] = ':';
      }
      mac[3 * i] = HEX[(hash[i] >> 4) & 0xf];
      mac[3 * i + 1] = HEX[hash[i] & 0xf];
    }
    return new String(mac);
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
