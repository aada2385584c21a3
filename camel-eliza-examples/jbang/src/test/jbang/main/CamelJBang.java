///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS org.apache.camel:camel-bom:4.17.0@pom
//DEPS org.apache.camel:camel-jbang-core:4.17.0
//DEPS org.apache.camel.kamelets:camel-kamelets:4.16.0

// The `camel` command without the jbang launcher. `jbang camel@apache/camel` resolves the artifacts of the //DEPS
// lines above (the ones Apache Camel's jbang catalog script names, pinned to this project's Camel), compiles a
// one-line script like this one and runs it. CamelJbangIT does the same with java alone: Maven resolves the same
// artifacts (see pom.xml: keep both in sync) and `java -cp <them> CamelJBang.java run ...` compiles and runs this
// file in source-file mode. With jbang installed, `jbang CamelJBang.java run ...` runs it too.
package main;

import org.apache.camel.dsl.jbang.core.commands.CamelJBangMain;

public class CamelJBang {

    public static void main(String... args) {
        CamelJBangMain.run(args);
    }
}
