package io.dpuvpc.ovn.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;

/** For tests that play an OVSDB server by hand: reads the client's JSON-RPC messages off a socket. */
final class ScriptedPeer {
    private ScriptedPeer() {
    }

    /** Reads one JSON object, counting braces outside strings; null at end of stream. */
    static JsonNode read(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        int depth = 0;
        boolean inString = false;
        boolean escaped = false;
        while (true) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            text.append((char) c);
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return JsonRpcCodec.MAPPER.readTree(text.toString());
            }
        }
    }
}
