package io.dpuvpc.simulator.ovs;

import io.dpuvpc.ovn.ovsdb.JsonFrameDecoder;
import io.dpuvpc.ovn.ovsdb.JsonRpcCodec;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An in-process ovsdb-server for a simulated fleet: many independent {@code Open_vSwitch}
 * databases, one per simulated DPU, each served on its own unix socket (the node agent connects
 * to {@code unix:PATH} unchanged, as to a DPU's {@code db.sock}), all on a few shared Netty event
 * loops. A database costs its rows (only non-default columns are stored; the schema is read once
 * and shared), one listening socket and its sessions: nothing like a process per DPU.
 *
 * <p>What it speaks is what our {@code OvsdbClient} and the node agent use: {@code list_dbs},
 * {@code get_schema} (the installed vswitch schema, verbatim), {@code echo}, {@code transact}
 * ({@link Transaction}), {@code monitor}, {@code monitor_cond}, {@code monitor_cond_since} and
 * {@code monitor_cancel} ({@link MonitorSubscription}); anything else gets a JSON-RPC error. Not
 * emulated: the {@code _Server} database and raft, locks, durable storage, {@code monitor_cond_change},
 * the column constraints beyond {@code min}/{@code max} (enums, integer ranges), inactivity probes
 * of its own.
 */
public final class EmulatedOvsdbServer implements AutoCloseable {
    /** Bigger than any transaction the agent sends, as the client's own limit is. */
    private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private final Path socketDir;
    private final ServedSchema schema;
    private final EventLoopGroup group;
    private final Map<String, EmulatedDatabase> databases = new ConcurrentHashMap<>();
    /** Per DPU, its open sessions, closed by {@link #suspend}. */
    private final Map<String, Map<Channel, Boolean>> sessions = new ConcurrentHashMap<>();

    private EmulatedOvsdbServer(Path socketDir, ServedSchema schema, int threads) {
        this.socketDir = socketDir;
        this.schema = schema;
        this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    }

    /** A server whose sockets go to {@code socketDir}, serving the installed vswitch schema on {@code threads} loops. */
    public static EmulatedOvsdbServer start(Path socketDir, int threads) {
        return start(socketDir, threads, ServedSchema.VSWITCH);
    }

    static EmulatedOvsdbServer start(Path socketDir, int threads, Path schemaFile) {
        try {
            Files.createDirectories(socketDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new EmulatedOvsdbServer(socketDir, ServedSchema.read(schemaFile), threads);
    }

    /**
     * An empty database for DPU {@code dpu} (not even {@code ovs-vsctl init}: the agent inserts the
     * root row), served at {@code socketDir/<dpu>.sock}. Waits for the bind: not for a Netty thread.
     */
    public EmulatedDatabase open(String dpu) {
        EmulatedDatabase database = new EmulatedDatabase(dpu, schema, group.next(), socketDir.resolve(dpu + ".sock"));
        if (databases.putIfAbsent(dpu, database) != null) {
            throw new IllegalArgumentException("a database of " + dpu + " is open already");
        }
        serve(database);
        return database;
    }

    public EmulatedDatabase database(String dpu) {
        EmulatedDatabase database = databases.get(dpu);
        if (database == null) {
            throw new IllegalArgumentException("no database of " + dpu);
        }
        return database;
    }

    /**
     * Stops serving {@code dpu}'s database, closing its sessions, as when its ovsdb-server stops;
     * the rows stay for {@link #resume}. Waits for the close: not for a Netty thread.
     */
    public void suspend(String dpu) {
        EmulatedDatabase database = database(dpu);
        Channel listener = database.listener();
        if (listener != null) {
            listener.close().syncUninterruptibly();
            database.listener(null);
        }
        sessions.getOrDefault(dpu, Map.of()).keySet().forEach(c -> c.close().syncUninterruptibly());
    }

    /** Serves a suspended database again, with the rows it had. Waits for the bind: not for a Netty thread. */
    public void resume(String dpu) {
        serve(database(dpu));
    }

    private void serve(EmulatedDatabase database) {
        try {
            Files.deleteIfExists(database.socket());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EventLoop loop = database.loop();
        Map<Channel, Boolean> open = sessions.computeIfAbsent(database.dpu(), d -> new ConcurrentHashMap<>());
        Channel listener = new ServerBootstrap()
            // The listener and every session on the database's own loop: its state needs no lock.
            .group(loop, loop)
            .channelFactory(NioServerDomainSocketChannel::new)
            .childHandler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    open.put(ch, Boolean.TRUE);
                    ch.closeFuture().addListener(f -> open.remove(ch));
                    ch.pipeline()
                        .addLast("framing", new JsonFrameDecoder(MAX_MESSAGE_BYTES))
                        .addLast("json", new JsonRpcCodec())
                        .addLast("session", new EmulatedOvsdbSession(database));
                }
            })
            .bind(UnixDomainSocketAddress.of(database.socket()))
            .syncUninterruptibly()
            .channel();
        database.listener(listener);
    }

    public int size() {
        return databases.size();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        databases.values().forEach(d -> {
            try {
                Files.deleteIfExists(d.socket());
            } catch (IOException e) {
                // A socket file left in a temporary folder harms nothing.
            }
        });
    }
}
