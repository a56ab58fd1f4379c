package io.dpuvpc.node;

import io.dpuvpc.ovn.ovsdb.ConnectionListener;
import io.dpuvpc.ovn.ovsdb.OvsdbClient;
import io.dpuvpc.ovn.ovsdb.OvsdbEndpoint;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What the agent's actors share about their long-lived {@link OvsdbClient}s: its connection events
 * as messages, the cause of a failed call, and a close that does not block the actor.
 */
final class ClientEvents {
    private ClientEvents() {}

    /**
     * Tells {@code actor} every connect and disconnect of {@code client}. The client may have
     * connected before the listener was added: its {@code connected()} says so once more (an actor
     * ignores the second word).
     */
    static <T> void tellConnections(OvsdbClient client, ActorRef<T> actor, Function<OvsdbEndpoint, T> connected,
                                    BiFunction<OvsdbEndpoint, String, T> disconnected) {
        client.addConnectionListener(new ConnectionListener() {
            @Override
            public void connected(OvsdbEndpoint endpoint) {
                actor.tell(connected.apply(endpoint));
            }

            @Override
            public void disconnected(OvsdbEndpoint endpoint, Throwable cause) {
                actor.tell(disconnected.apply(endpoint, cause == null ? "closed by the server" : cause.getMessage()));
            }
        });
        client.connected().thenAccept(c -> actor.tell(connected.apply(c.currentEndpoint())));
    }

    /** close() waits for the client's event loop to shut down: never on an actor's thread. */
    static void closeLater(OvsdbClient client) {
        CompletableFuture.runAsync(client::close);
    }

    /** The failure inside a completion's wrapper. */
    static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
