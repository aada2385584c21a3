/**
 * Internal: what a consumer does on the connection's thread: filters, de-duplication, and reading back over REST
 * what it missed. Not a public API.
 */
package org.cameleliza.component.eliza.consumer;
