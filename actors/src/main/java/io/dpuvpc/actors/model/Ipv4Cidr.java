package io.dpuvpc.actors.model;

/**
 * An IPv4 block {@code address/prefix}. {@link #parse} accepts any address with a prefix 0..32 so
 * that a validator can say precisely what is wrong; {@link #isNetworkAddress()} tells whether the
 * address was written as the block's network address (10.0.0.0/24, not 10.0.0.1/24).
 *
 * <p>The gateway of a virtual network is the block's first usable address (reference: "first IP
 * becomes gateway").
 */
public record Ipv4Cidr(Ipv4Address address, int prefix) {

  public Ipv4Cidr {
    if (address == null) {
      throw new IllegalArgumentException("address is required");
    }
    if (prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException("prefix " + prefix + " is outside 0..32");
    }
  }

  /** Parses {@code a.b.c.d/p}; throws {@link IllegalArgumentException} saying what is wrong. */
  public static Ipv4Cidr parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("an IPv4 CIDR is required, e.g. 192.168.0.0/24");
    }
    int slash = text.indexOf('/');
    if (slash < 0 || slash != text.lastIndexOf('/')) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not an IPv4 CIDR: write an address, one '/' and a prefix length, e.g. 192.168.0.0/24");
    }
    Ipv4Address address = Ipv4Address.parse(text.substring(0, slash));
    String p = text.substring(slash + 1);
    if (p.isEmpty() || p.length() > 2 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
        || (p.length() > 1 && p.charAt(0) == '0') || Integer.parseInt(p) > 32) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not an IPv4 CIDR: the prefix length must be a number from 0 to 32 without leading zeros");
    }
    return new Ipv4Cidr(address, Integer.parseInt(p));
  }

  public int mask() {
    return prefix == 0 ? 0 : -1 << (32 - prefix);
  }

  public Ipv4Address network() {
    return new Ipv4Address(address.bits() & mask());
  }

  public Ipv4Address broadcast() {
    return new Ipv4Address(network().bits() | ~mask());
  }

  /** Whether the address was written as the network address of the block. */
  public boolean isNetworkAddress() {
    return address.equals(network());
  }

  /** Number of addresses in the block, network and broadcast included. */
  public long size() {
    return 1L << (32 - prefix);
  }

  public boolean contains(Ipv4Address candidate) {
    return (candidate.bits() & mask()) == network().bits();
  }

  public boolean contains(Ipv4Cidr other) {
    return other.prefix >= prefix && contains(other.network());
  }

  /** Two blocks overlap exactly when one contains the other's network address. */
  public boolean overlaps(Ipv4Cidr other) {
    return contains(other.network()) || other.contains(network());
  }

  /** The first usable address, which the product gives the gateway (router port, DHCP server). */
  public Ipv4Address firstUsable() {
    requireHosts();
    return network().plus(1);
  }

  public Ipv4Address lastUsable() {
    requireHosts();
    return broadcast().plus(-1);
  }

  /** Same as {@link #firstUsable()}: the reference's "first IP becomes gateway". */
  public Ipv4Address gateway() {
    return firstUsable();
  }

  private void requireHosts() {
    if (prefix > 30) {
      throw new IllegalStateException(this + " has no usable host addresses besides network and broadcast");
    }
  }

  /** The block in canonical form (network address / prefix). */
  public Ipv4Cidr canonical() {
    return new Ipv4Cidr(network(), prefix);
  }

  @Override
  public String toString() {
    return address + "/" + prefix;
  }
}
