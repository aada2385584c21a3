/**
 * Internal: the REST calls to an elizaOS server, made on the connection's HTTP client and completed on the
 * connection's thread. Not a public API.
 */
package org.cameleliza.component.eliza.rest;
