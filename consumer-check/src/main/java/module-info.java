/** A user's module: it can read only what the library exports. */
module dev.euclid.consumercheck {
    requires dev.euclid;
    exports dev.euclid.consumercheck;
}
