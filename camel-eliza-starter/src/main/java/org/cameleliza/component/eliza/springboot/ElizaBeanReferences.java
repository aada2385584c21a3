package org.cameleliza.component.eliza.springboot;

import org.springframework.beans.BeansException;
import org.springframework.context.ApplicationContext;

/**
 * Resolves a property value such as {@code #bean:myRepository} (or {@code #myRepository}) to a bean of the
 * application context, with an error that names the property prefix when the value is not a reference or the bean
 * is missing: a typo must stop the application, never leave an option silently unset.
 */
final class ElizaBeanReferences {

    private ElizaBeanReferences() {
    }

    static Object resolve(ApplicationContext context, String value, Class<?> type, String prefix) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String name;
        if (value.startsWith("#bean:")) {
            name = value.substring("#bean:".length());
        } else if (value.startsWith("#")) {
            name = value.substring(1);
        } else {
            throw new IllegalArgumentException("An option of " + prefix + ".* of type " + type.getName()
                                               + " takes a bean reference such as #bean:name, not '" + value + "'");
        }
        try {
            return context.getBean(name, type);
        } catch (BeansException e) {
            throw new IllegalArgumentException("An option of " + prefix + ".* refers to bean '" + name
                                               + "', but there is no bean of that name of type " + type.getName(), e);
        }
    }
}
