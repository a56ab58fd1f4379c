package io.dpuvpc.actors.model;

/**
 * An IPv4 address as its 32 bits. Parsing is strict: exactly four decimal octets 0..255, no
 * leading zeros (which some parsers read as octal), no spaces or signs.
 */
public record Ipv4Address(int bits) implements Comparable<Ipv4Address> {

  /** Parses dotted-quad notation; throws {@link IllegalArgumentException} saying what is wrong. */
  public static Ipv4Address parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("an IPv4 address is required, e.g. 192.168.0.1");
    }
    String[] octets = text.split("\\.", -1);
    if (octets.length != 4) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not an IPv4 address: it needs exactly four dot-separated octets, e.g. 192.168.0.1");
    }
    int bits = 0;
    for (String octet : octets) {
      bits = (bits << 8) | parseOctet(text, octet);
    }
    return new Ipv4Address(bits);
  }

  private static int parseOctet(String text, String octet) {
    if (octet.isEmpty() || octet.length() > 3) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not an IPv4 address: each octet is a number from 0 to 255");
    }
    for (int i = 0; i < octet.length(); i++) {
      char c = octet.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException(
            "\"" + text + "\" is not an IPv4 address: octet \"" + octet + "\" is not a decimal number");
      }
    }
    if (octet.length() > 1 && octet.charAt(0) == '0') {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not an IPv4 address: octet \"" + octet
              + "\" has a leading zero; write it without (leading zeros are ambiguous)");
    }
    int value = Integer.parseInt(octet);
    if (value > 255) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not an IPv4 address: octet " + value + " is greater than 255");
    }
    return value;
  }

  /** True when {@code text} parses as an IPv4 address under {@link #parse}'s rules. */
  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The address {@code n} further on (negative for backwards), wrapping at 2^32. */
  public Ipv4Address plus(long n) {
    return new Ipv4Address((int) (Integer.toUnsignedLong(bits) + n));
  }

  public long unsigned() {
    return Integer.toUnsignedLong(bits);
  }

  @Override
  public int compareTo(Ipv4Address other) {
    return Integer.compareUnsigned(bits, other.bits);
  }

  @Override
  public String toString() {
    return ((bits >>> 24) & 0xff) + "." + ((bits >>> 16) & 0xff) + "." + ((bits >>> 8) & 0xff) + "." + (bits & 0xff);
  }
}
