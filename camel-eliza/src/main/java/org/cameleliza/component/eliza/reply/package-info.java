/**
 * Internal: request-reply: the requests waiting for the agent's answer and how an answer is matched to one, and the
 * per-channel lanes that keep one request at a time. Not a public API.
 */
package org.cameleliza.component.eliza.reply;
