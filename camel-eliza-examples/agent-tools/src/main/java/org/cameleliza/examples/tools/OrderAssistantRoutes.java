package org.cameleliza.examples.tools;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.sql.SqlConstants;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.tool.ElizaToolConstants;

/**
 * The order-status assistant's routes. Two are tools the agent calls over MCP ({@code eliza-tool:}): the agent decides
 * when, and passes the arguments, which arrive as headers named as the parameters; the body a tool route ends with is
 * what the agent reads. The third brings the human desk's replies back into the customer's conversation.
 * <p>
 * Properties: {@code desk.dir} (the desk's folders), {@code eliza.agentId} (the agent the customers talk to).
 */
public class OrderAssistantRoutes extends RouteBuilder {

    /** The channel the customers' conversations are opened from, one per customer (the conversation key). */
    static final String CUSTOMER_CHANNELS = "orders";

    @Override
    public void configure() {
        // tag::lookupOrder[]
        from("eliza-tool:lookupOrder?description=Tells where a customer's order is: its status and last update"
             + "&parameter.orderId=string&parameter.orderId.required=true"
             + "&parameter.orderId.description=The order number, e.g. 4711")
                .routeId("lookupOrder")
                .to("sql:select id, item, status, updated from orders where id = :#orderId"
                    + "?dataSource=#orderDb&outputType=SelectOne")
                .choice()
                    .when(header(SqlConstants.SQL_ROW_COUNT).isEqualTo(0))
                        // an answer the route chose, not a failure of Camel: the agent reads it as the tool's error
                        .setHeader(ElizaToolConstants.TOOL_ERROR, constant(true))
                        .setBody(simple("There is no order ${header.orderId}"))
                    .otherwise()
                        // a sentence rather than the row: the agent passes it on as it is
                        .setBody(simple("Order ${body[id]} (${body[item]}) is ${body[status]}, last update on"
                                        + " ${body[updated]}."))
                .end();
        // end::lookupOrder[]

        // tag::handOver[]
        // The tool has no way to know the customer's channel (MCP calls carry only their arguments), so it asks for
        // the order: the order names the customer, and the customer's conversation is where the desk's reply goes.
        from("eliza-tool:handOver?description=Hands the conversation over to a human at the desk, for what you cannot"
             + " solve yourself (a damaged parcel, a complaint)"
             + "&parameter.orderId=string&parameter.orderId.required=true"
             + "&parameter.orderId.description=The number of the order it is about"
             + "&parameter.reason=string&parameter.reason.required=true"
             + "&parameter.reason.description=What the customer needs, in a sentence")
                .routeId("handOver")
                .to("sql:select customer from orders where id = :#orderId"
                    + "?dataSource=#orderDb&outputType=SelectOne&outputHeader=customer")
                .choice()
                    .when(header("customer").isNull())
                        .setHeader(ElizaToolConstants.TOOL_ERROR, constant(true))
                        .setBody(simple("There is no order ${header.orderId}"))
                    .otherwise()
                        .setBody(simple("Order: ${header.orderId}\nCustomer: ${header.customer}\n"
                                        + "Reason: ${header.reason}\n"
                                        + "Reply: write your answer into replies/order-${header.orderId}.txt\n"))
                        // the desk's queue: one ticket per order; written under a temporary name, so that nobody
                        // reads half a ticket
                        .to("file:{{desk.dir}}/tickets?fileName=order-${header.orderId}.txt&tempPrefix=.writing-")
                        .setBody(simple("I have handed you over to our desk (ticket order-${header.orderId}); a"
                                        + " colleague will answer you here."))
                .end();
        // end::handOver[]

        // tag::deskReplies[]
        // A reply of the desk, replies/order-<id>.txt, goes into the conversation of that order's customer: posted
        // one-way (requestReply=false), as a message of the desk's, not a question whose answer this route waits for.
        from("file:{{desk.dir}}/replies?include=order-.*\\.txt&move=.done&moveFailed=.failed"
             + "&readLock=changed&readLockCheckInterval=250&readLockMinAge=250")
                .routeId("deskReplies")
                .convertBodyTo(String.class)
                .setHeader("orderId", header(Exchange.FILE_NAME_ONLY).regexReplaceAll("^order-(.+)\\.txt$", "$1"))
                // the customer into a header: the body stays the reply
                .to("sql:select customer from orders where id = :#orderId"
                    + "?dataSource=#orderDb&outputType=SelectOne&outputHeader=customer")
                // no such order: the reply file is moved to replies/.failed, with the reason in the log
                .validate(header("customer").isNotNull())
                .setHeader(ElizaConstants.CONVERSATION_KEY, header("customer"))
                .setHeader(ElizaConstants.OVERRIDE_SENDER_NAME, constant("Desk"))
                // lazyStartProducer: connects with the first reply, not at start, when the Eliza server may not run
                // yet (the application starts first, so that the agent finds its tools)
                .to("eliza:" + CUSTOMER_CHANNELS
                    + "?agentId={{eliza.agentId}}&requestReply=false&lazyStartProducer=true")
                .bean("deskLog", "delivered");
        // end::deskReplies[]
    }
}
