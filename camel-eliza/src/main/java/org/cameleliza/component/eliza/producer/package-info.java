/**
 * Internal: what a producer sends: the message built from the exchange and its input headers. Not a public API.
 */
package org.cameleliza.component.eliza.producer;
