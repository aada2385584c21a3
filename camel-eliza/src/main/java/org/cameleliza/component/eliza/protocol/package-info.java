/**
 * Internal: the elizaOS Socket.IO protocol as values and pure functions (payloads, the packet decoder, event names,
 * what differs between server lines). Safe on any thread. Not a public API.
 */
package org.cameleliza.component.eliza.protocol;
