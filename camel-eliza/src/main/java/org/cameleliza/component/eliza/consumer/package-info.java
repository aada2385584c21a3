/**
 * Internal: what a consumer does with its channel's events: on the connection's thread, filters, de-duplication, and
 * reading back over REST what it missed ({@code ElizaConsumerIntake}); on the consumer's own thread, routing them
 * ({@code ElizaRoutingLoop}). Not a public API.
 */
package org.cameleliza.component.eliza.consumer;
