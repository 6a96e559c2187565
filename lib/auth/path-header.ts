/** Request header proxy.ts sets to the requested path + query, for the layout's login redirect. */
export const PATH_HEADER = "x-node-rescue-path";
