package io.dpuvpc.ovn.northbound;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy to a real ovsdb-server that, once armed, cuts the connection the moment
 * the client sends a {@code transact}: the request never reaches the server and the client sees
 * its connection close with the transaction unanswered, as when ovsdb-server drops a client that
 * missed its inactivity probe. Later connections pass through untouched.
 */
final class CuttingProxy implements AutoCloseable {
    private static final String TRANSACT = "\"transact\"";

    private final ServerSocket server;
    private final int targetPort;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicInteger cuts = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "cutting-proxy");
        t.setDaemon(true);
        return t;
    });

    private CuttingProxy(int targetPort) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        threads.submit(this::accept);
    }

    static CuttingProxy to(int targetPort) throws IOException {
        return new CuttingProxy(targetPort);
    }

    String endpoint() {
        return "tcp:127.0.0.1:" + server.getLocalPort();
    }

    /** The next transact any client sends closes its connection instead of reaching the server. */
    void cutAtNextTransact() {
        armed.set(true);
    }

    int cuts() {
        return cuts.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                open.add(client);
                open.add(upstream);
                threads.submit(() -> pump(client, upstream, true));
                threads.submit(() -> pump(upstream, client, false));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        byte[] buffer = new byte[64 * 1024];
        String tail = ""; // a method name split across two reads is still seen
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (fromClient && armed.get()) {
                    String text = tail + new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                    if (text.contains(TRANSACT) && armed.compareAndSet(true, false)) {
                        cuts.incrementAndGet();
                        return; // finally closes both sides
                    }
                    tail = text.substring(Math.max(0, text.length() - TRANSACT.length()));
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the other side closed
        } finally {
            close(from);
            close(to);
        }
    }

    private void close(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        open.forEach(this::close);
        threads.shutdownNow();
    }
}
