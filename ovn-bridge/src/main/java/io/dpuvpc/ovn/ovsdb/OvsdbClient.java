package io.dpuvpc.ovn.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OVSDB client: one long-lived connection to one of the configured remotes, re-established
 * with backoff whenever it drops, leader-only for raft clusters, with monitors whose caches
 * survive reconnects.
 *
 * <p>All calls return {@link CompletionStage}s and never block. Futures complete on the client's
 * I/O thread: chain non-blocking work, or hop off with the {@code *Async} variants. While no
 * connection is up, calls fail at once with {@link NotConnectedException}; calls in flight when
 * the connection drops fail with {@link ConnectionClosedException}.
 *
 * <p>Threading model: every piece of connection state is confined to one Netty event loop (the
 * channel's), so there are no locks; caches are readable from any thread.
 */
public final class OvsdbClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OvsdbClient.class);
    private static final String SERVER_DB = "_Server";
    private static final String SERVER_MONITOR_ID = "_server";
    private static final String ZERO_TXN = "00000000-0000-0000-0000-000000000000";

    private final OvsdbClientOptions options;
    private final EventLoopGroup group;
    private final boolean ownGroup;
    private final EventLoop loop;
    private final SslContext sslContext;
    private final CompletableFuture<OvsdbClient> firstConnect = new CompletableFuture<>();
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, DatabaseSchema> schemas = new ConcurrentHashMap<>();

    // Confined to `loop`.
    private final List<Monitor> monitors = new ArrayList<>();
    private JsonRpcSession session;
    private int endpointIndex;
    private int triedThisRound;
    private int failedRounds;
    private Throwable lastError;
    private ScheduledFuture<?> retry;
    private boolean closed;
    private long liveSince;
    private boolean failFirstRound;
    private long monitorIds;
    private Set<String> targetDatabases = Set.of();

    private volatile JsonRpcSession live;
    private volatile MonitorMethod monitorMethod;

    private OvsdbClient(OvsdbClientOptions options) {
        this.options = options;
        this.ownGroup = options.eventLoopGroup() == null;
        this.group = ownGroup ? new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()) : options.eventLoopGroup();
        this.loop = group.next();
        this.sslContext = options.tls() == null ? null : sslContext(options.tls());
        this.monitorMethod = options.preferredMonitor();
    }

    /**
     * Connects, reads the schemas, and completes; fails (and closes the client) when a first
     * round over every endpoint fails, with the reason of the last one. Use this from tools.
     */
    public static CompletionStage<OvsdbClient> connect(OvsdbClientOptions options) {
        OvsdbClient client = new OvsdbClient(options);
        client.loop.execute(() -> {
            client.failFirstRound = true;
            client.attempt();
        });
        return client.firstConnect;
    }

    /**
     * Starts a client that keeps trying in the background until it is closed; {@link #connected()}
     * completes on the first success. Use this from long-lived services.
     */
    public static OvsdbClient start(OvsdbClientOptions options) {
        OvsdbClient client = new OvsdbClient(options);
        client.loop.execute(client::attempt);
        return client;
    }

    /** Completes once the first connection is up, schemas read. */
    public CompletionStage<OvsdbClient> connected() {
        return firstConnect;
    }

    public boolean isConnected() {
        return live != null;
    }

    /** The remote of the connection that is up, or null. */
    public OvsdbEndpoint currentEndpoint() {
        JsonRpcSession s = live;
        return s == null ? null : s.endpoint();
    }

    public OvsdbClientOptions options() {
        return options;
    }

    /** The newest monitor method the server has accepted (or the preferred one before any). */
    public MonitorMethod monitorMethod() {
        return monitorMethod;
    }

    public void addConnectionListener(ConnectionListener listener) {
        listeners.add(listener);
    }

    public void removeConnectionListener(ConnectionListener listener) {
        listeners.remove(listener);
    }

    /** The schema read at connect; a {@link SchemaMismatchException} names a database the server lacks. */
    public DatabaseSchema schema(String database) {
        DatabaseSchema schema = schemas.get(database);
        if (schema == null) {
            throw new SchemaMismatchException("database " + database + " is not known on this connection (known: "
                + String.join(", ", schemas.keySet()) + ")");
        }
        return schema;
    }

    // ---- RFC 7047 methods ----

    /** RFC 7047 4.1.1. */
    public CompletionStage<List<String>> listDbs() {
        return call("list_dbs", OvsdbValues.JSON.arrayNode(), result -> {
            List<String> names = new ArrayList<>();
            result.forEach(n -> names.add(n.asText()));
            return List.copyOf(names);
        });
    }

    /** RFC 7047 4.1.2: the schema as the server has it now. */
    public CompletionStage<DatabaseSchema> getSchema(String database) {
        return call("get_schema", OvsdbValues.JSON.arrayNode().add(database), DatabaseSchema::fromJson);
    }

    /** RFC 7047 4.1.3. */
    public CompletionStage<List<OperationResult>> transact(String database, Operation... operations) {
        return transact(database, Arrays.asList(operations));
    }

    /**
     * RFC 7047 4.1.3: the operations as one atomic transaction. Completes with one result per
     * operation, or fails with a {@link TransactionFailedException} carrying the typed error of
     * the operation (or commit) that failed; then nothing was committed.
     */
    public CompletionStage<List<OperationResult>> transact(String database, List<Operation> operations) {
        ArrayNode params = OvsdbValues.JSON.arrayNode().add(database);
        operations.forEach(op -> params.add(op.toJson()));
        return call("transact", params, result -> transactionResults(operations, result));
    }

    /**
     * A call whose reply is parsed by {@code parser}: a reply that is valid JSON-RPC but not what
     * OVSDB promises is a protocol violation, and like any other it closes the connection.
     */
    private <T> CompletionStage<T> call(String method, ArrayNode params, java.util.function.Function<JsonNode, T> parser) {
        JsonRpcSession s = live;
        if (s == null) {
            return CompletableFuture.failedFuture(notConnected(method));
        }
        return s.call(method, params).thenApply(result -> {
            try {
                return parser.apply(result);
            } catch (OvsdbProtocolException e) {
                s.close(e);
                throw e;
            }
        });
    }

    static List<OperationResult> transactionResults(List<Operation> operations, JsonNode result) {
        if (result == null || !result.isArray()) {
            throw new OvsdbProtocolException("transact result is not an array: " + OvsdbValues.abbreviate(result));
        }
        List<OperationResult> results = new ArrayList<>(result.size());
        result.forEach(r -> results.add(OperationResult.fromJson(r)));
        for (int i = 0; i < results.size(); i++) {
            OperationResult r = results.get(i);
            if (r.failed()) {
                String context = i < operations.size() ? "operation " + i + " (" + operations.get(i).toJson().path("op").asText() + ")"
                    : "commit";
                throw new TransactionFailedException(i, operations, results, OvsdbErrorException.of(r.error(), r.details(), context));
            }
        }
        if (results.size() < operations.size()) {
            throw new OvsdbProtocolException("transact returned " + results.size() + " results for " + operations.size() + " operations");
        }
        return List.copyOf(results);
    }

    /** RFC 7047 4.1.11: a round trip to the server. */
    public CompletionStage<JsonNode> echo(String... payload) {
        ArrayNode params = OvsdbValues.JSON.arrayNode();
        Arrays.stream(payload).forEach(params::add);
        return call("echo", params);
    }

    /**
     * Starts monitoring: the returned {@link Monitor}'s cache holds the initial rows when this
     * completes, and follows every change after. Uses monitor_cond_since, monitor_cond or
     * monitor, newest first, falling back when the server says "unknown method". Tables and
     * columns are checked against the schema first: a missing one fails with a
     * {@link SchemaMismatchException} naming it.
     */
    public CompletionStage<Monitor> monitor(MonitorRequest request) {
        CompletableFuture<Monitor> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                JsonRpcSession s = requireLive();
                DatabaseSchema schema = schema(request.database());
                request.tables().forEach((table, tr) -> {
                    TableSchema ts = schema.table(table);
                    if (tr.columns() != null) {
                        ts.requireColumns(tr.columns());
                    }
                    tr.where().forEach(c -> ts.column(c.column()));
                });
                Monitor monitor = new Monitor("m" + (++monitorIds), request, new DatabaseCache(schema, request));
                subscribe(s, monitor, monitorMethod).whenComplete((ok, err) -> {
                    if (err != null) {
                        result.completeExceptionally(unwrap(err));
                    } else {
                        monitors.add(monitor);
                        result.complete(monitor);
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** ovsdb-server's monitor_cancel: stops the monitor; its cache stays as it was. */
    public CompletionStage<Void> monitorCancel(Monitor monitor) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        loop.execute(() -> {
            monitors.remove(monitor);
            JsonRpcSession s = live;
            if (s == null) {
                result.complete(null); // nothing to cancel on the server: it forgot us with the connection
                return;
            }
            s.call("monitor_cancel", OvsdbValues.JSON.arrayNode().add(monitor.id()))
                .whenComplete((r, err) -> {
                    if (err != null) {
                        result.completeExceptionally(unwrap(err));
                    } else {
                        result.complete(null);
                    }
                });
        });
        return result;
    }

    /** Any JSON-RPC method with string parameters (for methods this class has no wrapper for). */
    public CompletionStage<JsonNode> call(String method, String... params) {
        ArrayNode array = OvsdbValues.JSON.arrayNode();
        Arrays.stream(params).forEach(array::add);
        return call(method, array);
    }

    /** Any JSON-RPC method; the reply's {@code result}, or the typed error. */
    public CompletionStage<JsonNode> call(String method, ArrayNode params) {
        JsonRpcSession s = live;
        if (s == null) {
            return CompletableFuture.failedFuture(notConnected(method));
        }
        return s.call(method, params);
    }

    @Override
    public void close() {
        Runnable shutdown = () -> {
            closed = true;
            if (retry != null) {
                retry.cancel(false);
            }
            if (session != null) {
                session.close(new OvsdbException("client closed"));
            }
            firstConnect.completeExceptionally(new OvsdbException("client closed before it connected"));
        };
        if (loop.inEventLoop()) {
            // Called from a callback on our own I/O thread: never wait for ourselves.
            shutdown.run();
            if (ownGroup) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
            return;
        }
        try {
            CompletableFuture.runAsync(shutdown, loop).orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // The loop is already gone (a failed connect() shut it down): nothing left to close.
        }
        if (ownGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    // ---- connection management, all on `loop` ----

    private void attempt() {
        if (closed) {
            return;
        }
        OvsdbEndpoint endpoint = options.endpoints().get(endpointIndex);
        JsonRpcSession s = new JsonRpcSession(endpoint, new SessionListener(), options.maxInFlight(), options.inactivityProbe());
        session = s;
        Bootstrap bootstrap = new Bootstrap()
            .group(loop)
            .channelFactory(endpoint.transport() == OvsdbEndpoint.Transport.UNIX ? NioDomainSocketChannel::new : NioSocketChannel::new)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
            .handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    pipeline(ch.pipeline(), endpoint, s);
                }
            });
        if (endpoint.transport() != OvsdbEndpoint.Transport.UNIX) {
            bootstrap.option(ChannelOption.TCP_NODELAY, true);
        }
        ChannelFuture connect = bootstrap.connect(endpoint.transport() == OvsdbEndpoint.Transport.UNIX
            ? endpoint.socketAddress() : new InetSocketAddress(endpoint.host(), endpoint.port()));
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                attemptFailed(s, new OvsdbException("cannot connect to " + endpoint + ": " + f.cause().getMessage(), f.cause()));
            } else {
                handshake(s);
            }
        });
    }

    /** Pipeline order (STYLE.md): TLS, idle probe, flush batching, JSON framing, codec, session. */
    private void pipeline(ChannelPipeline p, OvsdbEndpoint endpoint, JsonRpcSession s) {
        if (endpoint.transport() == OvsdbEndpoint.Transport.SSL) {
            p.addLast("tls", sslContext.newHandler(p.channel().alloc(), endpoint.host(), endpoint.port()));
        }
        long probe = options.inactivityProbe().toMillis();
        if (probe > 0) {
            p.addLast("idle", new IdleStateHandler(probe, 0, 0, TimeUnit.MILLISECONDS));
        }
        // Pipelined requests written in one loop turn leave in one syscall.
        p.addLast("flush", new FlushConsolidationHandler(256, true));
        p.addLast("framing", new JsonFrameDecoder(options.maxMessageBytes()));
        p.addLast("json", new JsonRpcCodec());
        p.addLast("session", s);
    }

    private void handshake(JsonRpcSession s) {
        s.call("list_dbs", OvsdbValues.JSON.arrayNode())
            .thenCompose(dbs -> {
                List<String> available = new ArrayList<>();
                dbs.forEach(n -> available.add(n.asText()));
                for (String wanted : options.databases()) {
                    if (!available.contains(wanted)) {
                        throw new SchemaMismatchException(s.endpoint() + " has no database " + wanted + " (it has: "
                            + String.join(", ", available) + ")");
                    }
                }
                targetDatabases = Set.copyOf(options.databases().isEmpty()
                    ? available.stream().filter(d -> !d.equals(SERVER_DB)).toList() : options.databases());
                return options.leaderOnly() && available.contains(SERVER_DB) ? checkLeader(s) : CompletableFuture.completedFuture(null);
            })
            .thenCompose(ignored -> readSchemas(s))
            .thenCompose(ignored -> resubscribeAll(s))
            .whenComplete((ok, err) -> {
                if (err != null) {
                    Throwable cause = unwrap(err);
                    s.close(cause);
                    attemptFailed(s, cause);
                } else if (s.isOpen() && !closed) {
                    connectedTo(s);
                } else if (closed) {
                    s.close(new OvsdbException("client closed"));
                }
            });
    }

    /**
     * Raft clusters: only the leader takes writes without forwarding and is never stale. The
     * {@code _Server} database says which member leads; a monitor on it tells us when that
     * changes, and we then move on (as ovsdb-idl does).
     */
    private CompletableFuture<Void> checkLeader(JsonRpcSession s) {
        ArrayNode params = OvsdbValues.JSON.arrayNode().add(SERVER_DB).add(SERVER_MONITOR_ID);
        params.add(MonitorRequest.builder(SERVER_DB).table("Database", List.of("name", "model", "connected", "leader")).build()
            .toJson(MonitorMethod.MONITOR));
        return s.call("monitor", params).thenAccept(result -> {
            String notLeader = notLeader(result);
            if (notLeader != null) {
                throw new NotLeaderException(notLeader);
            }
        });
    }

    /** A reason when a target database on this server is clustered and not led from here, else null. */
    private String notLeader(JsonNode tableUpdates) {
        for (JsonNode rowUpdate : tableUpdates.path("Database")) {
            JsonNode row = rowUpdate.get("new");
            if (row == null || !targetDatabases.contains(row.path("name").asText())) {
                continue;
            }
            if ("clustered".equals(row.path("model").asText())
                && !(row.path("leader").asBoolean(false) && row.path("connected").asBoolean(false))) {
                return row.path("name").asText() + " on this member is not the raft leader";
            }
        }
        return null;
    }

    private CompletableFuture<Void> readSchemas(JsonRpcSession s) {
        List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
        List<String> names = new ArrayList<>(targetDatabases);
        names.forEach(db -> calls.add(s.call("get_schema", OvsdbValues.JSON.arrayNode().add(db))));
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).thenRun(() -> {
            for (int i = 0; i < names.size(); i++) {
                schemas.put(names.get(i), DatabaseSchema.fromJson(calls.get(i).join()));
            }
        });
    }

    private CompletableFuture<Void> resubscribeAll(JsonRpcSession s) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (Monitor m : monitors) {
            all.add(subscribe(s, m, monitorMethod));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> subscribe(JsonRpcSession s, Monitor monitor, MonitorMethod method) {
        MonitorRequest request = monitor.request();
        if (method == MonitorMethod.MONITOR && request.hasConditions()) {
            return CompletableFuture.failedFuture(new OvsdbErrorException.NotSupported("not supported",
                "the server has no monitor_cond, and this monitor selects rows with conditions", "monitor of " + request.database()));
        }
        ArrayNode params = OvsdbValues.JSON.arrayNode().add(request.database()).add(monitor.id()).add(request.toJson(method));
        if (method == MonitorMethod.MONITOR_COND_SINCE) {
            String last = monitor.cache().lastTxnId();
            params.add(last == null ? ZERO_TXN : last);
        }
        return s.call(method.wireName(), params).handle((result, err) -> {
            if (err != null) {
                Throwable cause = unwrap(err);
                if (cause instanceof OvsdbErrorException.UnknownMethod && method.older() != null) {
                    LOG.info("{} does not support {}; falling back to {}", s.endpoint(), method.wireName(), method.older().wireName());
                    return subscribe(s, monitor, method.older());
                }
                return CompletableFuture.<Void>failedFuture(cause);
            }
            monitorMethod = method;
            monitor.method(method);
            DatabaseCache cache = monitor.cache();
            List<CacheEvent> events;
            switch (method) {
                case MONITOR_COND_SINCE -> {
                    boolean found = result.get(0).asBoolean();
                    // Found: the server sends only what changed since our last transaction id.
                    events = found ? cache.apply(result.get(2), true) : cache.replace(result.get(2), true);
                    cache.lastTxnId(result.get(1).asText());
                }
                case MONITOR_COND -> events = cache.replace(result, true);
                default -> events = cache.replace(result, false);
            }
            cache.dispatch(events);
            return CompletableFuture.<Void>completedFuture(null);
        }).thenCompose(f -> f);
    }

    private void connectedTo(JsonRpcSession s) {
        live = s;
        liveSince = System.nanoTime();
        triedThisRound = 0;
        LOG.info("connected to {}", s.endpoint());
        listeners.forEach(l -> l.connected(s.endpoint()));
        firstConnect.complete(this);
    }

    private void attemptFailed(JsonRpcSession s, Throwable cause) {
        if (session != s || closed) {
            return;
        }
        session = null;
        lastError = cause;
        LOG.debug("connection attempt to {} failed: {}", s.endpoint(), cause.getMessage());
        endpointIndex = (endpointIndex + 1) % options.endpoints().size();
        if (++triedThisRound < options.endpoints().size()) {
            loop.execute(this::attempt);
            return;
        }
        triedThisRound = 0;
        if (failFirstRound && !firstConnect.isDone()) {
            firstConnect.completeExceptionally(lastError instanceof OvsdbException ? lastError
                : new OvsdbException("cannot connect to " + s.endpoint() + ": " + lastError.getMessage(), lastError));
            closed = true;
            if (ownGroup) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
            return;
        }
        long delay = backoff();
        LOG.info("cannot reach any of {}: {}; retrying in {} ms", options.endpoints(), cause.getMessage(), delay);
        retry = loop.schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
    }

    /** The next reconnect delay: doubling from reconnectMin up to reconnectMax. */
    private long backoff() {
        long delay = Math.min(options.reconnectMax().toMillis(), options.reconnectMin().toMillis() << Math.min(failedRounds, 20));
        failedRounds++;
        return delay;
    }

    private final class SessionListener implements JsonRpcSession.Listener {
        @Override
        public void notification(JsonRpcSession s, String method, JsonNode params) {
            if (s != session) {
                return; // a late message from a connection we already left
            }
            switch (method) {
                case "update", "update2", "update3" -> onUpdate(s, method, params);
                default -> LOG.debug("ignoring notification {} from {}", method, s.endpoint());
            }
        }

        @Override
        public void closed(JsonRpcSession s, Throwable cause) {
            if (s != session) {
                return;
            }
            if (live != s) {
                return; // still in the handshake: its failing call reports through attemptFailed
            }
            live = null;
            session = null;
            LOG.info("connection to {} lost: {}", s.endpoint(), cause == null ? "closed by the server" : cause.getMessage());
            listeners.forEach(l -> l.disconnected(s.endpoint(), cause));
            lastError = cause;
            if (cause instanceof NotLeaderException) {
                endpointIndex = (endpointIndex + 1) % options.endpoints().size();
            }
            // Otherwise try the same remote first: after a restart it is the one that comes back.
            triedThisRound = 0;
            if (System.nanoTime() - liveSince >= options.reconnectMax().toNanos()) {
                failedRounds = 0;
                loop.execute(OvsdbClient.this::attempt);
            } else {
                // A server that accepts us and drops us at once must not get a reconnect storm.
                retry = loop.schedule(OvsdbClient.this::attempt, backoff(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void onUpdate(JsonRpcSession s, String method, JsonNode params) {
        String id = params.path(0).asText();
        if (id.equals(SERVER_MONITOR_ID)) {
            String reason = notLeader(params.path(1));
            if (reason != null) {
                LOG.info("{}: {}, reconnecting", s.endpoint(), reason);
                s.close(new NotLeaderException(reason));
            }
            return;
        }
        Monitor monitor = monitors.stream().filter(m -> m.id().equals(id)).findFirst().orElse(null);
        if (monitor == null) {
            return; // cancelled meanwhile
        }
        DatabaseCache cache = monitor.cache();
        List<CacheEvent> events = switch (method) {
            case "update" -> cache.apply(params.path(1), false);
            case "update2" -> cache.apply(params.path(1), true);
            default -> {
                List<CacheEvent> applied = cache.apply(params.path(2), true);
                cache.lastTxnId(params.path(1).asText());
                yield applied;
            }
        };
        cache.dispatch(events);
    }

    private JsonRpcSession requireLive() {
        JsonRpcSession s = live;
        if (s == null) {
            throw notConnected("monitor");
        }
        return s;
    }

    private NotConnectedException notConnected(String method) {
        Throwable last = lastError;
        return new NotConnectedException("not connected to " + options.endpoints() + " (reconnecting); " + method + " not sent"
            + (last == null ? "" : "; last error: " + last.getMessage()));
    }

    /** The cause a future's failure carries, without the CompletionException layers composition adds. */
    public static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static SslContext sslContext(TlsSettings tls) {
        try {
            return SslContextBuilder.forClient()
                .keyManager(PemFiles.privateKey(tls.privateKey()), PemFiles.certificates(tls.certificate()))
                .trustManager(PemFiles.certificates(tls.caCertificate()))
                // OVS trusts the CA, not host names (its certificates rarely carry them).
                .endpointIdentificationAlgorithm(null)
                .build();
        } catch (SSLException e) {
            throw new OvsdbException("cannot set up TLS from " + tls + ": " + e.getMessage(), e);
        }
    }

    /** The member we reached is not the raft leader of a database we need. */
    static final class NotLeaderException extends OvsdbException {
        NotLeaderException(String message) {
            super(message);
        }
    }
}
