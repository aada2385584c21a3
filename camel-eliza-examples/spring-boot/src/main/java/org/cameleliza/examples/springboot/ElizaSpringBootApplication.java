package org.cameleliza.examples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application with two routes to an elizaOS agent (see {@link AgentRoutes}); everything about the
 * server is in application.properties.
 */
@SpringBootApplication
public class ElizaSpringBootApplication {

    public static void main(String[] args) {
        SpringApplication.run(ElizaSpringBootApplication.class, args);
    }
}
