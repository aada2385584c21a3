/**
 * Internal: what a producer sends and what it keeps between the attempts of one send: the message built from the
 * exchange and its input headers, the redelivery state of an attempt whose outcome is unknown, and what a toD with a
 * channel per message sends to (one endpoint for every room). Not a public API.
 */
package org.cameleliza.component.eliza.producer;
