/**
 * Internal: what a producer sends and what it keeps between the attempts of one send: the message built from the
 * exchange and its input headers, and the redelivery state of an attempt whose outcome is unknown. Not a public API.
 */
package org.cameleliza.component.eliza.producer;
