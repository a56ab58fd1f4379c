package io.dpuvpc.ovn.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real OVN central per test class: NB and SB {@code ovsdb-server}s (and {@code ovn-northd}
 * unless turned off) on free 127.0.0.1 ports in a fresh temp folder, started before the first
 * test of the class and stopped after the last one.
 *
 * <p>With the defaults (northd on, no TLS):
 * <pre>{@code
 * @ExtendWith(OvnCentralExtension.class)
 * class MyIT {
 *     @Test
 *     void writes(OvnCentral ovn) {
 *         myClient.connect(ovn.nbTcpEndpoint());   // "tcp:127.0.0.1:PORT"
 *         ovn.nbctl("ls-add", "sw0");               // or check with ovn-nbctl
 *     }
 * }
 * }</pre>
 *
 * <p>With options:
 * <pre>{@code
 * class MyTlsIT {
 *     @RegisterExtension
 *     static final OvnCentralExtension OVN = new OvnCentralExtension().withoutNorthd().withTls();
 *
 *     @Test
 *     void connects() {
 *         String ssl = OVN.central().nbSslEndpoint().orElseThrow();   // "ssl:127.0.0.1:PORT"
 *         TlsFiles client = OVN.pki().clientTls();                   // key, cert, CA (PEM)
 *     }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>Test methods and constructors may declare an {@link OvnCentral} parameter, and a
 *       {@link Pki} parameter when TLS is on; they get this class's instance.</li>
 *   <li>The lab is shared by all tests of the class: name rows uniquely per test, or call
 *       {@link OvnCentral#wipeNb()} in {@code @BeforeEach} for an empty NB (same ports).</li>
 *   <li>{@code @Nested} classes share their outer class's lab.</li>
 *   <li>The temp folder is deleted after the class unless a test failed; then its path (logs:
 *       {@code nb.log}, {@code sb.log}, {@code northd.log}) is printed on stderr.</li>
 *   <li>A JVM shutdown hook stops the daemons if the test JVM dies first.</li>
 * </ul>
 *
 * <p>Other modules get this class from ovn-bridge's test-jar
 * ({@code <type>test-jar</type><scope>test</scope>}).
 */
public final class OvnCentralExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(OvnCentralExtension.class);
    private static final String KEY = "lab";

    private final boolean northd;
    private final boolean tls;
    private volatile Lab current;

    /** Northd on, no TLS: what {@code @ExtendWith(OvnCentralExtension.class)} gets. */
    public OvnCentralExtension() {
        this(true, false);
    }

    private OvnCentralExtension(boolean northd, boolean tls) {
        this.northd = northd;
        this.tls = tls;
    }

    /** The same options without ovn-northd (SB stays empty; faster). */
    public OvnCentralExtension withoutNorthd() {
        return new OvnCentralExtension(false, tls);
    }

    /** The same options plus SSL remotes on NB and SB, with a fresh {@link Pki}. */
    public OvnCentralExtension withTls() {
        return new OvnCentralExtension(northd, true);
    }

    /** The running lab of the current test class (for {@code @RegisterExtension} fields). */
    public OvnCentral central() {
        return requireCurrent().central;
    }

    /** The PKI whose server files the SSL remotes use; only {@link #withTls()}. */
    public Pki pki() {
        Lab lab = requireCurrent();
        if (lab.pki == null) {
            throw new IllegalStateException("OvnCentralExtension runs without TLS; use withTls()");
        }
        return lab.pki;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        lab(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            Lab lab = context.getStore(NAMESPACE).get(KEY, Lab.class);
            if (lab != null) {
                lab.testFailed = true;
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // remove() looks at this level only: a @Nested class leaves its outer class's lab alone.
        Lab lab = context.getStore(NAMESPACE).remove(KEY, Lab.class);
        if (lab != null) {
            lab.close(lab.testFailed || context.getExecutionException().isPresent());
            if (current == lab) {
                current = null;
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == OvnCentral.class || (type == Pki.class && tls);
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Lab lab = lab(extensionContext);
        Class<?> type = parameterContext.getParameter().getType();
        if (type == OvnCentral.class) {
            return lab.central;
        }
        if (type == Pki.class) {
            return lab.pki;
        }
        throw new ParameterResolutionException("OvnCentralExtension cannot resolve " + type);
    }

    /**
     * The class's lab, started on first use: in beforeAll normally, or earlier when a
     * {@code PER_CLASS} test instance asks for it in its constructor. The store's get() also sees
     * the outer class's lab from a {@code @Nested} class.
     */
    private Lab lab(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        ExtensionContext.Store store = classContext.getStore(NAMESPACE);
        Lab lab = store.get(KEY, Lab.class);
        if (lab == null) {
            lab = Lab.start(northd, tls, classContext.getRequiredTestClass().getSimpleName());
            store.put(KEY, lab);
        }
        current = lab;
        return lab;
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }

    private Lab requireCurrent() {
        Lab lab = current;
        if (lab == null) {
            throw new IllegalStateException("no OVN lab: OvnCentralExtension has not started one for this class yet");
        }
        return lab;
    }

    /**
     * AutoCloseable so that JUnit's store stops it even if afterAll never runs for it (e.g. an
     * extension registered on a non-static field).
     */
    private static final class Lab implements AutoCloseable {
        final Path dir;
        final OvnCentral central;
        final Pki pki;
        volatile boolean testFailed;
        private boolean closed;

        private Lab(Path dir, OvnCentral central, Pki pki) {
            this.dir = dir;
            this.central = central;
            this.pki = pki;
        }

        static Lab start(boolean northd, boolean tls, String testClass) {
            Path dir;
            try {
                dir = Files.createTempDirectory("ovn-lab-" + testClass + "-");
            } catch (IOException e) {
                throw new OvnLabException("cannot create a temp folder: " + e.getMessage(), e);
            }
            Pki pki = tls ? Pki.create(dir.resolve("pki")) : null;
            OvnCentral.Builder builder = OvnCentral.builder(dir.resolve("ovn")).northd(northd).stopOnJvmExit(true);
            if (pki != null) {
                builder.tls(pki.serverTls());
            }
            return new Lab(dir, builder.start(), pki);
        }

        @Override
        public void close() {
            close(testFailed);
        }

        synchronized void close(boolean keepFiles) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                central.stop();
            } finally {
                if (keepFiles) {
                    System.err.println("OvnCentralExtension: a test failed; OVN lab files kept in " + dir);
                } else {
                    if (!WorkFolders.deleteTree(dir)) {
                        System.err.println("OvnCentralExtension: could not delete " + dir);
                    }
                }
            }
        }
    }
}
