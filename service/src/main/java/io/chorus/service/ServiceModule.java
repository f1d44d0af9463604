package io.chorus.service;

import io.chorus.rpc.rest.RestService;

/**
 * An industry service as the node starts it: given the node's {@link ServiceContext}, its
 * {@link RestService} (routes and OpenAPI fragment). The node registers each module it is
 * configured with, beside the built-in {@link ChainService}.
 */
@FunctionalInterface
public interface ServiceModule {
  RestService create(ServiceContext context);
}
