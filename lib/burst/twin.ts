/**
 * The metadata entry a burst test's twin key carries: the hash of the key it copies (for whoever
 * reads the proxy's key list). Inflight itself knows its twins from the runs that made them
 * (burst_twin), never from this entry, which any key's owner could set.
 */
export const TWIN_OF = "inflight_burst_twin_of";
