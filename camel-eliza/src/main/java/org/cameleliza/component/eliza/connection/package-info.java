/**
 * Internal: one Socket.IO connection to an elizaOS server and its parts (state machine, server events, sends, joins,
 * acks, request-reply, server info, handshake). All of its state lives on the connection's thread, which
 * {@link org.cameleliza.component.eliza.connection.ElizaEventLoop} is the one way onto. Not a public API.
 */
package org.cameleliza.component.eliza.connection;
