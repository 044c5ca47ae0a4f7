/**
 * Euclid's library: the API packages are the only ones exported. The runtime
 * ({@code dev.euclid.internal..}) and the JavaCPP peers stay inside the module.
 */
module dev.euclid {
    requires com.fasterxml.jackson.databind;
    requires java.net.http;
    requires org.bytedeco.javacpp;
    requires org.slf4j;

    exports dev.euclid;
    exports dev.euclid.chat;
    exports dev.euclid.tokenizer;

    // JavaCPP's Loader reads the peers' annotations and fields reflectively when it loads the JNI library.
    opens dev.euclid.internal to org.bytedeco.javacpp;
}
