package org.cameleliza.examples.quarkus;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.apache.camel.ProducerTemplate;

/** {@code POST /ask} with the question as text: answers with the agent's reply. */
@Path("/ask")
public class AskResource {

    @Inject
    ProducerTemplate producer;

    @POST
    @Consumes(MediaType.TEXT_PLAIN)
    @Produces(MediaType.TEXT_PLAIN)
    public String ask(String question) {
        // a blocking call on a worker thread (the method is not reactive)
        return producer.requestBody("direct:ask", question, String.class);
    }
}
