/**
 * Internal: the readiness checks of consumers and producers. Not a public API.
 */
package org.cameleliza.component.eliza.health;
