package io.dpuvpc.actors.validation;

/** The CamelCase reasons of {@link FieldError}s. */
public final class ValidationReasons {
  private ValidationReasons() {}

  public static final String REQUIRED = "Required";
  public static final String INVALID_NAME = "InvalidName";
  public static final String UNSUPPORTED_VALUE = "UnsupportedValue";
  public static final String FIELD_NOT_ALLOWED = "FieldNotAllowed";
  public static final String FIELD_IMMUTABLE = "FieldImmutable";
  public static final String OUT_OF_RANGE = "OutOfRange";
  public static final String INVALID_CIDR = "InvalidCIDR";
  public static final String NOT_NETWORK_ADDRESS = "NotNetworkAddress";
  public static final String SUBNET_TOO_SMALL = "SubnetTooSmall";
  public static final String RESERVED_SUBNET = "ReservedSubnet";
  public static final String INVALID_IP_ADDRESS = "InvalidIPAddress";
  public static final String OUTSIDE_SUBNET = "OutsideSubnet";
  public static final String INVALID_RANGE = "InvalidRange";
  public static final String SUBNET_OVERLAP = "SubnetOverlap";
  public static final String INVALID_PROVISIONER = "InvalidProvisioner";
  public static final String INVALID_PARAMETER = "InvalidParameter";
  public static final String INVALID_ANNOTATION = "InvalidAnnotation";
  public static final String INVALID_SELECTOR = "InvalidSelector";
  public static final String INVALID_LABEL = "InvalidLabel";
  public static final String NOT_FOUND = "NotFound";
  public static final String NODE_IN_SEVERAL_VPCS = "NodeInSeveralVPCs";
}
