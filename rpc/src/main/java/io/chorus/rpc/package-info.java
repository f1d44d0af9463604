/**
 * The node's JSON-RPC layer.
 *
 * <ul>
 *   <li>{@link io.chorus.rpc.JsonRpc}: JSON-RPC 2.0 over any transport; plain methods and
 *       methods that need the caller's {@link io.chorus.rpc.JsonRpc.Session} (subscriptions).
 *   <li>{@link io.chorus.rpc.RpcServer}: HTTP and WebSocket on one port, on Netty.
 *   <li>{@link io.chorus.rpc.RpcObserver}: each call's method, latency and outcome, for metrics.
 * </ul>
 *
 * <p>Wiring in a node:
 *
 * <pre>{@code
 * JsonRpc rpc = new JsonRpc(
 *     Map.of("eth_chainId", params -> ..., "eth_sendRawTransaction", params -> ...),
 *     Map.of("eth_subscribe", (params, session) -> {
 *       String id = subscriptions.add(session, params);   // pushes with session.send(json)
 *       session.onClose(() -> subscriptions.removeAll(session.id()));
 *       return TextNode.valueOf(id);
 *     }, "eth_unsubscribe", (params, session) -> ...),
 *     (method, nanos, error) -> metrics.record(method, nanos, error));
 * RpcServer server = RpcServer.start(rpc, RpcServer.Config.defaults()
 *     .withHost("127.0.0.1").withPort(8545)
 *     .withRoutes(Map.of(
 *         "/metrics", RpcServer.Route.prometheus(metrics::scrape),
 *         "/health", RpcServer.Route.text(() -> "ok"))));
 * ...
 * server.close();   // on shutdown: calls in flight are answered, the port is freed
 * }</pre>
 *
 * <p>Netty's epoll transport loads a native library: run the node with
 * {@code --enable-native-access=ALL-UNNAMED} (NIO is used where epoll is unavailable).
 */
package io.chorus.rpc;
