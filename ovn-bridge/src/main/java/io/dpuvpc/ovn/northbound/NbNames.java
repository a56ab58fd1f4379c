package io.dpuvpc.ovn.northbound;

import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Names and ids of the Northbound rows the translator writes. Names are for people reading
 * {@code ovn-nbctl show}: {@code <namespace>_<name>} is unambiguous because Kubernetes names never
 * contain {@code _}. Address_Set names must be match-expression identifiers ({@code -} and {@code .}
 * are not allowed), so they use a hash of the VPC's key. Ids ({@link Ownership#ID}) are the owner
 * followed by the row's role, unique in the database and stable across restarts.
 */
public final class NbNames {
    private NbNames() {}

    /** The VPC's logical router; its network ports and the interfaces' policies hang from it. */
    public static String vpcRouter(String namespace, String vpc) {
        return "vpc_" + namespace + "_" + vpc;
    }

    public static String vpcRouterId(String namespace, String vpc) {
        return id(vpcKey(namespace, vpc), "router");
    }

    public static String joinSwitch(String namespace, String vpc) {
        return "join_" + namespace + "_" + vpc;
    }

    /** The VPC's gateway router on one DPU node. */
    public static String gatewayRouter(String namespace, String vpc, String node) {
        return "gw_" + namespace + "_" + vpc + "_" + node;
    }

    /** The id of the gateway router's port on the join switch, whose address interfaces reroute to. */
    public static String gatewayJoinPortId(String namespace, String vpc, String node) {
        return id(vpcKey(namespace, vpc), "gw/" + node + "/join-port");
    }

    public static String externalSwitch(String node) {
        return "ext_" + node;
    }

    /** The address sets' prefix: {@code vpc_} and 16 hex digits of the SHA-256 of the VPC's key. */
    public static String addressSetPrefix(String namespace, String vpc) {
        return "vpc_" + hash(vpcKey(namespace, vpc).toString()).substring(0, 16);
    }

    public static String networkSwitch(String namespace, String network) {
        return "net_" + namespace + "_" + network;
    }

    public static String networkSwitchId(String namespace, String network) {
        return id(networkKey(namespace, network), "switch");
    }

    public static String networkDhcpId(String namespace, String network) {
        return id(networkKey(namespace, network), "dhcp");
    }

    /** {@code owner/role}. */
    public static String id(ResourceKey owner, String role) {
        return owner + "/" + role;
    }

    /**
     * A stable, locally administered unicast MAC for {@code seed} (a router port's or an
     * interface's): the same seed always gives the same address, so nothing has to be persisted.
     * Remembered ({@link #MACS}): a VPC's translation asks for two per gateway, every plan.
     */
    public static String mac(String seed) {
        return MACS.get(seed);
    }

    private static String macOf(String seed) {
        byte[] digest = sha256(seed);
        digest[0] = (byte) ((digest[0] & 0xfc) | 0x02);
        return HexFormat.ofDelimiter(":").formatHex(digest, 0, 6);
    }

    static ResourceKey vpcKey(String namespace, String vpc) {
        return ResourceKey.namespaced(ResourceKind.DPU_VPC, namespace, vpc);
    }

    static ResourceKey networkKey(String namespace, String network) {
        return ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, namespace, network);
    }

    /** The SHA-256 of {@code text} in hex; remembered ({@link #HASHES}). */
    static String hash(String text) {
        return HASHES.get(text);
    }

    /**
     * Up to this many results of {@link #mac} and of {@link #hash} each are remembered: both are
     * SHA-256 digests, and a VPC over 100 DPUs took about 300 of them per translation (a fifth of
     * a lone change's translation in the controller's profile, docs/BENCHMARKS.md). 65,536 covers
     * the gateway ports and nodes of 10,000 DPUs; past it the memory is emptied and fills again.
     */
    static final int REMEMBERED = 1 << 16;
    private static final Remembered MACS = new Remembered(NbNames::macOf);
    private static final Remembered HASHES = new Remembered(text -> HexFormat.of().formatHex(sha256(text)));

    /** A pure function of a string, its results kept up to {@link #REMEMBERED}. */
    private static final class Remembered {
        private final Map<String, String> results = new ConcurrentHashMap<>();
        private final UnaryOperator<String> function;

        Remembered(UnaryOperator<String> function) {
            this.function = function;
        }

        String get(String key) {
            String result = results.get(key);
            if (result == null) {
                result = function.apply(key);
                if (results.size() >= REMEMBERED) {
                    results.clear();
                }
                results.put(key, result);
            }
            return result;
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
