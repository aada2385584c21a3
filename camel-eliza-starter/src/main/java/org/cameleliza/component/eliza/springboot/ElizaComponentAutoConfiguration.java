package org.cameleliza.component.eliza.springboot;

import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.spring.boot.ComponentConfigurationProperties;
import org.apache.camel.spring.boot.util.CamelPropertiesHelper;
import org.apache.camel.spring.boot.util.ConditionalOnCamelContextAndAutoConfigurationBeans;
import org.apache.camel.spring.boot.util.ConditionalOnHierarchicalProperties;
import org.apache.camel.spring.boot.util.HierarchicalPropertiesEvaluator;
import org.cameleliza.component.eliza.ElizaComponent;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Lazy;

/**
 * Applies {@code camel.component.eliza.*} to the {@code eliza} component when Camel creates it. Only the properties
 * a user set are copied (the generated configuration has no defaults of its own, so the others keep the component's,
 * or those of a configuration or component bean); object options are bean references ({@code #bean:name}) that
 * Camel resolves as it copies them, failing when no such bean exists. And
 * {@code camel.component.eliza.enabled=false} or {@code camel.component.eliza.customizer.enabled=false} turn it off,
 * as with Camel's own starters.
 * <p>
 * Health: the component registers its consumer and producer checks in Camel's health check registry, and
 * camel-spring-boot's {@code camelHealth} indicator shows that registry in Actuator's health endpoint; nothing is
 * needed here for it.
 */
@AutoConfiguration(after = CamelAutoConfiguration.class)
@Conditional(ConditionalOnCamelContextAndAutoConfigurationBeans.class)
@EnableConfigurationProperties({ ComponentConfigurationProperties.class, ElizaComponentConfiguration.class })
@ConditionalOnHierarchicalProperties({ "camel.component", "camel.component.eliza" })
public class ElizaComponentAutoConfiguration {

    @Lazy
    @Bean
    public ComponentCustomizer configureElizaComponent(
            ApplicationContext applicationContext, CamelContext camelContext, ElizaComponentConfiguration configuration) {
        return new ComponentCustomizer() {
            @Override
            public void configure(String name, Component target) {
                CamelPropertiesHelper.copyProperties(camelContext, configuration, target);
            }

            @Override
            public boolean isEnabled(String name, Component target) {
                return HierarchicalPropertiesEvaluator.evaluate(applicationContext,
                        "camel.component.customizer", "camel.component.eliza.customizer")
                        && target instanceof ElizaComponent;
            }
        };
    }
}
