package org.cameleliza.component.eliza.springboot;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.cameleliza.component.eliza.ElizaBodyType;
import org.cameleliza.component.eliza.ElizaComponent;
import org.cameleliza.component.eliza.ElizaConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What camel.component.eliza.* does to the component Camel creates: every kind of option arrives, nothing a user did
 * not set is touched, and a wrong bean reference stops the application.
 */
class ElizaComponentAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CamelAutoConfiguration.class, ElizaComponentAutoConfiguration.class));

    @Test
    void everyKindOfOptionReachesTheComponent() {
        runner.withBean("processed", IdempotentRepository.class, MemoryIdempotentRepository::new)
                .withPropertyValues(
                        "camel.component.eliza.url=https://eliza.example.com",
                        "camel.component.eliza.entity-id=5d0f6b0e-8f55-4c1e-9a55-2f1f3c6b7a10",
                        "camel.component.eliza.api-key=s3cr&t",
                        "camel.component.eliza.reply-timeout=120000",
                        "camel.component.eliza.queue-size=17",
                        "camel.component.eliza.agent-messages-only=true",
                        "camel.component.eliza.body-type=json",
                        "camel.component.eliza.request-reply=false",
                        "camel.component.eliza.http-headers.X-Tenant=acme",
                        "camel.component.eliza.idempotent-repository=#bean:processed",
                        "camel.component.eliza.max-queued-requests=5")
                .run(context -> {
                    ElizaComponent eliza = context.getBean(CamelContext.class).getComponent("eliza", ElizaComponent.class);
                    ElizaConfiguration c = eliza.getConfiguration();
                    assertThat(c.getUrl()).isEqualTo("https://eliza.example.com");
                    assertThat(c.getEntityId()).isEqualTo("5d0f6b0e-8f55-4c1e-9a55-2f1f3c6b7a10");
                    assertThat(c.getApiKey()).isEqualTo("s3cr&t");
                    assertThat(c.getReplyTimeout()).isEqualTo(120000L);
                    assertThat(c.getQueueSize()).isEqualTo(17);
                    assertThat(c.isAgentMessagesOnly()).isTrue();
                    assertThat(c.getBodyType()).isEqualTo(ElizaBodyType.json);
                    assertThat(c.getRequestReply()).isEqualTo("false");
                    assertThat(c.getHttpHeaders()).containsEntry("X-Tenant", "acme");
                    assertThat(c.getIdempotentRepository()).isSameAs(context.getBean("processed"));
                    assertThat(eliza.getMaxQueuedRequests()).isEqualTo(5);
                });
    }

    @Test
    void whatIsNotSetKeepsTheComponentsDefaults() {
        runner.withPropertyValues("camel.component.eliza.url=https://eliza.example.com").run(context -> {
            ElizaConfiguration c = context.getBean(CamelContext.class).getComponent("eliza", ElizaComponent.class)
                    .getConfiguration();
            ElizaConfiguration defaults = new ElizaConfiguration();
            assertThat(c.getUrl()).isEqualTo("https://eliza.example.com");
            assertThat(c.getSenderName()).isEqualTo(defaults.getSenderName());
            assertThat(c.getReplyTimeout()).isEqualTo(defaults.getReplyTimeout());
            assertThat(c.getEvents()).isEqualTo(defaults.getEvents());
        });
    }

    @Test
    void aConfigurationBeanIsNotOverwrittenByDefaults() {
        ElizaConfiguration mine = new ElizaConfiguration();
        mine.setUrl("https://mine.example.com");
        mine.setSenderName("Mine");
        runner.withBean("mine", ElizaConfiguration.class, () -> mine)
                .withPropertyValues("camel.component.eliza.configuration=#bean:mine",
                        "camel.component.eliza.entity-id=5d0f6b0e-8f55-4c1e-9a55-2f1f3c6b7a10")
                .run(context -> {
                    ElizaConfiguration c = context.getBean(CamelContext.class).getComponent("eliza", ElizaComponent.class)
                            .getConfiguration();
                    assertThat(c.getUrl()).isEqualTo("https://mine.example.com");
                    assertThat(c.getSenderName()).isEqualTo("Mine");
                    assertThat(c.getEntityId()).isEqualTo("5d0f6b0e-8f55-4c1e-9a55-2f1f3c6b7a10");
                });
    }

    @Test
    void aReferenceToAMissingBeanStopsTheApplication() {
        runner.withPropertyValues("camel.component.eliza.idempotent-repository=#bean:nowhere").run(context -> {
            CamelContext camel = context.getBean(CamelContext.class);
            assertThatThrownBy(() -> camel.getComponent("eliza", ElizaComponent.class)).hasStackTraceContaining("nowhere");
        });
    }

    @Test
    void disabledMeansNotApplied() {
        runner.withPropertyValues("camel.component.eliza.url=https://eliza.example.com",
                "camel.component.eliza.customizer.enabled=false").run(context -> {
                    ElizaComponent eliza = context.getBean(CamelContext.class).getComponent("eliza", ElizaComponent.class);
                    assertThat(eliza.getConfiguration().getUrl()).isEqualTo(new ElizaConfiguration().getUrl());
                });
    }
}
