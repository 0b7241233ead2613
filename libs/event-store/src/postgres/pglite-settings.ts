/**
 * PGlite's own default (about 160 MB of shared buffers) is most of an idle embedded
 * service's memory: the buffers are part of the WebAssembly heap from the start. 16 MB takes
 * about 140 MB off the resident size (see bench/README.md); the operating system's page cache
 * still holds the files.
 */
export const DEFAULT_PGLITE_SHARED_BUFFERS_MB = 16;
