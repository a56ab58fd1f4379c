package io.dpuvpc.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.http.document.Document;
import io.dpuvpc.http.document.DocumentException;
import io.dpuvpc.http.document.KindNames;
import io.dpuvpc.http.document.MediaKind;
import io.dpuvpc.http.document.ResourceDocuments;
import io.dpuvpc.http.document.ServedKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * The admin API's routes: Kubernetes-shaped resource paths for every kind we serve, health and
 * readiness. Everything is asynchronous (the {@link ResourceService} answers with stages); errors
 * are Kubernetes {@code Status} documents with the HTTP code that says what kind of wrong it is.
 *
 * <pre>
 * GET    /apis/{group}/{version}/namespaces/{ns}/{plural}          list in a namespace
 * POST   /apis/{group}/{version}/namespaces/{ns}/{plural}          apply one or more documents (YAML or JSON)
 * GET    /apis/{group}/{version}/namespaces/{ns}/{plural}/{name}   get
 * PUT    /apis/{group}/{version}/namespaces/{ns}/{plural}/{name}   apply this one document
 * DELETE /apis/{group}/{version}/namespaces/{ns}/{plural}/{name}   delete (?resourceVersion= to guard it)
 * GET    /apis/{group}/{version}/{plural}                          list in every namespace, or a cluster-scoped kind
 * ... and {plural}/{name} for cluster-scoped kinds (isolationclasses).
 * </pre>
 * Answers are JSON, or YAML when asked ({@code Accept: application/yaml} or {@code ?output=yaml}).
 */
public final class AdminRoutes extends AllDirectives {

    /** {@code maxBodyBytes}: larger bodies are answered 413; {@code bodyTimeout}: a slow upload is 408. */
    public record Settings(long maxBodyBytes, Duration bodyTimeout) {
        public static Settings defaults() {
            return new Settings(4L * 1024 * 1024, Duration.ofSeconds(10));
        }
    }

    private static final ContentType.NonBinary YAML = MediaTypes.applicationWithOpenCharset("yaml")
            .toContentType(HttpCharsets.UTF_8);

    private static final ContentType.WithCharset PROMETHEUS = ContentTypes.create(
            MediaTypes.customWithOpenCharset("text", "plain", new java.util.HashMap<>(Map.of("version", "0.0.4")), false),
            HttpCharsets.UTF_8);

    static final Duration WATCH_KEEPALIVE = Duration.ofSeconds(20);

    private final ResourceService service;
    private final Optional<ControllerInfo> info;
    private final HttpMetrics http = new HttpMetrics();
    private final AccessTokens tokens;
    private final Supplier<Optional<String>> notReadyBecause;
    private final Settings settings;

    /** {@code notReadyBecause}: empty when the controller is ready, else what it waits for. */
    public AdminRoutes(ResourceService service, AccessTokens tokens, Supplier<Optional<String>> notReadyBecause,
                       Settings settings) {
        this(service, Optional.empty(), tokens, notReadyBecause, settings);
    }

    /** With {@code info}: also /nodes, /cluster and /metrics. */
    public AdminRoutes(ResourceService service, Optional<ControllerInfo> info, AccessTokens tokens,
                       Supplier<Optional<String>> notReadyBecause, Settings settings) {
        this.service = service;
        this.info = info;
        this.tokens = tokens;
        this.notReadyBecause = notReadyBecause;
        this.settings = settings;
    }

    public Route route() {
        return measured(() -> handleExceptions(exceptions(), () -> handleRejections(rejections(), () -> concat(
                path("healthz", () -> get(() -> complete("ok\n"))),
                path("readyz", () -> get(this::readiness)),
                path("metrics", () -> get(this::metrics)),
                path("cluster", () -> get(this::cluster)),
                pathPrefix("nodes", this::nodes),
                pathPrefix("describe", () -> path("dpuvpcs", () -> get(this::describe))),
                pathPrefix("apis", this::apis)))));
    }

    private Route readiness() {
        return notReadyBecause.get()
                .map(why -> fail(ApiStatus.of(503, "ServiceUnavailable", "not ready: " + why)))
                .orElseGet(() -> complete("ok\n"));
    }

    private Route apis() {
        return pathPrefix(PathMatchers.segment(), group -> pathPrefix(PathMatchers.segment(), version -> concat(
                pathPrefix("namespaces", () -> pathPrefix(PathMatchers.segment(), namespace ->
                        pathPrefix(PathMatchers.segment(), plural -> resources(group, version, plural, Optional.of(namespace))))),
                pathPrefix(PathMatchers.segment(), plural -> plural.equals("namespaces") ? reject()
                        : resources(group, version, plural, Optional.empty())))));
    }

    private Route cluster() {
        return withInfo(i -> answer(i.cluster().thenApply(c -> new Reply.One(200, c))));
    }

    private Route nodes() {
        return concat(
                pathEndOrSingleSlash(() -> get(() -> withInfo(i -> answer(i.nodes().thenApply(nodes -> {
                    var list = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
                    list.put("kind", "DPUNodeList");
                    list.putArray("items").addAll(nodes);
                    return new Reply.One(200, list);
                }))))),
                path(PathMatchers.segment(), name -> get(() -> withInfo(i -> answer(i.node(name)
                        .thenApply(node -> node.map(n -> (Reply) new Reply.One(200, n)).orElseGet(() -> nodeNotFound(name))))))));
    }

    private static Reply nodeNotFound(String name) {
        return new Reply.Failed(ApiStatus.of(404, "NotFound", "DPU node \"" + name + "\" not found: no agent has reported it"));
    }

    // ---- controller information and metrics

    private Route withInfo(Function<ControllerInfo, Route> inner) {
        return info.map(inner).orElseGet(() -> fail(ApiStatus.of(404, "NotFound",
                "this API serves resources only (no controller information here)")));
    }

    private Route metrics() {
        CompletionStage<List<MetricSample>> controller = info.map(ControllerInfo::metrics)
                .orElseGet(() -> CompletableFuture.completedFuture(List.of()));
        return completeWithFuture(controller.handle((samples, failure) -> {
            List<MetricSample> all = new ArrayList<>(failure == null ? samples : List.of());
            all.addAll(http.samples());
            all.add(MetricSample.gauge("dpuvpc_metrics_complete", "1 when every source of metrics answered.", Map.of(),
                    failure == null ? 1 : 0));
            return HttpResponse.create().withEntity(HttpEntities.create(PROMETHEUS, PrometheusText.render(all)));
        }));
    }

    /** Counts every answer by method and code, with its latency. */
    private Route measured(Supplier<Route> inner) {
        return extractRequest(request -> {
            long t0 = System.nanoTime();
            return mapResponse(response -> {
                http.record(request.method().value(), response.status().intValue(), System.nanoTime() - t0);
                return response;
            }, inner);
        });
    }

    // ---- describe

    /** The tree of VPCs, networks and interfaces with their conditions, as text (default) or JSON. */
    private Route describe() {
        return parameterOptional("showConditions", showText -> parameterOptional("namespace", namespace ->
                parameterOptional("output", output -> {
                    DescribeTree.Show show;
                    try {
                        show = DescribeTree.Show.parse(showText.orElse(null));
                    } catch (IllegalArgumentException e) {
                        return fail(ApiStatus.of(400, "BadRequest", e.getMessage()));
                    }
                    boolean json = output.map(o -> o.equalsIgnoreCase("json")).orElse(false);
                    CompletionStage<List<ResourceView>> vpcs = service.list(ResourceKind.DPU_VPC, namespace);
                    CompletionStage<List<ResourceView>> networks = service.list(ResourceKind.DPU_VIRTUAL_NETWORK, namespace);
                    CompletionStage<List<ResourceView>> sets = service.list(ResourceKind.DPU_SERVICE_INTERFACE, namespace);
                    CompletionStage<List<ResourceView>> interfaces = service.list(ResourceKind.SERVICE_INTERFACE, namespace);
                    CompletionStage<HttpResponse> response = vpcs.thenCompose(v -> networks.thenCompose(n ->
                            sets.thenCompose(d -> interfaces.thenApply(i -> {
                                DescribeTree.Resources all = new DescribeTree.Resources(v, n, d, i);
                                return json ? document(200, DescribeTree.json(all, show), false)
                                        : HttpResponse.create().withEntity(HttpEntities.create(
                                                ContentTypes.TEXT_PLAIN_UTF8, DescribeTree.text(all, show, Instant.now())));
                            }))));
                    return completeWithFuture(response.exceptionally(failure -> response(statusOf(
                            failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                                    : failure), false)));
                })));
    }

    // ---- resources

    private Route resources(String group, String version, String plural, Optional<String> namespace) {
        Optional<ServedKind> served = KindNames.served().stream()
                .filter(s -> s.group().equals(group) && s.version().equals(version) && s.plural().equals(plural))
                .findFirst();
        if (served.isEmpty()) {
            return fail(ApiStatus.of(404, "NotFound", "the server has no resource \"" + plural + "\" in " + group + "/"
                    + version + "; it serves " + String.join(", ", KindNames.served().stream()
                    .map(s -> s.apiVersion() + " " + s.plural()).toList())));
        }
        ServedKind kind = served.get();
        if (namespace.isPresent() && !kind.namespaced()) {
            return fail(ApiStatus.of(404, "NotFound", kind.kindName() + " is cluster scoped: use /apis/"
                    + kind.apiVersion() + "/" + kind.plural() + " without a namespace"));
        }
        return concat(
                pathEndOrSingleSlash(() -> concat(
                        get(() -> parameterOptional("watch", watch -> switch (watch.orElse("false")) {
                            case "true", "1" -> watch(kind, namespace);
                            case "false", "0" -> list(kind, namespace);
                            default -> fail(ApiStatus.of(400, "BadRequest", "watch must be true or false, not \""
                                    + watch.get() + "\""));
                        })),
                        post(() -> mutating(() -> body(documents -> apply(kind, namespace, Optional.empty(), documents)))))),
                path(PathMatchers.segment(), name -> {
                    if (kind.namespaced() && namespace.isEmpty()) {
                        return fail(ApiStatus.of(404, "NotFound", kind.kindName() + " is namespaced: use /apis/"
                                + kind.apiVersion() + "/namespaces/{namespace}/" + kind.plural() + "/" + name));
                    }
                    ResourceKey key = kind.namespaced() ? ResourceKey.namespaced(kind.kind(), namespace.get(), name)
                            : ResourceKey.clusterScoped(kind.kind(), name);
                    return concat(
                            get(() -> answer(service.get(key).thenApply(view -> view
                                    .map(v -> (Reply) new Reply.One(200, v.render()))
                                    .orElseGet(() -> new Reply.Failed(notFound(key)))))),
                            put(() -> mutating(() -> body(documents -> apply(kind, namespace, Optional.of(name), documents)))),
                            delete(() -> mutating(() -> parameterOptional("resourceVersion", expected ->
                                    answer(service.delete(key, expected).thenApply(outcome -> deleted(key, outcome)))))));
                }));
    }

    private Route list(ServedKind kind, Optional<String> namespace) {
        return answer(service.list(kind.kind(), namespace).thenApply(views -> {
            List<JsonNode> items = views.stream().map(v -> (JsonNode) v.render()).toList();
            return new Reply.One(200, ResourceDocuments.renderList(kind.kind(), items, null));
        }));
    }

    /**
     * {@code ?watch=true}: the kind's resources as they change, one JSON event per line ({@code
     * {"type":"ADDED","object":{...}}}), as a Kubernetes watch answers; every one that exists
     * first, then each change. A blank line after {@link #WATCH_KEEPALIVE} of quiet keeps the
     * connection open (the server's idle timeout is 60 s).
     */
    private Route watch(ServedKind kind, Optional<String> namespace) {
        Source<ByteString, NotUsed> lines = service.watch(kind.kind(), namespace)
                .map(event -> {
                    ObjectNode line = JsonNodeFactory.instance.objectNode();
                    line.put("type", event.type());
                    line.set("object", event.object());
                    return ByteString.fromString(line + "\n");
                })
                .keepAlive(WATCH_KEEPALIVE, () -> ByteString.fromString("\n"));
        return complete(HttpResponse.create().withEntity(HttpEntities.createChunked(ContentTypes.APPLICATION_JSON, lines)));
    }

    /**
     * Applies the documents in order after every one has been parsed and checked on its own (a
     * collection path takes documents of any kind, as {@code kubectl apply -f} does; the path's
     * namespace is the default of namespaced ones and must match theirs): a body
     * with any malformed or invalid document changes nothing. What only an entity can refuse (an
     * immutable field changed, a reference to a resource that does not exist) stops the request at
     * that document, and the answer says which of the earlier ones were applied.
     */
    private Route apply(ServedKind kind, Optional<String> namespace, Optional<String> name, List<Document> documents) {
        for (int i = 0; i < documents.size(); i++) {
            Document doc = documents.get(i);
            String where = documents.size() > 1 ? "document " + i + ": " : "";
            if (name.isPresent() && doc.kind() != kind.kind()) {
                return fail(ApiStatus.of(400, "BadRequest", "a " + doc.kind().kindName() + " was sent to the path of "
                        + kind.kindName() + " \"" + name.get() + "\": send it to its own kind's path"));
            }
            boolean namespaced = !doc.key().namespace().isEmpty();
            if (namespace.isPresent() && namespaced && !namespace.get().equals(doc.key().namespace())) {
                return fail(ApiStatus.of(400, "BadRequest", where + "metadata.namespace \"" + doc.key().namespace()
                        + "\" does not match the namespace of the path, \"" + namespace.get() + "\""));
            }
            if (name.isPresent() && !name.get().equals(doc.key().name())) {
                return fail(ApiStatus.of(400, "BadRequest", "metadata.name \"" + doc.key().name()
                        + "\" does not match the name of the path, \"" + name.get() + "\""));
            }
        }
        if (name.isPresent() && documents.size() != 1) {
            return fail(ApiStatus.of(400, "BadRequest", "PUT of a single resource takes exactly one document, not "
                    + documents.size() + ": POST several to the collection path"));
        }
        if (documents.size() == 1) {
            // One document: its entity checks and writes it in one step.
            return answer(applyInOrder(documents, 0, new ArrayList<>()));
        }
        return answer(checkAll(documents, 0).thenCompose(refusal -> refusal.isPresent()
                ? CompletableFuture.completedFuture(refusal.get())
                : applyInOrder(documents, 0, new ArrayList<>())));
    }

    /**
     * The first document, in order, that would be refused now (what only the current state can
     * tell: a stale resourceVersion, an immutable field changed), as the answer; nothing applied.
     */
    private CompletionStage<Optional<Reply>> checkAll(List<Document> documents, int index) {
        if (index == documents.size()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return service.check(documents.get(index)).thenCompose(refusal -> refusal.isEmpty()
                ? checkAll(documents, index + 1)
                : CompletableFuture.completedFuture(Optional.of(refused(refusal.get(), index, documents.size(),
                        "; nothing in this request was applied"))));
    }

    private static Reply refused(ResourceService.ApplyOutcome outcome, int index, int count, String appliedNote) {
        if (outcome instanceof ResourceService.ApplyOutcome.Conflict conflict) {
            String where = count > 1 ? "document " + index + ": " : "";
            return new Reply.Failed(new ApiStatus(409, "Conflict", where + conflict.message() + appliedNote, conflict.key(),
                    List.of()));
        }
        ResourceService.ApplyOutcome.Invalid invalid = (ResourceService.ApplyOutcome.Invalid) outcome;
        ApiStatus status = ApiStatus.invalidDocument(index, count, invalid.key(), invalid.errors());
        return new Reply.Failed(new ApiStatus(status.code(), status.reason(), status.message() + appliedNote, status.key(),
                status.causes()));
    }

    private CompletionStage<Reply> applyInOrder(List<Document> documents, int index, List<ResourceService.ApplyOutcome.Applied> done) {
        if (index == documents.size()) {
            if (documents.size() == 1) {
                ResourceService.ApplyOutcome.Applied applied = done.get(0);
                return CompletableFuture.completedFuture(new Reply.One(applied.created() ? 201 : 200, applied.view().render()));
            }
            // Kubernetes' kind-neutral list, as `kubectl get -o yaml` of several kinds prints.
            var list = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                    .put("apiVersion", "v1").put("kind", "List");
            list.putObject("metadata");
            var items = list.putArray("items");
            done.forEach(a -> items.add(a.view().render()));
            return CompletableFuture.completedFuture(new Reply.One(200, list));
        }
        Document doc = documents.get(index);
        return service.apply(doc).thenCompose(outcome -> {
            if (outcome instanceof ResourceService.ApplyOutcome.Applied applied) {
                done.add(applied);
                return applyInOrder(documents, index + 1, done);
            }
            String before = documents.size() == 1 ? "" : done.isEmpty() ? "; nothing in this request was applied"
                    : "; the " + done.size() + " document(s) before it were applied: "
                    + String.join(", ", done.stream().map(a -> a.view().key().name()).toList());
            return CompletableFuture.completedFuture(refused(outcome, index, documents.size(), before));
        });
    }

    private static Reply deleted(ResourceKey key, ResourceService.DeleteOutcome outcome) {
        if (outcome instanceof ResourceService.DeleteOutcome.NotFound) {
            return new Reply.Failed(notFound(key));
        }
        if (outcome instanceof ResourceService.DeleteOutcome.Conflict conflict) {
            return new Reply.Failed(new ApiStatus(409, "Conflict", conflict.message(), key, List.of()));
        }
        // Kubernetes answers a delete with a Success status naming what went.
        var f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        var status = f.objectNode().put("kind", "Status").put("apiVersion", "v1").put("status", "Success");
        status.putObject("details").put("name", key.name()).put("kind", key.kind().kindName());
        return new Reply.One(200, status);
    }

    private static ApiStatus notFound(ResourceKey key) {
        String where = key.namespace().isEmpty() ? "" : " in namespace \"" + key.namespace() + "\"";
        return new ApiStatus(404, "NotFound", key.kind().kindName() + " \"" + key.name() + "\" not found" + where, key,
                List.of());
    }

    // ---- request bodies

    /**
     * The body's documents: the whole body read (up to {@link Settings#maxBodyBytes}), its media
     * type from Content-Type (YAML or JSON; without one, JSON when it starts with '{' or '[').
     */
    private Route body(Function<List<Document>, Route> inner) {
        return extractRequest(request -> {
            ContentType type = request.entity().getContentType();
            boolean generic = type.equals(ContentTypes.NO_CONTENT_TYPE) || type.equals(ContentTypes.APPLICATION_OCTET_STREAM)
                    || type.mediaType().equals(MediaTypes.TEXT_PLAIN);
            Optional<MediaKind> declared = MediaKind.fromContentType(type.toString());
            if (!generic && declared.isEmpty()) {
                return fail(ApiStatus.of(415, "UnsupportedMediaType", "Content-Type " + type
                        + " is not served: send application/yaml or application/json"));
            }
            var length = request.entity().getContentLengthOption();
            if (length.isPresent() && length.getAsLong() > settings.maxBodyBytes()) {
                return fail(tooLarge());
            }
            return extractStrictEntity(settings.bodyTimeout(), settings.maxBodyBytes(), strict -> {
                byte[] bytes = strict.getData().toArray();
                // curl --data-binary sends no (or a generic) type: JSON if it looks like JSON, else YAML.
                MediaKind media = declared.orElseGet(() -> looksLikeJson(bytes) ? MediaKind.JSON : MediaKind.YAML);
                List<Document> documents = ResourceDocuments.parseValid(bytes, media, defaultNamespace(request));
                if (documents.isEmpty()) {
                    return fail(ApiStatus.of(400, "BadRequest", "the body holds no document"));
                }
                return inner.apply(documents);
            });
        });
    }

    /** The namespace of the path, or "default" for documents posted to a cluster-wide path. */
    private static String defaultNamespace(HttpRequest request) {
        String[] segments = request.getUri().path().split("/");
        for (int i = 0; i + 1 < segments.length; i++) {
            if (segments[i].equals("namespaces")) {
                return segments[i + 1];
            }
        }
        return ResourceDocuments.DEFAULT_NAMESPACE;
    }

    private static boolean looksLikeJson(byte[] bytes) {
        for (byte b : bytes) {
            if (!Character.isWhitespace(b)) {
                return b == '{' || b == '[';
            }
        }
        return false;
    }

    // ---- authentication

    /** Mutating calls need a read-write token when the API has tokens: 401 without one, 403 read-only. */
    private Route mutating(Supplier<Route> inner) {
        if (!tokens.required()) {
            return inner.get();
        }
        return optionalHeaderValueByName("Authorization", header -> {
            String presented = header.filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                    .map(h -> h.substring(7).trim()).orElse(null);
            Optional<AccessTokens.Access> access = tokens.accessOf(presented);
            if (access.isEmpty()) {
                return respondWithHeader(org.apache.pekko.http.javadsl.model.headers.RawHeader.create(
                        "WWW-Authenticate", "Bearer realm=\"dpuvpc\""), () -> fail(ApiStatus.of(401, "Unauthorized",
                        presented == null ? "this call changes state and needs a token: Authorization: Bearer <token> "
                                + "(bin/vpc reads it from VPC_TOKEN)" : "the token is not valid for this server")));
            }
            if (access.get() == AccessTokens.Access.READ_ONLY) {
                return fail(ApiStatus.of(403, "Forbidden", "the token is read-only; this call changes state"));
            }
            return inner.get();
        });
    }

    // ---- answers

    /** What a request ends with: one document, or a failure status. */
    private sealed interface Reply {
        record One(int code, JsonNode body) implements Reply {}

        record Failed(ApiStatus status) implements Reply {}
    }

    private Route answer(CompletionStage<Reply> reply) {
        return extractRequest(request -> {
            boolean yaml = wantsYaml(request);
            return completeWithFuture(reply.handle((r, failure) -> {
                if (failure != null) {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    return response(statusOf(cause), yaml);
                }
                return r instanceof Reply.One one ? document(one.code(), one.body(), yaml)
                        : response(((Reply.Failed) r).status(), yaml);
            }));
        });
    }

    private Route fail(ApiStatus status) {
        return extractRequest(request -> complete(response(status, wantsYaml(request))));
    }

    private static HttpResponse response(ApiStatus status, boolean yaml) {
        return document(status.code(), status.toJson(), yaml);
    }

    private static HttpResponse document(int code, JsonNode body, boolean yaml) {
        HttpEntity.Strict entity = yaml
                ? HttpEntities.create(YAML, ResourceDocuments.toYaml(body))
                : HttpEntities.create(ContentTypes.APPLICATION_JSON, ResourceDocuments.toJson(body) + "\n");
        return HttpResponse.create().withStatus(StatusCodes.get(code)).withEntity(entity);
    }

    private static boolean wantsYaml(HttpRequest request) {
        Optional<String> output = request.getUri().query().get("output");
        if (output.isPresent()) {
            return output.get().toLowerCase(Locale.ROOT).equals("yaml");
        }
        return request.getHeader("Accept").map(h -> h.value().contains("yaml") && !h.value().contains("json"))
                .orElse(false);
    }

    private ApiStatus statusOf(Throwable failure) {
        if (failure instanceof DocumentException e) {
            return ApiStatus.badDocument(e);
        }
        if (failure instanceof ResourceService.Unavailable e) {
            return ApiStatus.of(503, "ServiceUnavailable", e.getMessage());
        }
        if (failure instanceof EntityStreamSizeException) {
            return tooLarge();
        }
        return ApiStatus.of(500, "InternalError", "internal error: " + failure);
    }

    private ApiStatus tooLarge() {
        return ApiStatus.of(413, "RequestEntityTooLarge", "the body is larger than the " + settings.maxBodyBytes()
                + " bytes this server accepts (dpuvpc.controller.api.max-body): apply fewer documents per request");
    }

    private ExceptionHandler exceptions() {
        return ExceptionHandler.newBuilder()
                .match(DocumentException.class, e -> fail(ApiStatus.badDocument(e)))
                .match(EntityStreamSizeException.class, e -> fail(statusOf(e)))
                // A chunked body over maxBytes fails toStrict with this, not EntityStreamSizeException.
                .match(org.apache.pekko.http.scaladsl.model.IllegalRequestException.class, e -> fail(
                        "Request too large".equals(e.info().summary()) ? tooLarge()
                                : ApiStatus.of(e.status().intValue(), ApiStatus.reasonOf(e.status().intValue()),
                                        e.info().summary())))
                .match(ResourceService.Unavailable.class, e -> fail(statusOf(e)))
                .build();
    }

    private RejectionHandler rejections() {
        return RejectionHandler.defaultHandler().mapRejectionResponse(response -> {
            if (response.entity() instanceof HttpEntity.Strict strict
                    && !strict.getContentType().equals(ContentTypes.APPLICATION_JSON)) {
                int code = response.status().intValue();
                return response(ApiStatus.of(code, ApiStatus.reasonOf(code), strict.getData().utf8String()), false)
                        .withHeaders(response.getHeaders());
            }
            return response;
        });
    }
}
